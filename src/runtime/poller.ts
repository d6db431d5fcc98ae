// Waits for a condition with a deadline. Without progress it starts at a short interval and backs off toward
// the configured poll interval, and drops back to a fast cadence whenever the check says the operation is
// nearly done. A check that reports progress lets the poller predict the end: it then sleeps long while the
// end is far and checks every second around it. Every sleep stretches when the API budget runs low. While it
// waits it prints progress (progress.ts) through `onStatus`, at least a line a minute, without checking more.
import { cancellationReason, systemClock, type Clock } from './clock'
import { formatDuration } from '../domain/duration'
import { processRateBudget, type RateBudgetView } from './rate-budget'
import { ProgressReporter, type Measure } from './progress'

export interface Progress {
  /** What is left before the wait ends, in units used up at a roughly steady pace (steps, commits). */
  left: number
  /**
   * `left` moves in whole steps of about equal length (the upgrade's `(n/7)`) instead of continuously (a lag):
   * a reading then only says that the step began somewhere since the previous one.
   */
  stepped?: boolean
}

export type PollResult<T> =
  | { done: true; value: T }
  | { done: false; status?: string; nearlyDone?: boolean; progress?: Progress; measure?: Measure }

export interface PollOptions<T> {
  check: () => Promise<PollResult<T>>
  /** What is awaited, for messages: "the follower postgresql-x to catch up". */
  describe: string
  timeoutMs: number
  /** The longest interval between two checks when there is no progress to predict the end from. */
  interval: number
  /** First interval and the cadence used when nearly done. Default: min(1s, interval). */
  fastInterval?: number
  /** Multiplier applied after every check that is not nearly done. */
  backoff?: number
  signal?: AbortSignal
  clock?: Clock
  /**
   * Receives the progress lines to print (see progress.ts): "Waiting for <describe>: <status, trend>
   * (<elapsed>)", when the status changes (at most one line per 10 s) and at least once a minute otherwise,
   * also during a long sleep between two checks. Without it the wait prints nothing.
   */
  onStatus?: (line: string) => void
  /** Default: the tightest budget of the API tokens this process used. */
  rateBudget?: RateBudgetView
}

/**
 * While the app is down a late notice costs downtime, so waits inside the window never back off beyond
 * this (about one request every two seconds; one a second once the check says it is nearly done) unless
 * their progress puts the end further away.
 */
export const WINDOW_MAX_INTERVAL_MS = 2_000

/**
 * The longest sleep a prediction allows (or the poll interval, when longer). A prediction can be wrong when
 * steps are uneven (an upgrade's longest step is not its last): this bounds how late the end is noticed.
 */
export const FORECAST_MAX_INTERVAL_MS = 5_000

/**
 * How often the dynos are looked at while a one-off dyno could write to a database the app is leaving. A
 * Scheduler job spends seconds `starting` before its command runs: a look every 5 s catches one that boots
 * for 5 s or longer before it writes, and one seen already `up` is never a lost write (the switch is refused),
 * only a run to repeat. Boot time does not depend on the poll interval, so neither does this, except that a
 * sub-second poll interval (a simulator's sped-up clock) shortens it in proportion.
 */
export const WATCH_MAX_INTERVAL_MS = 5_000

export function watchInterval(pollIntervalMs: number): number {
  return Math.min(WATCH_MAX_INTERVAL_MS, 5 * pollIntervalMs)
}

export function windowInterval(pollIntervalMs: number): number {
  return Math.min(pollIntervalMs, WINDOW_MAX_INTERVAL_MS)
}

/**
 * Waits that can take hours with the app up (Heroku preparing, a follow cooldown): asking at a sixth of the
 * usual rate keeps the API budget for the window.
 */
export function longWaitInterval(pollIntervalMs: number): number {
  return pollIntervalMs * 6
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
  const budget = options.rateBudget ?? processRateBudget
  const fast = Math.min(options.fastInterval ?? 1000, options.interval)
  const longest = Math.max(options.interval, FORECAST_MAX_INTERVAL_MS)
  const backoff = options.backoff ?? 1.5
  const deadline = clock.now() + options.timeoutMs
  const forecast = new EndForecast()
  let delay = fast
  let lastStatus: string | undefined
  const reporter = options.onStatus && new ProgressReporter(options.describe, options.onStatus, clock.now())

  for (;;) {
    if (options.signal?.aborted) throw cancellationReason(options.signal)
    const checkStarted = clock.now()
    reporter?.checking(checkStarted)
    const result = await options.check()
    if (result.done) return result.value
    if (result.status !== undefined) lastStatus = result.status
    const now = clock.now()
    reporter?.observe(now, result.status, result.measure, now - checkStarted)
    const remaining = deadline - now
    if (remaining <= 0) throw new PollTimeoutError(options.describe, options.timeoutMs, lastStatus)
    if (result.progress) forecast.observe(now, result.progress)
    const planned = result.nearlyDone ? fast : forecast.sleep(now, fast, longest)
    let wait: number
    if (planned !== undefined) {
      wait = planned
      delay = fast
    } else {
      wait = delay
      delay = Math.min(options.interval, Math.ceil(delay * backoff))
    }
    const sleep = Math.min(Math.ceil(wait * budget.stretch(now)), remaining)
    await sleepReporting(clock, sleep, options.signal, reporter)
  }
}

/**
 * One sleep between two checks, cut where the reporter has a line due, so that a long sleep (a stretched
 * budget, a far forecast) still prints a line a minute. The checks keep their cadence: only lines are added.
 */
async function sleepReporting(
  clock: Clock,
  ms: number,
  signal: AbortSignal | undefined,
  reporter: ProgressReporter | undefined,
): Promise<void> {
  if (!reporter) return clock.sleep(ms, signal)
  const end = clock.now() + ms
  let now = clock.now()
  do {
    const until = Math.min(end, Math.max(reporter.nextDueAt(), now + 1))
    await clock.sleep(until - now, signal)
    now = clock.now()
    reporter.woke(until, now)
    reporter.tick(now)
  } while (now < end)
}

interface Reading {
  at: number
  left: number
  /** For a step change: it happened within `at` ± this (half the time between the two readings). */
  halfWidth: number
}

/** Until the end is this near in relative terms, a continuous pace may still pick up. */
const PACE_SLACK = 0.25
/** Each sleep covers this share of the time left before the checks must be dense. */
const APPROACH = 0.5
const MAX_READINGS = 50
const CONTINUOUS_READINGS = 5

/** Predicts the end of a wait from the progress its checks report, and how long to sleep because of it. */
class EndForecast {
  private readings: Reading[] = []
  private stepped = false
  private lastAt = 0
  private lastLeft = 0

  observe(now: number, progress: Progress): void {
    const left = Math.max(0, progress.left)
    const stepped = progress.stepped === true
    if (this.readings.length === 0 || left > this.lastLeft || stepped !== this.stepped) {
      // A first reading, or progress went backwards: what was seen says nothing about the pace any more.
      this.stepped = stepped
      this.readings = [{ at: now, left, halfWidth: 0 }]
    } else if (!stepped) {
      this.readings.push({ at: now, left, halfWidth: 0 })
      if (this.readings.length > CONTINUOUS_READINGS) this.readings.shift()
    } else if (left < this.lastLeft) {
      this.readings.push({ at: (this.lastAt + now) / 2, left, halfWidth: (now - this.lastAt) / 2 })
      if (this.readings.length > MAX_READINGS) this.readings.splice(1, 1)
    }
    this.lastAt = now
    this.lastLeft = left
  }

  /** The sleep the prediction calls for, or undefined when there is none (or it was wrong): back off then. */
  sleep(now: number, fast: number, longest: number): number | undefined {
    const window = this.stepped ? this.steppedWindow(now, fast) : this.continuousWindow(fast)
    if (!window) return undefined
    if (now < window.earliest)
      return Math.ceil(Math.min(longest, Math.max(fast, (window.earliest - now) * APPROACH)))
    return window.latest !== undefined && now <= window.latest ? fast : undefined
  }

  /** A pace from the oldest kept reading to the newest; the end might come up to PACE_SLACK sooner. */
  private continuousWindow(fast: number): { earliest: number; latest: number } | undefined {
    const first = this.readings[0]
    const last = this.readings.at(-1)
    if (!first || !last || last.at <= first.at) return undefined
    const pace = (first.left - last.left) / (last.at - first.at)
    if (!(pace > 0)) return undefined
    const toEnd = last.left / pace
    const margin = Math.max(fast, PACE_SLACK * toEnd)
    return { earliest: last.at + toEnd - margin, latest: last.at + toEnd + margin }
  }

  /**
   * Steps of equal length: the step now running began at the last change (± its half width) and has lasted
   * at least since then, so every step is at least that long, which bounds the end from below even before
   * a second change gives the length of a step.
   */
  private steppedWindow(now: number, fast: number): { earliest: number; latest?: number } | undefined {
    const last = this.readings.at(-1)
    if (!last) return undefined
    const lastedAtLeast = Math.max(0, now - (last.at + last.halfWidth))
    let earliest = now + (last.left - 1) * lastedAtLeast
    if (this.readings.length < 2) return { earliest }
    // The first reading is not a change: a step length measured from it is too short, so only use it alone.
    const anchor = (this.readings.length > 2 ? this.readings[1] : this.readings[0]) as Reading
    const steps = anchor.left - last.left
    const stepMs = (last.at - anchor.at) / steps
    const error = (anchor.halfWidth + last.halfWidth) / steps
    const expected = last.at + last.left * stepMs
    const uncertainty = last.halfWidth + last.left * error
    earliest = Math.max(earliest, expected - uncertainty)
    return { earliest, latest: expected + Math.max(fast, uncertainty) }
  }
}
