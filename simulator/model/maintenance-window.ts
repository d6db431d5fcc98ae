/**
 * An add-on's weekly maintenance window on the simulated clock: which window it has and when it next starts.
 * Essential databases have none. The window itself (parsing and wording) is scenario/file/weekly-window.ts.
 */
import { defaultWindow, windowFrom, type WeeklyWindow } from '../scenario/file/weekly-window.js'
import { isEssentialTier } from './plans.js'
import type { Addon } from './types.js'
import type { World } from './world.js'

const DAY_MS = 86_400_000
const WEEK_MS = 7 * DAY_MS

const startMsOf = (world: World) => Date.parse(world.scenario.start_time)

/** The add-on's window: set through the API, else the scenario's `maintenance_window`, else the default. */
export function windowOf(world: World, addon: Addon): WeeklyWindow | null {
  if (isEssentialTier(addon.plan)) return null
  const set = world.maintenances.windowOverride(addon.id)
  if (set) return set
  for (const app of world.scenario.apps) {
    const spec = app.databases.find((db) => db.addon === addon.name)?.maintenance_window
    if (spec) return windowFrom(spec.day_of_week, spec.time_of_day)
  }
  return defaultWindow(startMsOf(world))
}

/** The first start of `window` at or after simulated time t (simulated seconds). */
export function nextWindowStart(world: World, window: WeeklyWindow, t: number): number {
  const startMs = startMsOf(world)
  const wall = startMs + t * 1000
  const today = new Date(wall)
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())
  let candidate = midnight + ((window.day - today.getUTCDay() + 7) % 7) * DAY_MS + window.minute * 60_000
  if (candidate < wall) candidate += WEEK_MS
  return (candidate - startMs) / 1000
}

/** `2026-03-26 22:00:00 UTC`, as upgrade/wait_status words a date. */
export function utcText(world: World, t: number): string {
  return world.clock.iso(t).replace('T', ' ').replace(/Z$/, ' UTC')
}
