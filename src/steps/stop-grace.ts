// Heroku stops a dyno with SIGTERM and gives its process 30 seconds before SIGKILL; meanwhile it can still
// write. Whether the dyno list shows a dyno while it shuts down is not documented (Heroku's own log says
// "State changed from up to down" at the scale call, before the process exits), so the list alone never
// proves that a stopped dyno has exited: only seeing it listed after the stop and then gone does. Otherwise
// the grace is waited out, counted in Heroku's own time (the Date of its answers) from the stop.
import { formatDuration } from '../domain/duration'
import type { ListedDyno } from './writers'

/** The time Heroku gives a process between SIGTERM and SIGKILL. */
export const STOP_GRACE_MS = 30_000
/** Heroku's Date header counts whole seconds. */
const DATE_RESOLUTION_MS = 1000

interface Stopped {
  /** Heroku's time of the stop. */
  at: number
  /** Seen in the list after the stop: its leaving the list then means its process exited. */
  seen: boolean
}

export class StopGrace {
  /** By `app:type` for a scaled-down process type, by dyno id for a stopped one-off dyno. */
  private readonly stopped = new Map<string, Stopped>()

  /** Every dyno of these `app:type` was told to stop at `at` (Heroku's time). */
  typesStopped(types: string[], at: number): void {
    for (const type of types) this.stopped.set(type, { at, seen: false })
  }

  dynoStopped(id: string, at: number): void {
    this.stopped.set(id, { at, seen: false })
  }

  /**
   * Notes what the list shows now; returns, for what may still run unlisted, how long its grace has left at
   * Heroku's time `now` (0 when nothing stopped can still be running).
   */
  leftAt(listed: ListedDyno[], now: number): number {
    let left = 0
    for (const [key, stop] of this.stopped) {
      const shown = listed.some((dyno) => dyno.id === key || `${dyno.app}:${dyno.type}` === key)
      if (shown) {
        stop.seen = true
        continue
      }
      if (stop.seen) continue
      left = Math.max(left, stop.at + STOP_GRACE_MS + DATE_RESOLUTION_MS - now)
    }
    return Math.max(0, left)
  }

  static describe(leftMs: number): string {
    return `waiting out the ${formatDuration(STOP_GRACE_MS)} Heroku gives a stopped dyno to exit (${formatDuration(leftMs)} left): a dyno shutting down may write while the list no longer shows it`
  }
}
