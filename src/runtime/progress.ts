// What a person watching the log sees while the action waits on Heroku: a line when what Heroku reports
// changes, and at least one a minute when it does not, each saying what is awaited, for how long so far, and
// what Heroku last said, with a trend where there is one (a lag falling, a transfer's rate, the upgrade's
// steps). It only prints: it never makes the wait ask Heroku more often.
import { formatWholeSeconds as seconds } from '../domain/duration'

/** What a status is a reading of, so that its trend can be told. */
export type Measure =
  /** A follower `behind` commits, done once it is at most `goal` behind (0 by default). */
  | { kind: 'commits'; behind: number; goal?: number }
  /** A transfer: `done` bytes of `total` (when Heroku knows it). */
  | { kind: 'bytes'; done: number; total?: number }
  /** An upgrade running step `step` of `of`. */
  | { kind: 'step'; step: number; of: number }

/**
 * At least one line a minute, changed or not: GitHub shows a step that prints nothing for minutes as if it
 * hung, and a minute is the granularity at which Heroku's long waits (catch-up, prepare, copy) move. Half a
 * second under the minute, because a line reaches the log a little after its timer fires (milliseconds, but
 * forty times that in the bench's Heroku-paced runs), and the gap a reader sees must stay within the minute.
 */
export const HEARTBEAT_MS = 59_500
/**
 * A changed status prints at once, but never sooner than this after the previous line: inside the window the
 * checks run every 1–2 s, and a status that changes at each one (dynos stopping one by one, a release
 * pending then running) would otherwise flood the log. Ten seconds keeps it to six lines a minute at most,
 * while a person still sees a change within the time it takes to read a line.
 */
export const MIN_LINE_GAP_MS = 10_000
/** The most the minute's line goes out early to make up for slow checks and late timers. */
const MAX_SLACK_MS = 5_000
/** Readings older than this say nothing about the current pace. */
const TREND_SPAN_MS = 5 * 60_000
/** A pace measured over less than this is noise. */
const MIN_TREND_MS = 20_000

interface Reading {
  at: number
  value: number
}

export class ProgressReporter {
  private status: string | undefined
  private measure: Measure | undefined
  private checkedAt: number
  private printedAt: number | undefined
  private printedKey: string | undefined
  private readonly readings: Reading[] = []
  /** When each upgrade step was first seen, to tell how long a step takes. */
  private readonly stepSeen: Reading[] = []
  /** How long the last checks took: a line due while one runs is printed before it starts instead. */
  private readonly checkMs: number[] = []
  /** How late the last sleeps woke (a busy machine): the sleeps before a line end that much earlier. */
  private readonly lateMs: number[] = []

  constructor(
    private readonly describe: string,
    private readonly emit: (line: string) => void,
    private readonly startedAt: number,
  ) {
    this.checkedAt = startedAt
  }

  /**
   * A check starts at `now`. A check can take seconds (several requests, a slow answer) and prints nothing
   * until it ends: when the minute's line falls due before this one is likely to end, it is printed now,
   * a little early, rather than late.
   */
  checking(now: number): void {
    // Before the first check there is nothing to say yet: its answer makes the first line.
    if (this.printedAt !== undefined) this.tick(now, slack(this.checkMs) + slack(this.lateMs))
  }

  /** A sleep meant to end at `meant` ended at `now`. */
  woke(meant: number, now: number): void {
    remember(this.lateMs, now - meant)
  }

  /** What a check that took `tookMs` reported at `now`: printed at once when it changed, 10 s after the last. */
  observe(now: number, status: string | undefined, measure?: Measure, tookMs = 0): void {
    this.status = status
    this.measure = measure
    this.checkedAt = now
    remember(this.checkMs, tookMs)
    if (measure) this.remember(now, measure)
    this.tick(now)
  }

  /** Prints what is due at `now`: a pending change, or the minute's line. */
  tick(now: number, early = slack(this.lateMs)): void {
    const key = this.key()
    const since = this.printedAt === undefined ? Infinity : now - this.printedAt
    const changed = key !== this.printedKey
    if ((changed && since >= MIN_LINE_GAP_MS) || since + early >= HEARTBEAT_MS) this.print(now)
  }

  private print(now: number): void {
    this.emit(this.line(now))
    this.printedAt = now
    this.printedKey = this.key()
  }

  /** The next moment a line may be due, for a wait that sleeps: a pending change, or the next minute. */
  nextDueAt(): number {
    if (this.printedAt === undefined) return this.checkedAt
    const changed = this.key() !== this.printedKey
    return this.printedAt + (changed ? MIN_LINE_GAP_MS : HEARTBEAT_MS - slack(this.lateMs))
  }

  /** The line for `now`: "Waiting for X: <status, trend> (12m elapsed)". */
  line(now: number): string {
    const elapsed = now - this.startedAt
    const age = now - this.checkedAt
    const details = [this.status, this.trend(now)].filter((part) => part).join(', ')
    const timing = [
      elapsed >= 1_000 ? `${seconds(elapsed)} elapsed` : '',
      age >= MIN_LINE_GAP_MS && details ? `last checked ${seconds(age)} ago` : '',
    ].filter((part) => part)
    return `Waiting for ${this.describe}${details ? `: ${details}` : ''}${timing.length ? ` (${timing.join('; ')})` : ''}`
  }

  /**
   * A status "changes" when its words do, not its numbers: a lag falling or bytes growing (from MB to GB) is
   * the same state moving on, reported once a minute; a new upgrade step, a dyno stopped, a transfer starting
   * is news.
   */
  private key(): string {
    const measure = this.measure
    if (measure?.kind === 'commits' || measure?.kind === 'bytes') return measure.kind
    const words = (this.status ?? '').replace(/[\d.,]+/g, '#')
    return measure?.kind === 'step' ? `${words} ${measure.step}` : words
  }

  private remember(now: number, measure: Measure): void {
    if (measure.kind === 'step') {
      const last = this.stepSeen.at(-1)
      if (!last || measure.step !== last.value) this.stepSeen.push({ at: now, value: measure.step })
      return
    }
    const value = measure.kind === 'commits' ? measure.behind : measure.done
    const last = this.readings.at(-1)
    // Bytes only grow: fewer means another transfer; a lag may rise, which is a trend worth telling.
    if (last && measure.kind === 'bytes' && value < last.value) this.readings.length = 0
    this.readings.push({ at: now, value })
    for (let oldest = this.readings[0]; oldest && this.readings.length > 2; oldest = this.readings[0]) {
      if (now - oldest.at <= TREND_SPAN_MS) break
      this.readings.shift()
    }
  }

  private trend(now: number): string {
    const measure = this.measure
    if (!measure) return ''
    if (measure.kind === 'step') return this.stepTrend(now, measure)
    const pace = this.pacePerMs()
    if (measure.kind === 'bytes') return bytesTrend(measure, pace)
    return commitsTrend(measure, pace)
  }

  /** Change of the reading per millisecond over the kept readings, or undefined when too short to tell. */
  private pacePerMs(): number | undefined {
    const first = this.readings[0]
    const last = this.readings.at(-1)
    if (!first || !last || last.at - first.at < MIN_TREND_MS) return undefined
    return (last.value - first.value) / (last.at - first.at)
  }

  /** Steps take about as long as the ones seen from start to end; the first one seen may have begun earlier. */
  private stepTrend(now: number, measure: Extract<Measure, { kind: 'step' }>): string {
    const seen = this.stepSeen
    const first = seen[1]
    const last = seen.at(-1)
    if (seen.length < 3 || !first || !last) return ''
    const stepMs = (last.at - first.at) / (last.value - first.value)
    if (!(stepMs > 0)) return ''
    const left = Math.max(0, (measure.of - measure.step + 1) * stepMs - (now - last.at))
    return `~${seconds(stepMs)} a step, ${aboutLeft(left)}`
  }
}

/** Keeps the last ten delays seen. */
function remember(delays: number[], ms: number): void {
  delays.push(Math.max(0, ms))
  if (delays.length > 10) delays.shift()
}

/** How early a line goes out to make up for `delays`; a few seconds at most, whatever one slow check took. */
const slack = (delays: number[]): number => Math.min(MAX_SLACK_MS, Math.max(0, ...delays))

function commitsTrend(measure: Extract<Measure, { kind: 'commits' }>, pace: number | undefined): string {
  if (pace === undefined) return ''
  const perMinute = pace * 60_000
  if (Math.abs(perMinute) < 0.5) return 'steady'
  if (perMinute > 0) return `rising ~${roughly(perMinute)}/min`
  const toGo = Math.max(0, measure.behind - (measure.goal ?? 0))
  return `falling ~${roughly(-perMinute)}/min, ${aboutLeft(toGo / -pace)} at this rate`
}

function bytesTrend(measure: Extract<Measure, { kind: 'bytes' }>, pace: number | undefined): string {
  const parts: string[] = []
  if (measure.total) parts.push(`${percent(measure.done / measure.total)}`)
  if (pace !== undefined && pace > 0) {
    parts.push(`${formatBytes(pace * 1000)}/s`)
    if (measure.total) parts.push(aboutLeft(Math.max(0, measure.total - measure.done) / pace))
  }
  return parts.join(', ')
}

const aboutLeft = (ms: number): string => `about ${seconds(Math.max(1_000, ms))} left`

/** 40 → "40", 1234 → "1,200", 0.75 → "0.8": two significant figures, as a trend deserves. */
function roughly(value: number): string {
  const rounded = Number(value.toPrecision(2))
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 1 })
}

function percent(share: number): string {
  const value = Math.min(100, Math.max(0, share * 100))
  return `${value < 10 ? value.toFixed(1) : Math.floor(value)}%`
}

/** 1240 → "1,240". */
export const count = (value: number): string => value.toLocaleString('en-US')

/** Bytes as Heroku's CLI shows sizes (powers of 1024): "2.4 GB", "512 MB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`
}
