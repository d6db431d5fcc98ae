import { attach } from '../model/attachments.js'
import { scheduleBackups, unscheduleBackups } from '../model/backup-schedules.js'
import { major, POOLER_NAMESPACE } from '../model/database.js'
import { appNotFound, notFound, unprocessable } from '../model/errors.js'
import { databaseInfo } from '../model/info.js'
import { isEssentialTier } from '../model/plans.js'
import type { Addon, BackupSchedule } from '../model/types.js'
import { unfollow } from '../model/following.js'
import {
  cancelUpgrade,
  dryRunUpgrade,
  prepareUpgrade,
  runUpgrade,
  upgradeWaitStatus,
} from '../model/upgrades.js'
import { waitStatus } from '../model/wait-status.js'
import type { World } from '../model/world.js'
import { renderAttachment } from '../http/render.js'
import { json, objectBody, type RequestContext, type Router } from '../http/router.js'
import { findDatabase } from './lookups.js'
import { registerMaintenanceRoutes } from './maintenances.js'

function isProvisioning(world: World, addon: Addon): boolean {
  return addon.state === 'provisioning' || addon.db.availableAt > world.clock.now
}

function requestedVersion(ctx: RequestContext): string | null {
  const value = objectBody(ctx).version
  if (value === undefined || value === null || value === '') return null
  return major(String(value))
}

export function registerDatabaseRoutes(router: Router): void {
  registerMaintenanceRoutes(router)

  router.on('GET', '/client/v11/databases/:id', ({ world, params }) => {
    const addon = findDatabase(world, params.id as string)
    if (isProvisioning(world, addon)) return { status: 404 }
    return json(200, databaseInfo(world, addon))
  })

  router.on('GET', '/client/v11/databases/:id/wait_status', ({ world, params }) => {
    const addon = findDatabase(world, params.id as string, true)
    return json(200, waitStatus(world, addon))
  })

  const upgradeAction =
    (action: (world: World, addon: Addon, version: string | null) => string) => (ctx: RequestContext) => {
      const addon = findDatabase(ctx.world, ctx.params.id as string)
      return json(200, { message: action(ctx.world, addon, requestedVersion(ctx)) })
    }
  router.on('POST', '/client/v11/databases/:id/upgrade/run', upgradeAction(runUpgrade))
  router.on('POST', '/client/v11/databases/:id/upgrade', upgradeAction(runUpgrade))
  router.on('POST', '/client/v11/databases/:id/upgrade/prepare', upgradeAction(prepareUpgrade))
  router.on('POST', '/client/v11/databases/:id/upgrade/dry_run', upgradeAction(dryRunUpgrade))
  router.on(
    'POST',
    '/client/v11/databases/:id/upgrade/cancel',
    upgradeAction((world, addon) => cancelUpgrade(world, addon)),
  )
  router.on('GET', '/client/v11/databases/:id/upgrade/wait_status', ({ world, params }) => {
    const addon = findDatabase(world, params.id as string)
    if (isProvisioning(world, addon)) return { status: 404 }
    return json(200, upgradeWaitStatus(world, addon))
  })

  router.on('PUT', '/client/v11/databases/:id/unfollow', ({ world, params }) => {
    const addon = findDatabase(world, params.id as string)
    unfollow(world, addon)
    return json(200, { message: `${addon.name} is no longer following its leader.` })
  })

  router.on('POST', '/client/v11/databases/:id/connection-pooling', (ctx) => {
    const { world } = ctx
    const addon = findDatabase(world, ctx.params.id as string)
    if (isEssentialTier(addon.plan))
      throw unprocessable('Connection pooling is not available on Essential-tier databases.')
    const body = objectBody(ctx)
    const app = world.store.findApp(typeof body.app === 'string' ? body.app : world.store.appOf(addon).name)
    if (!app) throw appNotFound()
    const name = typeof body.name === 'string' && body.name !== '' ? body.name : 'DATABASE_CONNECTION_POOL'
    const attachment = attach(world, { addon, app, name, namespace: POOLER_NAMESPACE })
    return json(201, renderAttachment(world, attachment))
  })

  const renderSchedule = (world: World, s: BackupSchedule) => ({
    uuid: s.uuid,
    name: s.name,
    hour: s.hour,
    days: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    timezone: s.timezone,
    retain_weeks: 4,
    retain_months: 0,
    created_at: world.clock.iso(0),
    updated_at: world.clock.iso(0),
  })
  router.on('GET', '/client/v11/databases/:id/transfer-schedules', ({ world, params }) => {
    const addon = findDatabase(world, params.id as string)
    return json(
      200,
      addon.db.schedules.map((s) => renderSchedule(world, s)),
    )
  })
  router.on('POST', '/client/v11/databases/:id/transfer-schedules', (ctx) => {
    const addon = findDatabase(ctx.world, ctx.params.id as string)
    const body = objectBody(ctx)
    const hour = Number(body.hour)
    if (!Number.isInteger(hour) || hour < 0 || hour > 23)
      throw unprocessable('hour must be from 0 to 23.', 'bad_request')
    const name = typeof body.schedule_name === 'string' ? body.schedule_name : 'DATABASE_URL'
    const timezone = typeof body.timezone === 'string' ? body.timezone : 'UTC'
    const schedule = scheduleBackups(ctx.world, addon, { name, hour, timezone })
    return json(201, renderSchedule(ctx.world, schedule))
  })
  router.on('DELETE', '/client/v11/databases/:id/transfer-schedules/:uuid', ({ world, params }) => {
    const addon = findDatabase(world, params.id as string)
    const schedule = addon.db.schedules.find((s) => s.uuid === params.uuid)
    if (!schedule) throw notFound("Couldn't find that schedule.", 'schedule')
    unscheduleBackups(addon, schedule)
    return json(200, renderSchedule(world, schedule))
  })
}
