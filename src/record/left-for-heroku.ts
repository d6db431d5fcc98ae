// What the run leaves for Heroku to run by itself, in the report: a prepared upgrade or plan change that no
// step of this run carried out. Pure functions of the run record.
import type { PreparedChange, RunRecord } from './record'
import { formatProseDuration } from '../domain/duration'
import { formatDateTime } from '../domain/date-time'
import { upgradeCancelCommand } from '../domain/remedies'

/** The prepared change still waiting on Heroku, if this run left one. */
export function leftForHeroku(record: RunRecord): PreparedChange | undefined {
  const prepared = record.preparedChange
  if (!prepared || record.status === 'succeeded') return undefined
  if (sentByThisRun(record, prepared, record.irreversible ?? record.irreversibleSent)) return undefined
  return prepared
}

function sentByThisRun(
  record: RunRecord,
  prepared: PreparedChange,
  sent: RunRecord['irreversible'],
): boolean {
  const step = prepared.kind === 'upgrade' ? 'upgrade' : 'changeover'
  return !!sent && sent.step === step && sent.addon.id === prepared.addon.id
}

/**
 * The prepare step's detail, true when read after the run: a run that went on to carry the change out says so
 * in the past, instead of "unless phase switch runs it first". `readyAt`: when the preparation ended, from
 * which the wait until Heroku's own start is counted.
 */
export function preparedDetail(record: RunRecord, prepared: PreparedChange, readyAt: number): string {
  const at = prepared.runsAt ? formatDateTime(prepared.runsAt) : ''
  if (record.status === 'succeeded' || sentByThisRun(record, prepared, record.irreversible))
    return `ready; this run then ran it in its own window${at ? `, before Heroku would have run it by itself at ${at}` : ''}`
  if (sentByThisRun(record, prepared, record.irreversibleSent))
    return `ready; this run then asked Heroku to run it in its window, and whether Heroku received that is unknown${at ? ` (Heroku would otherwise run it by itself at ${at})` : ''}`
  const wait =
    prepared.runsAt && Number.isFinite(readyAt)
      ? `, ${formatProseDuration(Math.max(0, Date.parse(prepared.runsAt) - readyAt))} after it was ready`
      : ''
  return at
    ? `ready; Heroku runs it by itself at ${at}${wait}, unless a run with phase switch runs it first`
    : 'ready; Heroku runs it by itself at the start of the next maintenance window, unless a run with phase switch runs it first'
}

/** The command that takes the prepared change back (an upgrade) or puts it off (a plan change). */
export function cancelCommand(record: RunRecord, prepared: PreparedChange): string {
  return prepared.kind === 'upgrade'
    ? upgradeCancelCommand(prepared.addon.name, record.app)
    : `heroku data:maintenances:schedule ${prepared.addon.name} --weeks 1 -a ${record.app}`
}

/** One paragraph for a person: when Heroku runs it, at what cost, and the two ways to stay in control. */
export function leftForHerokuText(record: RunRecord, prepared: PreparedChange): string {
  const when = prepared.runsAt
    ? `at ${formatDateTime(prepared.runsAt)}${prepared.window ? ` (the start of the maintenance window, ${prepared.window})` : ''}`
    : `at the start of the database's next maintenance window${prepared.window ? ` (${prepared.window})` : ''}`
  const moved = prepared.moved ? ` This run ${prepared.moved.replace(/^the /, 'found that the ')}.` : ''
  const undo =
    prepared.kind === 'upgrade'
      ? `or cancel it: ${cancelCommand(record, prepared)}`
      : `or put it off a week: ${cancelCommand(record, prepared)} (Heroku runs it anyway by its required-by date)`
  return [
    `Heroku runs ${prepared.what} by itself ${when}, with the app up and every writer running:`,
    `the database is unavailable or read-only meanwhile, and nothing stops the app's writes first.${moved}`,
    `Run phase switch before then to do it in a window of your own, ${undo}.`,
  ].join(' ')
}
