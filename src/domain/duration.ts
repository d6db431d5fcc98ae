// Durations as people write them in workflow files: 90s, 45m, 2h, 1h30m, 500ms. Every duration the action
// writes comes from here: formatDuration for a measurement or a setting, formatWholeSeconds for a progress
// line, formatEstimate for an estimate, formatProseDuration inside a sentence.

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000 } as const
const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim())
  if (!match || match.slice(1).every((part) => part === undefined)) return undefined
  const [, h, m, s, ms] = match
  const total =
    Number(h ?? 0) * UNIT_MS.h + Number(m ?? 0) * UNIT_MS.m + Number(s ?? 0) * UNIT_MS.s + Number(ms ?? 0)
  // A run of digits long enough to lose precision (or reach Infinity) is not a duration anyone meant.
  return Number.isSafeInteger(total) ? total : undefined
}

/**
 * 5400000 → "1h30m", 90000 → "1m30s", 1500 → "1.5s". The one way every duration is written (the log, the job
 * summary, the issue, the plan id): the notation of the inputs, so a timeout quoted in a message reads as it
 * does in the workflow file, and parseDuration reads it back. A library was weighed and not taken: pretty-ms
 * adds about 6 KB (with parse-ms) and writes "25m 35s", which the inputs do not accept; ms rounds to "26m".
 */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`
  const totalSeconds = Math.round(ms / 1000)
  const h = Math.floor(totalSeconds / 3600)
  const m = Math.floor((totalSeconds % 3600) / 60)
  const s = totalSeconds % 60
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || '0s'
}

/** Whole seconds, for a progress line that has no use for tenths: 1500 → "2s", 90400 → "1m30s". */
export function formatWholeSeconds(ms: number): string {
  return formatDuration(Math.round(ms / 1000) * 1000)
}

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS

/**
 * An estimate as precise as it can be: "about 23m5s" claims a precision no estimate has. Under a minute to
 * 5 s, under 5 minutes to 30 s, under 20 minutes to the minute, beyond to 5 minutes. Written as
 * formatDuration writes it, so a rounded estimate still reads back with parseDuration.
 */
export function roundEstimate(ms: number): number {
  if (!(ms > 0)) return 0
  const step =
    ms < MINUTE_MS ? 5_000 : ms < 5 * MINUTE_MS ? 30_000 : ms < 20 * MINUTE_MS ? MINUTE_MS : 5 * MINUTE_MS
  return Math.max(step, Math.round(ms / step) * step)
}

/** `about 25m`: an estimate, rounded by roundEstimate. */
export function formatEstimate(ms: number): string {
  return formatDuration(roundEstimate(ms))
}

/**
 * A duration in a sentence, where seconds past the first hour are noise ("in 72h29m17s"): from two days on,
 * whole days ("3 days"); from an hour on, hours and minutes ("6h5m"); below, as formatDuration writes it.
 * Measurements in tables keep formatDuration: there the seconds are what was measured.
 */
export function formatProseDuration(ms: number): string {
  if (ms >= 2 * DAY_MS) return `${Math.round(ms / DAY_MS)} days`
  if (ms >= HOUR_MS) return formatDuration(Math.round(ms / MINUTE_MS) * MINUTE_MS)
  return formatDuration(ms)
}
