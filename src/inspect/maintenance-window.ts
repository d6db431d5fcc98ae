// A database's weekly maintenance window, as Heroku words it ("Thursdays 22:00 to Fridays 02:00 UTC"):
// when it next starts (Heroku runs a prepared upgrade or plan change then, with the app up), and which
// weekly slot to ask for so that it does not start before a given moment. Pure.

export interface WeeklySlot {
  /** 0 = Sunday … 6 = Saturday, UTC. */
  day: number
  /** Minutes after midnight UTC. */
  minute: number
}

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']
const MINUTE_MS = 60_000
const DAY_MS = 1440 * MINUTE_MS
const WEEK_MS = 7 * DAY_MS

/** The start of a window from Heroku's words ("Thursdays 22:00 to …") or its fields; undefined if neither. */
export function parseWindow(
  description: string | undefined,
  fields?: { day_of_week?: string; time_of_day?: string },
): WeeklySlot | undefined {
  const words = /^\s*([a-z]+?)s?\s+(\d{1,2}):(\d{2})/i.exec(description ?? '')
  const day = DAYS.indexOf((words?.[1] ?? fields?.day_of_week ?? '').toLowerCase().replace(/s$/, ''))
  const time = words ? [words[2], words[3]] : /^(\d{1,2}):(\d{2})/.exec(fields?.time_of_day ?? '')?.slice(1)
  if (day < 0 || !time) return undefined
  const minute = Number(time[0]) * 60 + Number(time[1])
  return minute < 1440 ? { day, minute } : undefined
}

/** The first start of the weekly slot at or after `after` (ms). */
export function nextStart(slot: WeeklySlot, after: number): number {
  const midnight = Math.floor(after / DAY_MS) * DAY_MS
  const weekday = new Date(midnight).getUTCDay()
  let start = midnight + ((slot.day - weekday + 7) % 7) * DAY_MS + slot.minute * MINUTE_MS
  if (start < after) start += WEEK_MS
  return start
}

/**
 * The slot to ask Heroku for so that the window does not start between `now` and `notBefore`: it starts at
 * the first half hour after `notBefore`. Undefined when no weekly slot can do that (`notBefore` is a week
 * or more away, so every slot starts at least once before it).
 */
export function slotStartingAfter(now: number, notBefore: number): WeeklySlot | undefined {
  if (notBefore - now >= WEEK_MS) return undefined
  const start = Math.ceil(notBefore / (30 * MINUTE_MS)) * 30 * MINUTE_MS
  const date = new Date(start)
  return { day: date.getUTCDay(), minute: date.getUTCHours() * 60 + date.getUTCMinutes() }
}

/** `{day_of_week: "thursday", time_of_day: "22:00"}`, as data:maintenances:window:update sends it. */
export function slotFields(slot: WeeklySlot): { day_of_week: string; time_of_day: string } {
  const hours = String(Math.floor(slot.minute / 60)).padStart(2, '0')
  const minutes = String(slot.minute % 60).padStart(2, '0')
  const day = DAYS[slot.day]
  if (day === undefined) throw new Error(`${slot.day} is not a day of the week (0 is Sunday, 6 Saturday).`)
  return { day_of_week: day, time_of_day: `${hours}:${minutes}` }
}
