// The job summary: a pure function from the run record to GitHub-flavoured Markdown.

import { isPromoted, type DatabaseSnapshot, type PlanReport, type RunRecord, type StepRecord } from '../record/record'
import { type Phase } from '../domain/vocabulary'
import {
  cell,
  code,
  describeDatabase,
  fencedBlock,
  formatClock,
  infoValue,
  methodKnown,
  millisBetween,
  scaleArguments,
  scrubUrls,
  prose,
  runTotalMs,
  table,
  truncate,
} from './format'
import { formatDuration, formatEstimate, roundEstimate } from '../domain/duration'
import { estimateSteps, type StepEstimate } from '../plan/estimates'
import { leftoverItems, newAddonName } from './leftovers'
import { renderGantt } from './gantt'
import { leftForHeroku, leftForHerokuText, preparedDetail } from './left-for-heroku'
import { planChangedInPlace, upgradedInPlace } from '../engine/end-state'
import { shortPlan } from '../domain/tier'

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
    chartSection(record),
  ]
  const markdown = sections.filter((section) => section.length > 0).join('\n\n') + '\n'
  return truncate(markdown, SUMMARY_MAX_CHARS)
}

export function outcomeLine(record: RunRecord): string {
  const app = record.app
  const oldDb = describeDatabase(record.oldDatabase, 'the old database')
  const newDb = describeDatabase(record.newDatabase, record.createdAddon ?? 'the new database')
  const reason = record.error ? ` ${prose(headlineOf(record.error))}` : ''
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
      if (!record.oldDatabase && !record.windowOpenedAt)
        return `**Failed before any change**: nothing on ${app} was touched.${reason}`
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

/**
 * The error's first line, as the headline says it. A first line that only announces a list ("Preflight found
 * 2 problems:") points at the list, which the report shows once, below.
 */
const HEADLINE_MAX_CHARS = 300

function headlineOf(error: string): string {
  const line = herokuWordsAttributed(scrubUrls(error).trim().split('\n', 1)[0] ?? '')
  const short = line.length > HEADLINE_MAX_CHARS ? `${line.slice(0, HEADLINE_MAX_CHARS)}…` : line
  return sentence(short.endsWith(':') && errorDetails(error) ? `${short.slice(0, -1)} (below)` : short)
}

const UPGRADE_FAILED = /^The upgrade of (\S+) failed: (?:\((\d+\/\d+)\) )?(.+)$/

/**
 * Heroku's message on a failed upgrade speaks to its reader about "your database" and gives advice ("Contact
 * support or try again") that the report's next steps replace. Its first sentence, quoted as Heroku's and
 * about the database it was about, says what happened; the rest is left to the log.
 */
function herokuWordsAttributed(line: string): string {
  const match = UPGRADE_FAILED.exec(line)
  if (!match) return line
  const [, addon, step, message] = match as unknown as [string, string, string | undefined, string]
  const first = (/^.+?[.!?](?=\s+[A-Z]|$)/.exec(message.trim())?.[0] ?? message).trim()
  const where = step && !first.includes(step) ? ` at step ${step}` : ''
  return `The upgrade of ${addon} failed${where}; Heroku said of ${addon}: "${first}"`
}

/**
 * What the error says beyond what the headline shows, if anything: the lines after the first, or the whole
 * error when its first line was too long for the headline.
 */
function errorDetails(error: string): string {
  const lines = scrubUrls(error).trim().split('\n')
  if ((lines[0] ?? '').length > HEADLINE_MAX_CHARS) return lines.join('\n')
  return lines.slice(1).join('\n').trim()
}

function sentence(text: string): string {
  const trimmed = text.trim()
  // A quotation that ends a sentence ends it inside its quotes: `…database)."`.
  return /[.!?]["')]?$/.test(trimmed) ? trimmed : `${trimmed}.`
}

function downtimePhrase(record: RunRecord): string {
  // No window is not no downtime: a plan change Heroku makes with the app up still takes the database a while.
  if (!record.windowOpenedAt)
    return record.choice
      ? `with the app up throughout (no maintenance window; Heroku's own change was estimated at about ${formatEstimate(record.choice.downtimeMs)})`
      : 'with the app up throughout (no maintenance window)'
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
  // Before preflight chose, the record's method is only a placeholder: naming it would name a method never chosen.
  const parts = [
    methodKnown(record) ? `Method: ${code(record.method)}` : 'Method: none chosen (the run stopped before)',
  ]
  if (record.targetVersion) parts.push(`target version: ${code(record.targetVersion)}`)
  if (record.targetPlan) parts.push(`target plan: ${code(shortPlan(record.targetPlan))}`)
  const total = runTotalMs(record)
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
      `about ${formatEstimate(choice.downtimeMs)}${measured === undefined ? '' : `; measured ${formatDuration(measured)}`}`,
      prose(choice.reason),
    ],
    ...choice.alternatives.map((alternative) => [
      code(alternative.method),
      alternative.downtimeMs === undefined ? '—' : `about ${formatEstimate(alternative.downtimeMs)}`,
      prose(alternative.note),
    ]),
  ]
  const lines = [
    `### Method

${code(choice.method)}: ${prose(choice.reason)}. Set the ${code('method')} input to choose another; the estimates are Heroku's published figures for a database of this size.`,
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
  if (plan.blockers.length > 0) return refusedPlanSection(record, plan)
  const noWindow = !plan.steps.some((step) => step.name === 'window-open')
  const parts = [
    `### Plan\n\n${plan.target ? `Target: ${cell(plan.target)} · ` : ''}Plan id ${code(plan.id)} · estimated window: about **${formatEstimate(plan.estimatedDowntimeMs)}**${noWindow ? ' (no window: Heroku makes the change with the app up)' : ''}.`,
  ]
  parts.push(planStepsTable(record, plan, noWindow))
  const named = newDatabaseNote(record, plan)
  if (named) parts.push(named)
  if (plan.carriedOver.length > 0)
    parts.push(
      `**Carried over** (what the switch and the cleanup move or recreate):\n\n${plan.carriedOver.map((item) => `- ${prose(item)}`).join('\n')}`,
    )
  if (plan.staysBehind.length > 0)
    parts.push(
      `**Stays with the old database**:\n\n${plan.staysBehind.map((item) => `- ${prose(item)}`).join('\n')}`,
    )
  return parts.join('\n\n')
}

/**
 * A plan the preflight refused runs no step: listing steps and an estimate for its target would describe an
 * upgrade that cannot happen. A finding the headline already says is not said again.
 */
function refusedPlanSection(record: RunRecord, plan: PlanReport): string {
  const unsaidBlockers = plan.blockers.filter((blocker) => !inHeadline(record, blocker))
  const count = plan.blockers.length === 1 ? 'the blocking finding' : 'the blocking findings'
  const where = unsaidBlockers.length === 0 ? ' (above)' : ''
  const lines = [
    `### Plan\n\n${plan.target ? `Target: ${cell(plan.target)} · ` : ''}Plan id ${code(plan.id)} · **refused**: no step runs until ${count}${where} ${plan.blockers.length === 1 ? 'is' : 'are'} fixed, so no steps or estimate are listed.`,
  ]
  if (unsaidBlockers.length > 0)
    lines.push(
      `**Blocking findings** (nothing will run until they are fixed):\n\n${unsaidBlockers.map((b) => `- ${prose(b)}`).join('\n')}`,
    )
  return lines.join('\n\n')
}

/** The headline quotes the error's first line: a finding that is that line is already said. */
function inHeadline(record: RunRecord, text: string): boolean {
  if (!record.error || record.status === 'planned') return false
  const first = scrubUrls(record.error).trim().split('\n', 1)[0] ?? ''
  return first.length <= HEADLINE_MAX_CHARS && sameText(first, text)
}

/**
 * Every step the run takes, numbered as its log numbers them: the preflight (this plan, done) is step 1. The
 * window's estimates add up to the estimated window; the others run with the app up.
 */
function planStepsTable(record: RunRecord, plan: PlanReport, noWindow: boolean): string {
  const preflight = record.steps.find((step) => step.name === 'preflight')
  const took = preflight && millisBetween(preflight.startedAt, preflight.endedAt)
  // The window's steps share the window as the plan's headline rounds it, so that they add up to it.
  const estimates = estimateSteps(record.method, plan.steps, roundEstimate(plan.estimatedDowntimeMs))
  const phaseWord = (phase: Phase): string =>
    phase === 'switch' && noWindow ? 'change (app up)' : PHASE_WORDS[phase]
  const rows = [
    [
      '1',
      PHASE_WORDS.prepare,
      'Preflight (read-only): what this plan is',
      took === undefined ? 'done' : `done in ${formatDuration(took)}`,
    ],
    ...plan.steps.map((step, index) => [
      String(index + 2),
      phaseWord(step.phase),
      cell(truncate(step.title, 200)),
      estimateText(estimates[index]),
    ]),
  ]
  return table(['#', 'Phase', 'Step', 'Estimate'], rows)
}

function estimateText(estimate: StepEstimate | undefined): string {
  if (!estimate) return '—'
  return estimate.inWindow ? `about ${formatDuration(roundPart(estimate.ms))}` : cell(estimate.note)
}

/**
 * A share of a rounded window: as roundEstimate rounds, except that from 5 minutes on it is kept to the
 * minute, so that the shares still add up to the window's estimate within a minute.
 */
function roundPart(ms: number): number {
  return ms < 5 * 60_000 ? roundEstimate(ms) : Math.round(ms / 60_000) * 60_000
}

/** A new database is named after the workflow run that creates it, which need not be the plan's. */
function newDatabaseNote(record: RunRecord, plan: PlanReport): string {
  if (record.method !== 'follower' && record.method !== 'copy' && record.method !== 'backup-restore')
    return ''
  const creates = plan.steps.find((step) => step.name === 'provision')
  if (!creates || !/, named /.test(creates.title)) return ''
  return 'The new database is named after the workflow run that creates it (`<app>-upgrade-<run id>`): the name above is the one a later job of this workflow run uses; another workflow run puts its own run id in it.'
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
    [
      'Attachments',
      ...columns.map((column) => cell(attachmentsAtEnd(record, column.snapshot).join(', ') || '—')),
    ],
  ]
  for (const field of PG_INFO_FIELDS) {
    rows.push([field, ...columns.map((column) => cell(pgInfoField(column.snapshot, field)))])
  }
  return `### Databases\n\n${table(header, rows)}`
}

/** A snapshot taken before the hold was let go still lists it: the table says what is attached at the end. */
function attachmentsAtEnd(record: RunRecord, snapshot: DatabaseSnapshot): string[] {
  const released = record.hold?.released ? record.hold.attachment : undefined
  return snapshot.attachments.filter((name) => name !== released)
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
  return `### Left for Heroku to run by itself\n\n> [!WARNING]\n> ${prose(leftForHerokuText(record, prepared))}`
}

function whereThingsStandSection(record: RunRecord): string {
  if (['succeeded', 'skipped', 'planned', 'prepared'].includes(record.status)) return ''
  const lines: string[] = []
  // Before preflight read it, the old database has no name to give: it is then "the app's database".
  const oldAddon = record.oldDatabase?.addonName
  const old = oldAddon ? code(oldAddon) : `${record.app}'s database`
  const newAddon = newAddonName(record)

  if (isPromoted(record)) {
    lines.push(
      `- DATABASE_URL points at the **new** database ${code(newAddon)}, and the release that attached it succeeded, so the dynos use it; the old one ${old} still exists, untouched since the switch.`,
    )
  } else if (record.switchOutcome === 'reverted') {
    lines.push(
      `- DATABASE_URL points at the **old** database ${old} again: ${record.verifyCommand && record.verifyCommand.verdict !== 'passed' ? `verify-command ${record.verifyCommand.verdict === 'timed-out' ? 'timed out' : 'failed'}, so the switch was undone` : 'the switch did not reach the dynos and was undone'} before the app reopened, so no write was lost.`,
    )
  } else if (record.moves?.length) {
    lines.push(
      `- **Unconfirmed**: the switch to ${code(newAddon)} was sent, but the releases did not show which database the dynos use. ${prose(record.switchDetail ?? '')}`.trimEnd(),
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
      `- DATABASE_URL points at ${old}; whether Heroku received ${record.irreversibleSent.what} is unknown.`,
    )
  } else if (record.oldDatabase) {
    lines.push(`- DATABASE_URL still points at the **old** database ${old}; its data was not changed.`)
  } else {
    lines.push(`- Nothing was changed: the run stopped before it read ${old}.`)
  }
  if (!isPromoted(record) && record.createdAddon)
    lines.push(
      record.createdAddonFailed
        ? `- The database this run asked for, ${code(record.createdAddon)}, never came up (Heroku ended it deprovisioned).`
        : `- The database this run created, ${code(record.createdAddon)}, was left in place.`,
    )
  lines.push(...appStateLines(record))

  // The orchestrator's next steps know the exact situation; the generic advice is for when it gave none.
  const told = unsaid(record, record.nextSteps ?? []).map((step) => `- ${prose(step)}`)
  const remedy = refusalRemedy(record)
  const next = [...remedy, ...(told.length > 0 || remedy.length > 0 ? told : genericNextSteps(record))]

  const details = errorDetailsSection(record)
  return `### Where things stand\n\n${lines.join('\n')}${details}\n\n**What to do next**\n\n${next.join('\n')}`
}

/**
 * The error is said once: its first line in the headline, the rest here, unless the plan's blocking findings
 * already list it. Lines that name a command read as prose with the command as code; anything else (a stack,
 * an API answer) stays verbatim in a block.
 */
function errorDetailsSection(record: RunRecord): string {
  if (!record.error) return ''
  const details = errorDetails(record.error)
  if (!details) return ''
  const listed = record.plan?.blockers ?? []
  const lines = details.split('\n').map((line) => line.replace(/^\s*-\s*/, '').trim())
  if (lines.every((line) => line.length === 0 || listed.some((blocker) => sameText(blocker, line)))) return ''
  const bullets = details.split('\n').every((line) => /^\s*-\s/.test(line) || line.trim() === '')
  const body = bullets
    ? lines
        .filter((line) => line.length > 0)
        .map((line) => `- ${prose(line)}`)
        .join('\n')
    : fencedBlock(truncate(details, 8000))
  return `\n\n**Details**\n\n${body}`
}

function sameText(a: string, b: string): boolean {
  const plain = (text: string): string => scrubUrls(text).replace(/\s+/g, ' ').trim()
  return plain(a) === plain(b)
}

/**
 * The run's next steps less what the report already says in full elsewhere: what is left for Heroku, and the
 * old database still being DATABASE_URL, which "Where things stand" says first and which is no thing to do.
 */
function unsaid(record: RunRecord, steps: string[]): string[] {
  const prepared = leftForHeroku(record)
  const said = prepared ? [leftForHerokuText(record, prepared)] : []
  const old = record.oldDatabase?.addonName
  if (old) said.push(`${old} is still the primary database (DATABASE_URL); it was not changed.`)
  const left = steps.filter((step) => !said.some((text) => sameText(text, step)))
  return left.length > 0 || !prepared ? left : steps
}

/**
 * What to change when the preflight refused: the value a refused input may take (its finding names them),
 * or what each finding says. The run changed nothing, so there is nothing to undo or resume.
 */
function refusalRemedy(record: RunRecord): string[] {
  const blockers = record.plan?.blockers ?? []
  if (blockers.length === 0 || record.windowOpenedAt || record.createdAddon) return []
  const inputs = blockers.flatMap((blocker) => {
    const match = /^Input "([\w-]+)" .*Allowed: (.+?)\.?$/.exec(blocker)
    return match
      ? [`- Set the input ${code(match[1]!)} to ${allowedWords(match[2]!)}, then run the workflow again.`]
      : []
  })
  const others = blockers.length - inputs.length
  if (others > 0)
    inputs.push(
      `- Do what ${others === 1 && inputs.length === 0 ? 'the blocking finding' : 'each other blocking finding'} above says, then run the workflow again.`,
    )
  return [...inputs, '- This run changed nothing, so there is nothing to undo or resume.']
}

/** `15, 16, 17, 18` → `one of 15, 16, 17 or 18`; any other wording as it is. */
function allowedWords(allowed: string): string {
  const values = allowed.split(/,\s*/)
  if (values.length < 2 || values.some((value) => !/^[\w.-]+$/.test(value))) return allowed
  return `one of ${values.slice(0, -1).map(code).join(', ')} or ${code(values.at(-1)!)}`
}

function genericNextSteps(record: RunRecord): string[] {
  const app = record.app
  const oldAddon = record.oldDatabase?.addonName
  if (!record.oldDatabase && !record.createdAddon)
    return [
      '- Fix what the error names, then run the workflow again: this run changed nothing, so nothing is left to resume.',
    ]
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
    ...carried.done.map((item) => `- ${prose(item)}`),
    ...carried.left.map((item) => `- **Not carried over**: ${prose(item)}`),
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
  const shown = record.warnings.slice(0, 50).map((warning) => `- ${prose(truncate(warning, 1000))}`)
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
      stepDetail(step, record),
    ])
  const window = millisBetween(record.windowOpenedAt, record.windowClosedAt)
  const windowLine =
    window === undefined
      ? ''
      : `\n\nMaintenance window (measured downtime): **${formatDuration(window)}**, from ${formatClock(record.windowOpenedAt ?? '')} to ${formatClock(record.windowClosedAt ?? '')}.`
  return `### Timeline\n\n${table(['Step', 'Started', 'Duration', 'Outcome', 'Detail'], rows)}${windowLine}`
}

/** The steps whose detail says when Heroku would run the change they prepared: said again from the record. */
const PREPARE_STEPS: ReadonlySet<StepRecord['name']> = new Set(['prepare-upgrade', 'prepare-plan-change'])

/** A failed step's detail is the run's error, which the headline and the details already say. */
function stepDetail(step: StepRecord, record: RunRecord): string {
  const prepared = record.preparedChange
  if (prepared && PREPARE_STEPS.has(step.name) && step.outcome === 'ok' && step.detail?.startsWith('ready'))
    return prose(preparedDetail(record, prepared, Date.parse(step.endedAt ?? '')))
  const detail = step.detail ?? ''
  if (step.outcome === 'failed' && record.error && detail && sameText(record.error, detail))
    return 'the error above'
  return prose(truncate(detail, 300))
}

/**
 * The chart of a run, when there is one to draw: a plan, or a run that stopped in its preflight, has one
 * step of a few milliseconds, and a chart of it says nothing.
 */
function chartSection(record: RunRecord): string {
  if (record.status === 'planned' || !record.steps.some((step) => step.name !== 'preflight')) return ''
  return renderGantt(record)
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
