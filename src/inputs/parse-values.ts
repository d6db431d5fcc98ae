// The kinds of value several inputs share: lists, booleans and durations. Each parser returns a usable
// value even when the input is bad (and adds the problem), so that every other input is still checked.
import { parseDuration } from '../domain/duration'
import { invalid } from './problems'

export interface DurationRange {
  minMs: number
  maxMs: number
  text: string
}

/** 120h is the longest a self-hosted runner lets a job run. */
export const TIMEOUT_RANGE: DurationRange = { minMs: 1_000, maxMs: 120 * 3_600_000, text: 'from 1s to 120h' }
export const POLL_RANGE: DurationRange = { minMs: 100, maxMs: 10 * 60_000, text: 'from 100ms to 10m' }

/** Items separated by commas or new lines, trimmed, empty ones dropped. */
export function list(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

export function booleanInput(name: string, value: string, fallback: boolean, problems: string[]): boolean {
  if (value === '') return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  problems.push(invalid(name, value, 'true or false'))
  return fallback
}

export function durationInput(name: string, value: string, range: DurationRange, problems: string[]): number {
  const ms = parseDuration(value)
  if (ms === undefined || ms < range.minMs || ms > range.maxMs) {
    problems.push(invalid(name, value, `a duration such as 90s, 45m, 2h or 1h30m, ${range.text}`))
    return 0
  }
  return ms
}
