// What the record says about how a run that did not finish left things: pure questions the outcome, the
// report and the recovery ask of it.
import { majorOf } from '../domain/version'
import type { RunRecord } from './record'

/** The major version moved on the database that serves the app (an in-place upgrade happened). */
export function upgradedInPlace(record: Readonly<RunRecord>): boolean {
  const end = record.endState
  const old = record.oldDatabase
  if (!end || !old || end.serving.id !== old.addonId) return false
  const before = majorOf(old.version)
  const now = majorOf(end.version)
  return before !== undefined && now !== undefined && now > before
}

/** The plan moved on the database that serves the app (a plan change happened). */
export function planChangedInPlace(record: Readonly<RunRecord>): boolean {
  const end = record.endState
  const old = record.oldDatabase
  return !!end && !!old && end.serving.id === old.addonId && end.plan !== old.plan
}

/**
 * A failed or stopped run lets go of its hold only when nothing is left that another run could collide
 * with: the window is closed, no switch is unsettled, no request's fate is unknown, and Heroku is not still
 * carrying out a change. A prepared change left behind does not keep it: the report names it, and it
 * guards itself (Heroku refuses a second upgrade; other methods refuse a database with one prepared),
 * while a re-run takes it over.
 */
export function holdMayGo(record: Readonly<RunRecord>): boolean {
  const hold = record.hold
  if (!hold || hold.released) return false
  const windowOpen = record.windowOpenedAt !== undefined && record.windowClosedAt === undefined
  const unsettled = (record.moves?.length ?? 0) > 0 && record.switchOutcome === undefined
  return !windowOpen && !unsettled && !record.irreversibleSent && !record.endState?.underWay
}

/** The database the app left still has the write fence this run put on it (read-only to every new session). */
export function oldDatabaseFenced(record: Readonly<RunRecord>): boolean {
  const fence = record.fence
  return fence?.raisedOn !== undefined && !fence.lifted.includes(fence.raisedOn)
}
