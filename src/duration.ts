// Durations as people write them in workflow files: 90s, 45m, 2h, 1h30m, 500ms.

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 }
const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim())
  if (!match || match.slice(1).every((part) => part === undefined)) return undefined
  const [, h, m, s, ms] = match
  const total =
    Number(h ?? 0) * UNIT_MS.h! + Number(m ?? 0) * UNIT_MS.m! + Number(s ?? 0) * UNIT_MS.s! + Number(ms ?? 0)
  // A run of digits long enough to lose precision (or reach Infinity) is not a duration anyone meant.
  return Number.isSafeInteger(total) ? total : undefined
}

/** 5400000 → "1h30m", 90000 → "1m30s", 1500 → "1.5s". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`
  const totalSeconds = Math.round(ms / 1000)
  const h = Math.floor(totalSeconds / 3600)
  const m = Math.floor((totalSeconds % 3600) / 60)
  const s = totalSeconds % 60
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || '0s'
}
