// The job summary: a pure function from the run record to GitHub-flavoured Markdown.

import { isPromoted, type DatabaseSnapshot, type RunRecord, type StepRecord } from '../run/record'
import {
  cell,
  code,
  describeDatabase,
  fencedBlock,
  formatClock,
  formatDuration,
  infoValue,
  millisBetween,
  scaleArguments,
  scrubUrls,
  shortPlan,
  table,
  truncate,
} from './format'
import { leftoverItems, newAddonName } from './leftovers'
import { renderGantt } from './gantt'
import { leftForHeroku, leftForHerokuText } from './left-for-heroku'
import { planChangedInPlace, upgradedInPlace } from '../run/end-state'

/** GitHub rejects a step summary over 1 MiB; stay far below so other steps keep room too. */
export const SUMMARY_MAX_CHARS = 256 * 1024

const PG_INFO_FIELDS = ['Plan', 'Status', 'PG Version', 'Data Size', 'Tables', 'Following', 'Forked From']

export function renderSummary(record: RunRecord): string {
  const sections = [
    `## Heroku Postgres upgrade: ${record.app}`,
    outcomeLine(record),
    overviewLine(record),
    methodSection(record),
    planSection(record),
    databasesSection(record),
    leftForHerokuSection(record),
    whereThingsStandSection(record),
    carriedOverSection(record),
    leftoversSection(record),
    warningsSection(record),
    timelineSection(record),
    renderGantt(record),
  ]
  const markdown = sections.filter((section) => section.length > 0).join('\n\n') + '\n'
  return truncate(markdown, SUMMARY_MAX_CHARS)
}

export function outcomeLine(record: RunRecord): string {
  const app = record.app
  const oldDb = describeDatabase(record.oldDatabase, 'the old database')
  const newDb = describeDatabase(record.newDatabase, record.createdAddon ?? 'the new database')
  const reason = record.error ? ` ${sentence(firstLine(scrubUrls(record.error)))}` : ''
  const downtime = downtimePhrase(record)
  switch (record.status) {
    case 'succeeded':
      if (sameAddon(record)) {
        return `**Succeeded**: ${app}'s DATABASE ${record.newDatabase?.addonName ?? ''} went from ${versionAndPlan(record.oldDatabase)} to ${versionAndPlan(record.newDatabase)} ${downtime}.`
      }
      return `**Succeeded**: ${app}'s DATABASE moved from ${oldDb} to ${newDb} ${downtime}.`
    case 'rolled-back':
      return `**Rolled back**: ${app} is up on its old database ${oldDb}, unchanged; the upgrade did not happen.${reason}`
    case 'skipped':
      return `**Skipped**: nothing was changed on ${app}.${reason}`
    case 'planned':
      return `**Planned**: nothing was changed on ${app}. Read the plan below; pass its plan-id (\`${record.plan?.id ?? ''}\`) to the run that carries it out.`
    case 'prepared':
      return `**Prepared**: ${app} stayed up; what can happen before the window is done${record.createdAddon ? ` (${record.createdAddon} is ready)` : ''}. Run phase \`switch\` to finish.`
    case 'failed':
      if (isPromoted(record)) {
        return `**Failed after the switch**: ${app}'s DATABASE now points at ${newDb}, but the run did not finish. Read "Where things stand" below.${reason}`
      }
      return (
        failedLine(record, reason) ??
        `**Failed**: ${app}'s DATABASE is still ${oldDb}; the upgrade did not happen.${reason}`
      )
    case 'running':
      return `**Interrupted**: the run on ${app} stopped during "${lastStep(record)?.title ?? 'its first step'}" before it could finish. Read "Where things stand" below.`
  }
}

/** A failure after something Heroku carries out on its own: said from what Heroku reported at the end. */
function failedLine(record: RunRecord, reason: string): string | undefined {
  const app = record.app
  const end = record.endState
  const step = record.irreversible?.step
  const change = step === 'changeover' || step === 'plan-change' ? 'plan change' : 'upgrade'
  if (end?.underWay)
    return `**Failed while Heroku carries on**: ${app}'s DATABASE ${code(end.serving.name)} has ${end.underWay}, which cannot be stopped; Heroku finishes it on its own. Read "Where things stand" below.${reason}`
  if (end && (upgradedInPlace(record) || planChangedInPlace(record)))
    return `**Failed after the ${change}**: ${app}'s DATABASE ${code(end.serving.name)} is now PG ${end.version} on ${shortPlan(end.plan)} (was ${versionAndPlan(record.oldDatabase)}); what failed came after it and did not undo it.${reason}`
  if (end && record.oldDatabase && end.serving.id !== record.oldDatabase.addonId)
    return `**Failed after the switch**: ${app}'s DATABASE now points at ${code(end.serving.name)} (PG ${end.version}), but the run did not finish. Read "Where things stand" below.${reason}`
  if (record.irreversibleSent)
    return `**Failed, outcome unknown**: ${record.irreversibleSent.what} was sent and whether Heroku received it could not be found out. Read "Where things stand" below.${reason}`
  return undefined
}

function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? ''
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}

function sentence(text: string): string {
  const trimmed = text.trim()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

function downtimePhrase(record: RunRecord): string {
  if (!record.windowOpenedAt) return 'without any downtime'
  const ms = millisBetween(record.windowOpenedAt, record.windowClosedAt)
  return ms === undefined
    ? 'with a maintenance window that was never closed'
    : `with ${formatDuration(ms)} of downtime`
}

function versionAndPlan(snapshot: DatabaseSnapshot | undefined): string {
  if (!snapshot) return 'an unknown state'
  return `PG ${snapshot.version} on ${shortPlan(snapshot.plan)}`
}

function sameAddon(record: RunRecord): boolean {
  return !!record.oldDatabase && record.oldDatabase.addonId === record.newDatabase?.addonId
}

function overviewLine(record: RunRecord): string {
  const parts = [`Method: ${code(record.method)}`]
  if (record.targetVersion) parts.push(`target version: ${code(record.targetVersion)}`)
  if (record.targetPlan) parts.push(`target plan: ${code(shortPlan(record.targetPlan))}`)
  const total = millisBetween(record.startedAt, record.endedAt)
  if (total !== undefined) parts.push(`total time: ${formatDuration(total)}`)
  if (record.issueUrl) parts.push(`follow-up issue: ${record.issueUrl}`)
  return parts.join(' · ')
}

/** Why this method, and what the others would have cost this database, so a person can override it. */
function methodSection(record: RunRecord): string {
  const choice = record.choice
  if (!choice) return ''
  const measured = millisBetween(record.windowOpenedAt, record.windowClosedAt)
  const rows = [
    [
      `${code(choice.method)} (chosen)`,
      `about ${formatDuration(choice.downtimeMs)}${measured === undefined ? '' : `; measured ${formatDuration(measured)}`}`,
      cell(choice.reason),
    ],
    ...choice.alternatives.map((alternative) => [
      code(alternative.method),
      alternative.downtimeMs === undefined ? '—' : `about ${formatDuration(alternative.downtimeMs)}`,
      cell(alternative.note),
    ]),
  ]
  const lines = [
    `### Method

${code(choice.method)}: ${cell(choice.reason)}. Set the ${code('method')} input to choose another; the estimates are Heroku's published figures for a database of this size.`,
    table(['Method', 'Expected downtime', 'Why'], rows),
  ]
  if (record.transfers?.length)
    lines.push(
      `Transfers this run started (no other is ever taken for one of them): ${record.transfers.map((t) => `${code(t.name)} (${t.kind}, ${code(`heroku pg:backups:info ${t.name} --app ${t.app}`)})`).join(', ')}.`,
    )
  if (record.backup)
    lines.push(
      `Rollback point: the backup ${code(record.backup.name)} of ${code(record.oldDatabase?.addonName ?? 'the old database')}, taken with every writer stopped: ${code(`heroku pg:backups:info ${record.backup.name} --app ${record.backup.app}`)}.`,
    )
  return lines.join('\n\n')
}

const PHASE_WORDS = { prepare: 'prepare (app up)', switch: 'switch (window)', cleanup: 'cleanup (app up)' }

/** What an approver decides from: the estimate, the findings, the steps by phase, what moves and what stays. */
function planSection(record: RunRecord): string {
  const plan = record.plan
  if (!plan || (record.status !== 'planned' && record.status !== 'failed') || record.windowOpenedAt) return ''
  const parts = [
    `### Plan\n\n${plan.target ? `Target: ${cell(plan.target)} · ` : ''}Plan id ${code(plan.id)} · estimated window: about **${formatDuration(plan.estimatedDowntimeMs)}**${record.method === 'plan-change' && !plan.steps.some((step) => step.name === 'window-open') ? ' (no window: Heroku changes the plan with the app up)' : ''}.`,
  ]
  if (plan.blockers.length > 0)
    parts.push(
      `**Blocking findings** (nothing will run until they are fixed):\n\n${plan.blockers.map((b) => `- ${cell(scrubUrls(b))}`).join('\n')}`,
    )
  parts.push(
    table(
      ['#', 'Phase', 'Step'],
      plan.steps.map((step, index) => [
        String(index + 2),
        PHASE_WORDS[step.phase],
        cell(truncate(step.title, 200)),
      ]),
    ),
  )
  if (plan.carriedOver.length > 0)
    parts.push(
      `**Carried over** (what the switch and the cleanup move or recreate):\n\n${plan.carriedOver.map((item) => `- ${cell(item)}`).join('\n')}`,
    )
  if (plan.staysBehind.length > 0)
    parts.push(
      `**Stays with the old database**:\n\n${plan.staysBehind.map((item) => `- ${cell(item)}`).join('\n')}`,
    )
  return parts.join('\n\n')
}

function databasesSection(record: RunRecord): string {
  const columns: Array<{ title: string; snapshot: DatabaseSnapshot }> = []
  if (record.oldDatabase) columns.push({ title: 'Before', snapshot: record.oldDatabase })
  if (record.newDatabase) {
    const inPlace = record.newDatabase.addonId === record.oldDatabase?.addonId
    const title =
      isPromoted(record) || record.status === 'succeeded' || inPlace ? 'After' : 'New database (not in use)'
    columns.push({ title, snapshot: record.newDatabase })
  }
  if (columns.length === 0) return ''
  const header = ['Field', ...columns.map((column) => `${column.title}: ${code(column.snapshot.addonName)}`)]
  const rows: string[][] = [
    ['Attachments', ...columns.map((column) => cell(column.snapshot.attachments.join(', ') || '—'))],
  ]
  for (const field of PG_INFO_FIELDS) {
    rows.push([field, ...columns.map((column) => cell(pgInfoField(column.snapshot, field)))])
  }
  return `### Databases\n\n${table(header, rows)}`
}

function pgInfoField(snapshot: DatabaseSnapshot, field: string): string {
  const value = infoValue(snapshot.info, field)
  if (value !== undefined) return value
  if (field === 'Plan') return shortPlan(snapshot.plan)
  if (field === 'PG Version') return snapshot.version
  return '—'
}

function leftForHerokuSection(record: RunRecord): string {
  const prepared = leftForHeroku(record)
  if (!prepared) return ''
  return `### Left for Heroku to run by itself\n\n> [!WARNING]\n> ${cell(leftForHerokuText(record, prepared))}`
}

function whereThingsStandSection(record: RunRecord): string {
  if (['succeeded', 'skipped', 'planned', 'prepared'].includes(record.status)) return ''
  const lines: string[] = []
  const oldAddon = record.oldDatabase?.addonName
  const newAddon = newAddonName(record)

  if (isPromoted(record)) {
    lines.push(
      `- DATABASE_URL points at the **new** database ${code(newAddon)}, and the release that attached it succeeded, so the dynos use it; the old one ${code(oldAddon ?? '?')} still exists, untouched since the switch.`,
    )
  } else if (record.switchOutcome === 'reverted') {
    lines.push(
      `- DATABASE_URL points at the **old** database ${code(oldAddon ?? '?')} again: ${record.verifyCommand && record.verifyCommand.verdict !== 'passed' ? `verify-command ${record.verifyCommand.verdict === 'timed-out' ? 'timed out' : 'failed'}, so the switch was undone` : 'the switch did not reach the dynos and was undone'} before the app reopened, so no write was lost.`,
    )
  } else if (record.moves?.length) {
    lines.push(
      `- **Unconfirmed**: the switch to ${code(newAddon)} was sent, but the releases did not show which database the dynos use. ${scrubUrls(record.switchDetail ?? '')}`.trimEnd(),
    )
  } else if (
    record.endState &&
    (record.endState.underWay || upgradedInPlace(record) || planChangedInPlace(record))
  ) {
    const end = record.endState
    lines.push(
      end.underWay
        ? `- DATABASE_URL points at ${code(end.serving.name)}, which has ${end.underWay}: Heroku finishes it on its own.`
        : `- DATABASE_URL points at ${code(end.serving.name)}, changed in place: now PG ${end.version} on ${shortPlan(end.plan)} (was ${versionAndPlan(record.oldDatabase)}).`,
    )
  } else if (record.irreversibleSent) {
    lines.push(
      `- DATABASE_URL points at ${code(oldAddon ?? '?')}; whether Heroku received ${record.irreversibleSent.what} is unknown.`,
    )
  } else {
    lines.push(
      `- DATABASE_URL still points at the **old** database ${code(oldAddon ?? '?')}; its data was not changed.`,
    )
  }
  if (!isPromoted(record) && record.createdAddon)
    lines.push(
      record.createdAddonFailed
        ? `- The database this run asked for, ${code(record.createdAddon)}, never came up (Heroku ended it deprovisioned).`
        : `- The database this run created, ${code(record.createdAddon)}, was left in place.`,
    )
  lines.push(...appStateLines(record))

  // The orchestrator's next steps know the exact situation; the generic advice is for when it gave none.
  const next = record.nextSteps?.length
    ? record.nextSteps.map((step) => `- ${scrubUrls(step)}`)
    : genericNextSteps(record)

  const error = record.error ? `\n\n**Error**\n\n${fencedBlock(truncate(scrubUrls(record.error), 8000))}` : ''
  return `### Where things stand\n\n${lines.join('\n')}${error}\n\n**What to do next**\n\n${next.join('\n')}`
}

function genericNextSteps(record: RunRecord): string[] {
  const app = record.app
  const oldAddon = record.oldDatabase?.addonName
  if (!isPromoted(record)) {
    const next = [
      '- To retry, re-run the workflow with the same inputs: the action finds what this run created and carries on from there; it never creates a second database.',
    ]
    if (record.createdAddon) {
      next.push(
        `- To give up instead, destroy the database this run created: ${code(`heroku addons:destroy ${record.createdAddon} --app ${app} --confirm ${app}`)}`,
      )
    }
    return next
  }
  if (!oldAddon) return ['- Check the app, then re-run the workflow.']
  return [
    `- To finish, check the app on the new database (${code(`heroku pg:info DATABASE --app ${app}`)}), then re-run the workflow or complete the remaining steps by hand.`,
    `- To roll back, promote the old database again: ${code(`heroku pg:promote ${oldAddon} --app ${app}`)}. Writes made to the new database since the switch are not on the old one.`,
  ]
}

function appStateLines(record: RunRecord): string[] {
  const app = record.app
  if (!record.windowOpenedAt) return [`- ${app} was never put into maintenance; its dynos were not touched.`]
  if (record.windowClosedAt) {
    return [
      `- Maintenance mode and the formation were restored as they were at ${formatClock(record.windowClosedAt)}.`,
    ]
  }
  const unconfirmed = record.switchOutcome === 'stuck' || (record.moves?.length && !record.switchOutcome)
  const lines = [
    unconfirmed
      ? `- ${app} was **left in maintenance with its dynos scaled down on purpose**: reopening it before the releases agree with DATABASE could send writes to a database that is not DATABASE.`
      : `- ${app} may still be in maintenance mode with dynos scaled down. The post step tries to restore them; check with ${code(`heroku ps --app ${app}`)}.`,
  ]
  if (record.formationBefore?.length) {
    lines.push(
      `- The formation before the window was ${code(scaleArguments(record.formationBefore))}; restore it with ${code(`heroku ps:scale ${scaleArguments(record.formationBefore)} --app ${app}`)}.`,
    )
  }
  if (record.maintenanceBefore === false) {
    lines.push(`- Maintenance was off before the run: ${code(`heroku maintenance:off --app ${app}`)}.`)
  }
  return lines
}

function carriedOverSection(record: RunRecord): string {
  const carried = record.carriedOver
  if (!carried || carried.done.length + carried.left.length === 0) return ''
  const lines = [
    ...carried.done.map((item) => `- ${cell(scrubUrls(item))}`),
    ...carried.left.map((item) => `- **Not carried over**: ${cell(scrubUrls(item))}`),
  ]
  return `### Carried over to the new database\n\n${lines.join('\n')}`
}

function leftoversSection(record: RunRecord): string {
  if (!isPromoted(record)) return ''
  const items = leftoverItems(record)
  if (items.length === 0) return ''
  const lines = items.map((item) => {
    const commands = item.commands.map((command) => `\n  ${code(command)}`).join('')
    return `- ${item.problem}${commands}`
  })
  return `### Left behind on the old database\n\n> [!WARNING]\n> These still depend on ${code(record.oldDatabase?.addonName ?? 'the old database')} and do not move by themselves.\n\n${lines.join('\n')}`
}

function warningsSection(record: RunRecord): string {
  if (record.warnings.length === 0) return ''
  const shown = record.warnings.slice(0, 50).map((warning) => `- ${cell(truncate(warning, 1000))}`)
  if (record.warnings.length > 50) shown.push(`- …and ${record.warnings.length - 50} more (see the log).`)
  return `### Warnings\n\n${shown.join('\n')}`
}

function timelineSection(record: RunRecord): string {
  if (record.steps.length === 0) return ''
  const rows = record.steps
    .slice(0, 200)
    .map((step) => [
      cell(truncate(step.title, 200)),
      formatClock(step.startedAt),
      stepDuration(step),
      outcomeWord(step),
      cell(truncate(step.detail ?? '', 300)),
    ])
  const window = millisBetween(record.windowOpenedAt, record.windowClosedAt)
  const windowLine =
    window === undefined
      ? ''
      : `\n\nMaintenance window (measured downtime): **${formatDuration(window)}**, from ${formatClock(record.windowOpenedAt ?? '')} to ${formatClock(record.windowClosedAt ?? '')}.`
  return `### Timeline\n\n${table(['Step', 'Started', 'Duration', 'Outcome', 'Detail'], rows)}${windowLine}`
}

function stepDuration(step: StepRecord): string {
  const ms = millisBetween(step.startedAt, step.endedAt)
  return ms === undefined ? 'unfinished' : formatDuration(ms)
}

function outcomeWord(step: StepRecord): string {
  switch (step.outcome) {
    case 'ok':
      return 'done'
    case 'failed':
      return '**failed**'
    case 'skipped':
      return 'skipped'
    default:
      return step.endedAt ? 'done' : 'interrupted'
  }
}

function lastStep(record: RunRecord): StepRecord | undefined {
  return record.steps[record.steps.length - 1]
}
