// What the action says about the maintenance window: why it does not open, the writers it leaves running,
// and why it stops or stays closed.
import { formatDuration } from '../duration'
import { describeFormation, type FormationText } from '../formation'

/** The estimate is over max-downtime. */
export function overMaxDowntimeRefusal(estimateMs: number, maxDowntimeMs: number): string {
  return [
    `The window is expected to take about ${formatDuration(estimateMs)}, more than max-downtime (${formatDuration(maxDowntimeMs)}), so it is not opened.`,
    'Raise max-downtime, or choose a method with a shorter window (the summary lists them).',
  ].join(' ')
}

/** The window would end after window-end. `leftMs`: from now to window-end, negative once it is past. */
export function pastWindowEndRefusal(estimateMs: number, windowEnd: string, leftMs: number): string {
  const when = leftMs > 0 ? `${formatDuration(leftMs)} away` : `${formatDuration(-leftMs)} past`
  return [
    `The window is expected to take about ${formatDuration(estimateMs)}, and window-end (${windowEnd}) is ${when}, so it is not opened.`,
    'Run again in the next maintenance window.',
  ].join(' ')
}

/** Said in preflight: the process types scale-down leaves running may keep the new database behind. */
export function leftRunningWarning(left: readonly FormationText[], lagTimeoutMs: number): string {
  return [
    `scale-down leaves ${describeFormation(left)} running during the window.`,
    `If they write, the new database never reaches 0 commits behind and the run rolls back after lag-timeout (${formatDuration(lagTimeoutMs)}).`,
  ].join(' ')
}

/** Said in preflight: one-off dynos running now, which the window waits for. */
export function oneOffDynosWarning(dynos: readonly string[], lagTimeoutMs: number): string {
  return (
    `One-off dynos are running now (${dynos.join(', ')}): the window waits for them to end, up to lag-timeout (${formatDuration(lagTimeoutMs)}); ` +
    'one-off dynos that start during the window are stopped.'
  )
}

/**
 * Said when the window opens with process types left running. `types`: those types as written; `scaleDown`:
 * the scale-down input in words; `database`: the database they write to when no data moves.
 */
export function keptRunningWarning(kept: {
  app: string
  types: string
  scaleDown: string
  movesData: boolean
  acceptLostWrites: boolean
  database?: string
}): string {
  const head = `${kept.app}: ${kept.types} kept running during the window (scale-down is ${kept.scaleDown})`
  if (!kept.movesData)
    return `${head}; what they write reaches ${kept.database ?? 'the database'}, which the app keeps.`
  if (kept.acceptLostWrites)
    return [
      `${head}, and accept-lost-writes is true: what they write to the old database once the new one stops receiving its writes is lost.`,
      "The window goes on once the lag has stayed 0 for longer than a dyno's boot.",
    ].join(' ')
  return [
    `${head}: they write to the old database, which the new one stops receiving, so the window waits until their dynos are stopped (within lag-timeout) and rolls back otherwise.`,
    'Scale them down, or set accept-lost-writes to true to accept losing what they write.',
  ].join(' ')
}

/** The writers did not stop (or the lag did not reach 0) within lag-timeout. `writersLeft`: who still can. */
export function writersTimeoutMessage(timeout: {
  lag: boolean
  lagTimeoutMs: number
  lastStatus?: string
  writersLeft: string
}): string {
  const what = timeout.lag ? ' and the new database to reach 0 commits behind' : ''
  const last = timeout.lastStatus ? ` (last status: ${timeout.lastStatus})` : ''
  return [
    `Timed out waiting for every writer to stop${what}: lag-timeout is ${formatDuration(timeout.lagTimeoutMs)}${last}.`,
    `Still able to write: ${timeout.writersLeft}.`,
    'Nothing after this step was done.',
  ].join(' ')
}

/** Dynos seen up after the unfollow: the switch is refused. `dynos`: those dynos as written. */
export function wroteAfterUnfollowMessage(dynos: string): string {
  return [
    `${dynos} ran after the new database stopped following the old one, so they may have written to the old database only.`,
    'The switch was not made: the old database is still primary and holds every write.',
  ].join(' ')
}

/** The app left closed on purpose: reopening it could send writes to a database that is not DATABASE. */
export function leftDownMessage(app: string, switchDetail?: string): string {
  return (
    `${app} was left in maintenance with its dynos scaled down, because reopening it could send writes to a database that is not DATABASE: ` +
    (switchDetail ?? 'the switch could not be confirmed')
  )
}
