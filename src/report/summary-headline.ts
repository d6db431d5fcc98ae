// The top of the job summary: the outcome in one line, with the error's first line as its reason, and the
// overview (method, target, total time). Pure functions of the run record.
import { isPromoted, type DatabaseSnapshot, type RunRecord, type StepRecord } from '../record/record'
import { code, describeDatabase, methodKnown, millisBetween, prose, runTotalMs, scrubUrls } from './format'
import { formatDuration, formatEstimate } from '../domain/duration'
import { shortPlan } from '../domain/tier'
import { planChangedInPlace, upgradedInPlace } from '../record/queries'
import { leftReadOnlyHeadline } from '../domain/messages/fence'

/** The outcome in one line, led by a serving database left read-only when it was. */
export function outcomeLine(record: RunRecord): string {
  const failed = record.fence?.liftFailed
  const line = outcomeOf(record)
  if (!failed) return line
  const why = prose(scrubUrls(failed.error).split('\n', 1)[0] ?? '')
  return `${leftReadOnlyHeadline(record.app, failed.addon, why)} ${line}`
}

function outcomeOf(record: RunRecord): string {
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

const READ_BELOW = 'Read "Where things stand" below.'

/**
 * A failure after something Heroku carries out on its own: said from what Heroku reported at the end.
 * `reason`: the error's headline, with its leading space.
 */
export function failedLine(record: RunRecord, reason: string): string | undefined {
  const app = record.app
  const end = record.endState
  const step = record.irreversible?.step
  const change = step === 'changeover' || step === 'plan-change' ? 'plan change' : 'upgrade'
  if (end?.underWay)
    return `**Failed while Heroku carries on**: ${app}'s DATABASE ${code(end.serving.name)} has ${end.underWay}, which cannot be stopped; Heroku finishes it on its own. ${READ_BELOW}${reason}`
  if (end && (upgradedInPlace(record) || planChangedInPlace(record))) {
    const now = `now PG ${end.version} on ${shortPlan(end.plan)} (was ${versionAndPlan(record.oldDatabase)})`
    return `**Failed after the ${change}**: ${app}'s DATABASE ${code(end.serving.name)} is ${now}; what failed came after it and did not undo it.${reason}`
  }
  if (end && record.oldDatabase && end.serving.id !== record.oldDatabase.addonId)
    return `**Failed after the switch**: ${app}'s DATABASE now points at ${code(end.serving.name)} (PG ${end.version}), but the run did not finish. ${READ_BELOW}${reason}`
  if (record.irreversibleSent)
    return `**Failed, outcome unknown**: ${record.irreversibleSent.what} was sent and whether Heroku received it could not be found out. ${READ_BELOW}${reason}`
  return undefined
}

/**
 * The error's first line, as the headline says it. A first line that only announces a list ("Preflight found
 * 2 problems:") points at the list, which the report shows once, below.
 */
export const HEADLINE_MAX_CHARS = 300

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
export function errorDetails(error: string): string {
  const lines = scrubUrls(error).trim().split('\n')
  if ((lines[0] ?? '').length > HEADLINE_MAX_CHARS) return lines.join('\n')
  return lines.slice(1).join('\n').trim()
}

function sentence(text: string): string {
  const trimmed = text.trim()
  // A quotation that ends a sentence ends it inside its quotes: `…database)."`.
  return /[.!?]["')]?$/.test(trimmed) ? trimmed : `${trimmed}.`
}

/** The same words, whatever the spacing and whatever URL they held: said once is said. */
export function sameText(a: string, b: string): boolean {
  const plain = (text: string): string => scrubUrls(text).replace(/\s+/g, ' ').trim()
  return plain(a) === plain(b)
}

function downtimePhrase(record: RunRecord): string {
  // No window is not no downtime: a plan change Heroku makes with the app up still takes the database a while.
  if (!record.windowOpenedAt)
    return record.choice
      ? `with the app up throughout (no maintenance window; Heroku's own change was estimated at about ${formatEstimate(record.choice.downtimeMs)})`
      : 'with the app up throughout (no maintenance window)'
  const ms = millisBetween(record.windowOpenedAt, record.windowClosedAt)
  if (record.readOnlyWindow)
    return ms === undefined
      ? 'with a read-only window that was never closed'
      : `with no planned read downtime (web served reads through a read-only window) and ${formatDuration(ms)} of write downtime`
  return ms === undefined
    ? 'with a maintenance window that was never closed'
    : `with ${formatDuration(ms)} of downtime`
}

/** `PG 16.4 on standard-0` */
export function versionAndPlan(snapshot: DatabaseSnapshot | undefined): string {
  if (!snapshot) return 'an unknown state'
  return `PG ${snapshot.version} on ${shortPlan(snapshot.plan)}`
}

function sameAddon(record: RunRecord): boolean {
  return !!record.oldDatabase && record.oldDatabase.addonId === record.newDatabase?.addonId
}

export function overviewLine(record: RunRecord): string {
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

function lastStep(record: RunRecord): StepRecord | undefined {
  return record.steps[record.steps.length - 1]
}
