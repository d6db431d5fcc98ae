// What the run leaves for Heroku to run by itself, in the report: a prepared upgrade or plan change that no
// step of this run carried out. Pure functions of the run record.
import type { PreparedChange, RunRecord } from '../run/record'

/** The prepared change still waiting on Heroku, if this run left one. */
export function leftForHeroku(record: RunRecord): PreparedChange | undefined {
  const prepared = record.preparedChange
  if (!prepared || record.status === 'succeeded') return undefined
  const ranIt = record.irreversible ?? record.irreversibleSent
  const step = prepared.kind === 'upgrade' ? 'upgrade' : 'changeover'
  if (ranIt && ranIt.step === step && ranIt.addon.id === prepared.addon.id) return undefined
  return prepared
}

/** The command that takes the prepared change back (an upgrade) or puts it off (a plan change). */
export function cancelCommand(record: RunRecord, prepared: PreparedChange): string {
  return prepared.kind === 'upgrade'
    ? `heroku pg:upgrade:cancel ${prepared.addon.name} -a ${record.app}`
    : `heroku data:maintenances:schedule ${prepared.addon.name} --weeks 1 -a ${record.app}`
}

/** One paragraph for a person: when Heroku runs it, at what cost, and the two ways to stay in control. */
export function leftForHerokuText(record: RunRecord, prepared: PreparedChange): string {
  const when = prepared.runsAt
    ? `at ${prepared.runsAt.replace('.000Z', 'Z')}${prepared.window ? ` (the start of the maintenance window, ${prepared.window})` : ''}`
    : `at the start of the database's next maintenance window${prepared.window ? ` (${prepared.window})` : ''}`
  const moved = prepared.moved ? ` This run ${prepared.moved.replace(/^the /, 'found that the ')}.` : ''
  const undo =
    prepared.kind === 'upgrade'
      ? `or cancel it: ${cancelCommand(record, prepared)}`
      : `or put it off a week: ${cancelCommand(record, prepared)} (Heroku runs it anyway by its required-by date)`
  return `Heroku runs ${prepared.what} by itself ${when}, with the app up and every writer running: the database is unavailable or read-only meanwhile, and nothing stops the app's writes first.${moved} Run phase switch before then to do it in a window of your own, ${undo}.`
}
