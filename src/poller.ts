// Waits for a condition with a deadline. It starts at a short interval and backs off toward the
// configured poll interval, and drops back to a fast cadence whenever the check says the operation
// is nearly done, so a completion is noticed within about a second without hammering the API.
import { cancellationReason, systemClock, type Clock } from './clock'
import { formatDuration } from './duration'

export type PollResult<T> = { done: true; value: T } | { done: false; status?: string; nearlyDone?: boolean }

export interface PollOptions<T> {
  check: () => Promise<PollResult<T>>
  /** What is awaited, for messages: "the follower postgresql-x to catch up". */
  describe: string
  timeoutMs: number
  /** The longest interval between two checks (the poll-interval input). */
  interval: number
  /** First interval and the cadence used when nearly done. Default: min(1s, interval). */
  fastInterval?: number
  /** Multiplier applied after every check that is not nearly done. */
  backoff?: number
  signal?: AbortSignal
  clock?: Clock
  /** Called whenever the status text changes. */
  onStatus?: (status: string) => void
}

/**
 * While the app is down a late notice costs downtime, so waits inside the window never back off beyond
 * this (about one request every two seconds; one a second once the check says it is nearly done).
 */
export const WINDOW_MAX_INTERVAL_MS = 2_000

export function windowInterval(pollIntervalMs: number): number {
  return Math.min(pollIntervalMs, WINDOW_MAX_INTERVAL_MS)
}

export class PollTimeoutError extends Error {
  constructor(
    readonly describe: string,
    readonly timeoutMs: number,
    readonly lastStatus?: string,
  ) {
    super(
      `Timed out after ${formatDuration(timeoutMs)} waiting for ${describe}` +
        (lastStatus ? ` (last status: ${lastStatus})` : ''),
    )
    this.name = 'PollTimeoutError'
  }
}

export async function poll<T>(options: PollOptions<T>): Promise<T> {
  const clock = options.clock ?? systemClock
  const fast = Math.min(options.fastInterval ?? 1000, options.interval)
  const backoff = options.backoff ?? 1.5
  const deadline = clock.now() + options.timeoutMs
  let delay = fast
  let lastStatus: string | undefined

  for (;;) {
    if (options.signal?.aborted) throw cancellationReason(options.signal)
    const result = await options.check()
    if (result.done) return result.value
    if (result.status !== undefined && result.status !== lastStatus) {
      lastStatus = result.status
      options.onStatus?.(result.status)
    }
    const remaining = deadline - clock.now()
    if (remaining <= 0) throw new PollTimeoutError(options.describe, options.timeoutMs, lastStatus)
    const wait = result.nearlyDone ? fast : delay
    await clock.sleep(Math.min(wait, remaining), options.signal)
    delay = result.nearlyDone ? fast : Math.min(options.interval, Math.ceil(delay * backoff))
  }
}
