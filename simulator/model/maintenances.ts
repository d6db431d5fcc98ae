/**
 * Data maintenances of Standard-and-higher databases, as the `data:maintenances:*` commands see them. A plan
 * change (`addons:upgrade`) is one: Heroku prepares a replacement for `durations.plan_change_prepare` while
 * the app stays up (`preparing`), then schedules the changeover for the next start of the database's
 * maintenance window (`ready`). `POST …/run`, or that window start, runs it (`running`) for
 * `durations.plan_change`: the database takes no writes; then the new plan shows, the database is on a new
 * server with a rotated default credential (new URLs, a release and a restart on every attached app), its
 * followers keep following it, and the maintenance is `completed`.
 */
import {
  describeWindow,
  windowFrom,
  windowProblems,
  type WeeklyWindow,
} from '../scenario/file/weekly-window.js'
import { rotateDefaultCredential } from './credential-rotation.js'
import { fullVersion, major } from './database.js'
import { unprocessable } from './errors.js'
import type { Maintenance } from './maintenance-store.js'
import { nextWindowStart, utcText, windowOf } from './maintenance-window.js'
import { SERVICE } from './plans.js'
import type { Addon, WaitStatus } from './types.js'
import { rearmScheduledUpgrade } from './upgrades.js'
import type { World } from './world.js'

const WEEK = 7 * 86400
/** How long a ready maintenance may be postponed with `POST …/schedule` (Heroku's limit is not known). */
export const REQUIRED_WITHIN_SECONDS = 2 * WEEK

/** The window of a database that has maintenances; Essential databases are refused. */
export function requireWindow(world: World, addon: Addon): WeeklyWindow {
  const window = windowOf(world, addon)
  if (!window) {
    throw unprocessable(
      `${addon.name} is an Essential-tier database: Essential databases have no maintenance window and no maintenances.`,
    )
  }
  return window
}

/** Starts preparing the changeover of a Standard-and-higher database to `plan` (the plan shown stays). */
export function startPlanChange(world: World, addon: Addon, plan: string): Maintenance {
  const window = requireWindow(world, addon)
  const maintenance: Maintenance = {
    uuid: world.ids.uuid(),
    addonId: addon.id,
    reason: `Plan change from ${SERVICE}:${addon.plan} to ${SERVICE}:${plan}`,
    method: 'changeover',
    fromPlan: addon.plan,
    targetPlan: plan,
    status: 'preparing',
    createdAt: world.clock.now,
    readyAt: world.clock.now + world.scenario.durations.plan_change_prepare,
    scheduledFor: null,
    previouslyScheduledFor: null,
    requiredBy: null,
    startedAt: null,
    completedAt: null,
    window: describeWindow(window),
  }
  world.maintenances.add(maintenance)
  const refs = { app: world.store.appOf(addon), addon }
  world.journal.record(
    'plan-change-start',
    `${addon.name} ${addon.plan} → ${plan}: preparing the replacement`,
    refs,
  )
  world.clock.schedule(maintenance.readyAt, () => markReady(world, addon, maintenance))
  return maintenance
}

/** The replacement is prepared: the changeover is scheduled for the next window start. */
function markReady(world: World, addon: Addon, maintenance: Maintenance): void {
  if (maintenance.status !== 'preparing' || !world.store.isLive(addon.id)) return
  const window = requireWindow(world, addon)
  maintenance.status = 'ready'
  maintenance.window = describeWindow(window)
  maintenance.scheduledFor = nextWindowStart(world, window, world.clock.now)
  maintenance.requiredBy = maintenance.scheduledFor + REQUIRED_WITHIN_SECONDS
  scheduled(world, addon, maintenance)
}

/** Announces the maintenance's (new) time and sets the timer that runs it then if nobody ran it first. */
function scheduled(world: World, addon: Addon, maintenance: Maintenance): void {
  const at = maintenance.scheduledFor
  if (at === null) return
  world.journal.record(
    'maintenance-scheduled',
    `${addon.name} ${maintenance.reason}: scheduled for ${utcText(world, at)}`,
    {
      app: world.store.appOf(addon),
      addon,
    },
  )
  world.clock.schedule(at, () => {
    if (maintenance.status !== 'ready' || maintenance.scheduledFor !== at || !world.store.isLive(addon.id))
      return
    startChangeover(world, addon, maintenance)
  })
}

function startChangeover(world: World, addon: Addon, maintenance: Maintenance): void {
  maintenance.status = 'running'
  maintenance.startedAt = world.clock.now
  maintenance.window = describeWindow(requireWindow(world, addon))
  world.journal.record('maintenance-started', `${addon.name} ${maintenance.reason}: changeover started`, {
    app: world.store.appOf(addon),
    addon,
  })
  world.clock.schedule(world.clock.now + world.scenario.durations.plan_change, () =>
    completeChangeover(world, addon, maintenance),
  )
}

function completeChangeover(world: World, addon: Addon, maintenance: Maintenance): void {
  if (maintenance.status !== 'running') return
  maintenance.status = 'completed'
  maintenance.completedAt = world.clock.now
  if (!world.store.isLive(addon.id)) return
  const refs = { app: world.store.appOf(addon), addon }
  addon.plan = maintenance.targetPlan
  addon.updatedAt = world.clock.now
  // The replacement runs the newest minor release of the same major version.
  addon.db.version = fullVersion(major(addon.db.version))
  world.journal.record('plan-change-end', `${addon.name} now on ${addon.plan} (PG ${addon.db.version})`, refs)
  rotateDefaultCredential(world, addon, true)
  world.journal.record('maintenance-completed', `${addon.name} ${maintenance.reason}: completed`, refs)
}

/** `POST …/run`: runs the ready maintenance now. */
export function runMaintenance(world: World, addon: Addon): Maintenance {
  requireWindow(world, addon)
  const maintenance = world.maintenances.open(addon.id)
  if (!maintenance) throw unprocessable(`${addon.name} has no maintenance to run.`)
  if (maintenance.status === 'running')
    throw unprocessable(`The maintenance of ${addon.name} is already running.`)
  if (maintenance.status !== 'ready') {
    throw unprocessable(
      `The maintenance of ${addon.name} is not ready to run yet: it is still being prepared (status ${maintenance.status}). Run it once heroku data:maintenances:info shows status ready.`,
    )
  }
  startChangeover(world, addon, maintenance)
  return maintenance
}

/** `POST …/schedule {delay_weeks}`: moves the ready maintenance by whole weeks, no later than required_by. */
export function scheduleMaintenance(world: World, addon: Addon, delayWeeks: unknown): Maintenance {
  requireWindow(world, addon)
  const weeks =
    typeof delayWeeks === 'string' && /^[-+]?\d+$/.test(delayWeeks.trim()) ? Number(delayWeeks) : delayWeeks
  if (typeof weeks !== 'number' || !Number.isInteger(weeks))
    throw unprocessable('delay_weeks must be a whole number of weeks.', 'invalid_params')
  const maintenance = world.maintenances.open(addon.id)
  if (!maintenance || maintenance.scheduledFor === null || maintenance.status !== 'ready') {
    const why = maintenance ? `its maintenance is ${maintenance.status}` : 'it has no maintenance pending'
    throw unprocessable(`There is no scheduled maintenance to move on ${addon.name}: ${why}.`)
  }
  const target = maintenance.scheduledFor + weeks * WEEK
  if (target < world.clock.now)
    throw unprocessable(
      `The maintenance of ${addon.name} cannot be scheduled in the past (${utcText(world, target)}).`,
    )
  if (maintenance.requiredBy !== null && target > maintenance.requiredBy) {
    throw unprocessable(
      `The maintenance of ${addon.name} is required by ${utcText(world, maintenance.requiredBy)}; it cannot be scheduled for ${utcText(world, target)}.`,
    )
  }
  maintenance.previouslyScheduledFor = maintenance.scheduledFor
  maintenance.scheduledFor = target
  scheduled(world, addon, maintenance)
  return maintenance
}

/** `POST …/window {day_of_week, time_of_day}`: sets the window; a ready maintenance and a prepared upgrade move to it. */
export function setMaintenanceWindow(world: World, addon: Addon, day: unknown, time: unknown): WeeklyWindow {
  requireWindow(world, addon)
  const problems = windowProblems(day, time)
  if (problems.length > 0)
    throw unprocessable(`Invalid maintenance window: ${problems.join('; ')}.`, 'invalid_params')
  const window = windowFrom(day as string, time as string)
  world.maintenances.setWindow(addon.id, window)
  world.journal.record('maintenance-window', `${addon.name} maintenance window: ${describeWindow(window)}`, {
    app: world.store.appOf(addon),
    addon,
  })
  const maintenance = world.maintenances.open(addon.id)
  if (maintenance?.status === 'ready' && maintenance.scheduledFor !== null) {
    maintenance.previouslyScheduledFor = maintenance.scheduledFor
    maintenance.scheduledFor = nextWindowStart(world, window, world.clock.now)
    maintenance.requiredBy = Math.max(maintenance.requiredBy ?? 0, maintenance.scheduledFor)
    maintenance.window = describeWindow(window)
    scheduled(world, addon, maintenance)
  }
  rearmScheduledUpgrade(world, addon)
  return window
}

/** What the database's wait_status says about its open maintenance, or null when it has none. */
export function maintenanceWaitStatus(world: World, addon: Addon): WaitStatus | null {
  const maintenance = world.maintenances.open(addon.id)
  if (!maintenance) return null
  const plan = `${SERVICE}:${maintenance.targetPlan}`
  if (maintenance.status === 'running') return { 'waiting?': true, 'error?': false, message: 'changing plan' }
  if (maintenance.status === 'ready' && maintenance.scheduledFor !== null) {
    return {
      'waiting?': false,
      'error?': false,
      message: `change to ${plan} scheduled for ${utcText(world, maintenance.scheduledFor)}; run heroku data:maintenances:run to change over sooner`,
    }
  }
  return { 'waiting?': false, 'error?': false, message: `preparing the change to ${plan}` }
}

/**
 * The `Maintenance` and `Maintenance window` entries of pg:info for this database ("scheduled for …" once a
 * changeover is ready); Essential databases get `Maintenance` only. For model/info.ts, in place of its fixed
 * `Maintenance: not required`.
 */
export function maintenanceInfoEntries(world: World, addon: Addon): { name: string; values: string[] }[] {
  const window = windowOf(world, addon)
  const open = world.maintenances.open(addon.id)
  let value = 'not required'
  if (open?.status === 'preparing') value = `preparing (change to ${SERVICE}:${open.targetPlan})`
  if (open?.status === 'running') value = 'in progress'
  if (open?.status === 'ready' && open.scheduledFor !== null)
    value = `scheduled for ${utcText(world, open.scheduledFor).replace(/:00 UTC$/, ' UTC')}`
  const entries = [{ name: 'Maintenance', values: [value] }]
  if (window) entries.push({ name: 'Maintenance window', values: [describeWindow(window)] })
  return entries
}
