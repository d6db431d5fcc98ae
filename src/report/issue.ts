// The follow-up issue that reminds the team to finish the changeover and destroy the old database.

import { oldDatabaseFenced } from '../record/queries'
import type { RunRecord } from '../record/record'
import {
  cell,
  code,
  describeDatabase,
  formatDateTime,
  isoDate,
  millisBetween,
  prose,
  table,
  truncate,
  utcDateTimes,
  windowCostWord,
} from './format'
import { holdAttachmentNames } from '../domain/identity'
import { leftoverItems, newAddonName } from './leftovers'
import { formatDuration } from '../domain/duration'
import { destroyCommand, detachCommand, pgInfoCommand, promoteCommand } from '../domain/remedies'
import { liftFenceHow } from '../domain/messages/fence'

/** GitHub rejects issue bodies of 65,536 characters or more. */
export const ISSUE_BODY_MAX_CHARS = 60_000

/** The old database keeps the write fence it got in the window: a stray writer is refused there. */
function fencedOldDatabase(record: RunRecord, oldAddon: string): string[] {
  if (!oldDatabaseFenced(record)) return []
  return [
    `${code(oldAddon)} is read-only (the write fence this run put on it as the window opened): a client that still ` +
      `uses its URL gets ${code('cannot execute INSERT in a read-only transaction')} instead of writing where nobody ` +
      `reads. Before you roll back to it or write to it, lift the fence: ${liftFenceHow(oldAddon, record.app)}.`,
  ]
}

/** Days to keep the old database before destroying it is reasonable. */
export const KEEP_OLD_DATABASE_DAYS = 7

/** Hidden line that identifies the issue of one old add-on, so a re-run finds it instead of opening another. */
export function issueMarker(oldAddon: string): string {
  return `<!-- heroku-postgres-upgrade:old-addon=${oldAddon} -->`
}

export interface IssueContext {
  /** Link to the workflow run, when known. */
  runUrl?: string
}

export function renderFollowUpIssue(
  record: RunRecord,
  now: Date,
  context: IssueContext = {},
): { title: string; body: string } {
  const oldAddon = record.oldDatabase?.addonName ?? 'unknown'
  const app = record.app
  const newAddon = newAddonName(record)
  const destroyAfter = isoDate(new Date(now.getTime() + KEEP_OLD_DATABASE_DAYS * 24 * 3600 * 1000))
  const title = `Destroy the old Heroku Postgres database ${oldAddon} (${app})`

  const downtime = millisBetween(record.windowOpenedAt, record.windowClosedAt)
  const downtimeText =
    downtime === undefined ? '' : ` with ${formatDuration(downtime)} of ${windowCostWord(record)}`
  const run = context.runUrl ? ` in [this workflow run](${context.runUrl})` : ''
  const intro =
    `On ${isoDate(now)}, the Heroku Postgres upgrade action${run} moved ${app}'s DATABASE from ` +
    `${describeDatabase(record.oldDatabase)} to ${describeDatabase(record.newDatabase, newAddon)}${downtimeText}, ` +
    `using the ${code(record.method)} method.`

  const checklist = [
    `- [ ] Verify the app on the new database: ${code(pgInfoCommand(app, '--app', 'DATABASE'))} shows ${code(newAddon)}` +
      (record.newDatabase?.version ? ` on PG ${record.newDatabase.version}` : '') +
      ', and the app behaves normally.',
    ...helperAttachmentItem(record),
    ...leftoverItems(record).map(
      (item) => `- [ ] ${item.problem}` + item.commands.map((command) => `\n  ${code(command)}`).join(''),
    ),
    `- [ ] After ${destroyAfter}, destroy the old database: ${code(destroyCommand(oldAddon, app, '--app'))}`,
  ]

  const sections = [
    issueMarker(oldAddon),
    intro,
    `The old database ${code(oldAddon)} is no longer DATABASE_URL but still exists, and is still billed. ` +
      `Keep it until **${destroyAfter}** (${KEEP_OLD_DATABASE_DAYS} days) in case you need to look something up or roll back ` +
      `(${code(promoteCommand(oldAddon, app, '--app'))}; writes made since the switch would not be on it). After that date, destroying it is reasonable.`,
    ...fencedOldDatabase(record, oldAddon),
    `## The old database\n\n${oldDatabaseTable(record)}`,
    carriedOverSection(record),
    `## Checklist\n\n${checklist.join('\n')}`,
    warningsSection(record),
    '_Opened by the Heroku Postgres upgrade action. Close this issue once the old database is destroyed._',
  ]
  const body = sections.filter((section) => section.length > 0).join('\n\n') + '\n'
  return { title, body: truncate(body, ISSUE_BODY_MAX_CHARS) }
}

/** The attachment that held the old database for the run stays on the new database; it can go. */
function helperAttachmentItem(record: RunRecord): string[] {
  if (!record.oldDatabase || !record.newDatabase) return []
  const attachments = record.newDatabase.attachments
  const helper = holdAttachmentNames(record.oldDatabase.addonId).find((name) => attachments.includes(name))
  return helper ? [helperAttachmentLine(helper, record.oldDatabase.addonName, record.app)] : []
}

/** The checklist item that lets the hold go: `helper` is its attachment on the new database. */
export function helperAttachmentLine(helper: string, oldAddon: string, app: string): string {
  return (
    `- [ ] Optionally, detach ${code(helper)}, the extra name this action gave the new database ` +
    `so that no other run would upgrade ${code(oldAddon)} at the same time: ${code(detachCommand(helper, app, '--app'))}`
  )
}

function oldDatabaseTable(record: RunRecord): string {
  const old = record.oldDatabase
  if (!old) return 'No description of the old database was recorded.'
  const rows: string[][] = [
    ['Add-on', code(old.addonName)],
    [`Attachments on ${cell(record.app)} before the upgrade`, cell(old.attachments.join(', ') || '—')],
  ]
  const infoNames = new Set(old.info.map((entry) => entry.name))
  if (!infoNames.has('Plan')) rows.push(['Plan', cell(old.plan)])
  if (!infoNames.has('PG Version')) rows.push(['PG Version', cell(old.version)])
  for (const entry of old.info.slice(0, 60)) {
    if (entry.values.length === 0) continue
    // pg:info writes its dates in UTC without saying so: every date-time reads as the report's own.
    rows.push([cell(entry.name), cell(utcDateTimes(truncate(entry.values.join(', '), 500)))])
  }
  rows.push(['Described at', cell(formatDateTime(old.capturedAt) || old.capturedAt)])
  return table(['Field', 'Value'], rows)
}

function carriedOverSection(record: RunRecord): string {
  const carried = record.carriedOver
  if (!carried || carried.done.length + carried.left.length === 0) return ''
  const lines = [
    ...carried.done.map((item) => `- ${prose(item)}`),
    ...carried.left.map((item) => `- **Not carried over**: ${prose(item)}`),
  ]
  return `## Carried over by the run\n\n${lines.join('\n')}`
}

function warningsSection(record: RunRecord): string {
  if (record.warnings.length === 0) return ''
  const lines = record.warnings.slice(0, 50).map((warning) => `- ${prose(truncate(warning, 1000))}`)
  return `## Warnings from the run\n\n${lines.join('\n')}`
}
