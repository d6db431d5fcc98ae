/**
 * The weekly maintenance window of a Standard-and-higher database: a 4-hour slot in UTC that starts on a day
 * of the week at a time of day. Parses what the scenario file and `POST /data/maintenances/v1/:id/window`
 * accept and words it as Heroku shows it ("Thursdays 22:00 to Fridays 02:00 UTC"). It sits here, beside the
 * schema, because the scenario file checks windows; model/maintenance-window.ts places them on the clock.
 */

export interface WeeklyWindow {
  /** 0 = Sunday … 6 = Saturday (UTC). */
  day: number
  /** Minutes after midnight UTC; whole or half hours only. */
  minute: number
}

export const WINDOW_HOURS = 4
const DAY_MS = 86_400_000
/** How long after the scenario's start the default window first opens (whole hours rounded up). */
const DEFAULT_WINDOW_OFFSET_MS = 3 * DAY_MS

export const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']

export const DAY_EXPECTED = 'expected a day of the week, like "thursday"'
export const TIME_EXPECTED = 'expected a UTC time of day on the hour or half hour, like "22:00" or "1:30PM"'

/** `"Thursday"` → 4; null for anything but a full English day name (any case). */
export function parseDayOfWeek(text: string): number | null {
  const index = DAY_NAMES.indexOf(text.trim().toLowerCase())
  return index < 0 ? null : index
}

/** `"22:00"`, `"9:30"`, `"1:30PM"`, `"12:00 am"` → minutes after midnight; null otherwise or off the half hour. */
export function parseTimeOfDay(text: string): number | null {
  const match = /^(\d{1,2}):(\d\d)\s*([ap]m)?$/i.exec(text.trim())
  if (!match) return null
  let hour = Number(match[1])
  const minute = Number(match[2])
  const meridiem = match[3]?.toLowerCase()
  if (meridiem) {
    if (hour < 1 || hour > 12) return null
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0)
  }
  if (hour > 23 || (minute !== 0 && minute !== 30)) return null
  return hour * 60 + minute
}

/** What is wrong with a requested window, each problem once; empty when it is valid. */
export function windowProblems(day: unknown, time: unknown): string[] {
  const problems: string[] = []
  if (typeof day !== 'string' || parseDayOfWeek(day) === null)
    problems.push(`day_of_week: ${DAY_EXPECTED}, got ${JSON.stringify(day ?? null)}`)
  if (typeof time !== 'string' || parseTimeOfDay(time) === null)
    problems.push(`time_of_day: ${TIME_EXPECTED}, got ${JSON.stringify(time ?? null)}`)
  return problems
}

/** A window from strings already checked by windowProblems (or by the scenario schema). */
export function windowFrom(day: string, time: string): WeeklyWindow {
  return { day: parseDayOfWeek(day) as number, minute: parseTimeOfDay(time) as number }
}

const capitalized = (day: number) => {
  const name = DAY_NAMES[day] as string
  return name.charAt(0).toUpperCase() + name.slice(1)
}
const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`

/** `Thursdays 22:00 to Fridays 02:00 UTC`. */
export function describeWindow(window: WeeklyWindow): string {
  const endMinute = window.minute + WINDOW_HOURS * 60
  const endDay = (window.day + Math.floor(endMinute / 1440)) % 7
  return `${capitalized(window.day)}s ${clock(window.minute)} to ${capitalized(endDay)}s ${clock(endMinute % 1440)} UTC`
}

/** `{day_of_week: "thursday", time_of_day: "22:00"}`, the normalised form of a window. */
export function windowFields(window: WeeklyWindow): { day_of_week: string; time_of_day: string } {
  return { day_of_week: DAY_NAMES[window.day] as string, time_of_day: clock(window.minute) }
}

/**
 * The default window: the weekday and the next whole hour three days after the scenario's start. Tied to the
 * start rather than to a calendar slot so that a run is the same whatever day it is started on.
 */
export function defaultWindow(startMs: number): WeeklyWindow {
  const base = new Date(startMs + DEFAULT_WINDOW_OFFSET_MS)
  const pastTheHour =
    base.getUTCMinutes() > 0 || base.getUTCSeconds() > 0 || base.getUTCMilliseconds() > 0 ? 1 : 0
  const hour = base.getUTCHours() + pastTheHour
  return { day: (base.getUTCDay() + Math.floor(hour / 24)) % 7, minute: (hour % 24) * 60 }
}
