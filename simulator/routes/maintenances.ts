/**
 * The data API's maintenance endpoints, as CLI 11.10's `data:maintenances:*` commands call them: the current
 * (most recent) maintenance of an add-on, its window (read and set), `run`, `schedule`, the history, and every
 * maintenance of an app's databases. Essential databases have no maintenances (422); an unknown add-on is 404.
 */
import { appNotFound, unprocessable } from '../model/errors.js'
import type { Maintenance } from '../model/maintenance-store.js'
import {
  requireWindow,
  runMaintenance,
  scheduleMaintenance,
  setMaintenanceWindow,
} from '../model/maintenances.js'
import { isEssentialTier, SERVICE } from '../model/plans.js'
import type { Addon } from '../model/types.js'
import type { World } from '../model/world.js'
import {
  describeWindow,
  windowFields,
  WINDOW_HOURS,
  type WeeklyWindow,
} from '../scenario/file/weekly-window.js'
import { json, objectBody, type RequestContext, type Router } from '../http/router.js'
import { requireAddon } from './lookups.js'

const PREFIX = '/data/maintenances/v1'
const HISTORY_MAX = 20

const iso = (world: World, t: number | null) => (t === null ? null : world.clock.iso(t))

/** A maintenance as the CLI's `Maintenance` type has it; `status: "none"` when the add-on never had one. */
export function renderMaintenance(
  world: World,
  addon: Addon,
  m: Maintenance | undefined,
): Record<string, unknown> {
  const app = world.store.appOf(addon)
  const window = describeWindow(requireWindow(world, addon))
  const attachments = world.store.attachmentsOfApp(app.id).filter((a) => a.addonId === addon.id)
  const subject = {
    addon: {
      uuid: addon.id,
      name: addon.name,
      kind: SERVICE,
      plan: addon.plan,
      attachments: attachments.map((a) => a.name),
      window,
    },
    app: { uuid: app.id, name: app.name },
  }
  if (!m) {
    return {
      ...subject,
      status: 'none',
      method: null,
      reason: null,
      required_by: null,
      scheduled_for: null,
      previously_scheduled_for: null,
      started_at: null,
      completed_at: null,
      duration_seconds: null,
      server_created_at: null,
      window: null,
    }
  }
  const took = m.completedAt !== null && m.startedAt !== null ? m.completedAt - m.startedAt : null
  return {
    ...subject,
    status: m.status,
    method: m.method,
    reason: m.reason,
    required_by: iso(world, m.requiredBy),
    scheduled_for: iso(world, m.scheduledFor),
    previously_scheduled_for: iso(world, m.previouslyScheduledFor),
    started_at: iso(world, m.startedAt),
    completed_at: iso(world, m.completedAt),
    // Expected length until it is over, then what it took; a string, as the CLI's type says.
    duration_seconds: String(Math.round(took ?? world.scenario.durations.plan_change)),
    server_created_at: world.clock.iso(m.createdAt),
    window: m.window,
  }
}

function renderWindow(window: WeeklyWindow): Record<string, unknown> {
  return { window: describeWindow(window), ...windowFields(window), duration_hours: WINDOW_HOURS }
}

function historyLimit(ctx: RequestContext): number {
  const raw = ctx.query.get('limit')
  if (raw === null || raw === '') return 5
  const limit = Number(raw)
  if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_MAX)
    throw unprocessable(`limit must be a whole number from 1 to ${HISTORY_MAX}.`, 'invalid_params')
  return limit
}

export function registerMaintenanceRoutes(router: Router): void {
  // Registered before `/:addon/...` so that `apps` is never taken for an add-on.
  router.on('GET', `${PREFIX}/apps/:app`, ({ world, params }) => {
    const app = world.store.findApp(params.app as string)
    if (!app) throw appNotFound()
    const ids = new Set(world.store.attachmentsOfApp(app.id).map((a) => a.addonId))
    const addons = world.store
      .addons()
      .filter((a) => (a.appId === app.id || ids.has(a.id)) && !isEssentialTier(a.plan))
    return json(200, {
      maintenances: addons.map((a) => renderMaintenance(world, a, world.maintenances.latest(a.id))),
    })
  })

  router.on('GET', `${PREFIX}/:addon`, ({ world, params }) => {
    const addon = requireAddon(world, params.addon as string)
    return json(200, renderMaintenance(world, addon, world.maintenances.latest(addon.id)))
  })

  router.on('GET', `${PREFIX}/:addon/window`, ({ world, params }) => {
    const addon = requireAddon(world, params.addon as string)
    return json(200, renderWindow(requireWindow(world, addon)))
  })

  router.on('POST', `${PREFIX}/:addon/window`, (ctx) => {
    const addon = requireAddon(ctx.world, ctx.params.addon as string)
    const body = objectBody(ctx)
    return json(200, renderWindow(setMaintenanceWindow(ctx.world, addon, body.day_of_week, body.time_of_day)))
  })

  router.on('POST', `${PREFIX}/:addon/schedule`, (ctx) => {
    const addon = requireAddon(ctx.world, ctx.params.addon as string)
    const maintenance = scheduleMaintenance(ctx.world, addon, objectBody(ctx).delay_weeks)
    return json(200, renderMaintenance(ctx.world, addon, maintenance))
  })

  router.on('POST', `${PREFIX}/:addon/run`, ({ world, params }) => {
    const addon = requireAddon(world, params.addon as string)
    return json(200, renderMaintenance(world, addon, runMaintenance(world, addon)))
  })

  router.on('GET', `${PREFIX}/:addon/history`, (ctx) => {
    const { world } = ctx
    const addon = requireAddon(world, ctx.params.addon as string)
    requireWindow(world, addon)
    const limit = historyLimit(ctx)
    return json(200, {
      maintenances: world.maintenances
        .history(addon.id)
        .slice(0, limit)
        .map((m) => renderMaintenance(world, addon, m)),
    })
  })
}
