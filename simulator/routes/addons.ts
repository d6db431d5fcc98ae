import { changePlan, createAddon, destroyAddon } from '../model/addons.js'
import { credential, urlFor } from '../model/database.js'
import { ApiError, unprocessable } from '../model/errors.js'
import { needsSpace, requirePlan } from '../model/plans.js'
import { renderAddon } from '../http/render.js'
import { json, nameOf, objectBody, type Router } from '../http/router.js'
import { requireAddon, requireApp } from './lookups.js'
import { registerPlanRoutes } from './plans.js'

function planChangeMessage(plan: string, window: string | null): string {
  return [
    `Preparing the change to heroku-postgresql:${plan}; this can take several hours, and the database stays available meanwhile.`,
    `The changeover then runs in the next maintenance window (${window ?? 'none'}), with under a minute of read-only downtime and new credentials.`,
    'Run it sooner with heroku data:maintenances:run once heroku data:maintenances:info shows it ready.',
  ].join('\n')
}

export function registerAddonRoutes(router: Router): void {
  registerPlanRoutes(router)

  router.on('POST', '/apps/:app/addons', (ctx) => {
    const { world } = ctx
    const app = requireApp(world, ctx.params.app as string)
    const body = objectBody(ctx)
    const requested = nameOf(body.plan)
    if (!requested) throw unprocessable('plan is required.', 'invalid_params')
    const plan = requirePlan(requested)
    const config =
      body.config && typeof body.config === 'object' ? (body.config as Record<string, unknown>) : {}
    const asName = nameOf(body.attachment)
    const attachmentName = asName ? asName.toUpperCase().replace(/_URL$/, '') : null
    const name = typeof body.name === 'string' && body.name !== '' ? body.name : null
    const confirmed = body.confirm === app.name
    if (app.space !== null && !needsSpace(plan) && !confirmed) {
      throw new ApiError(
        423,
        'confirmation_required',
        'This add-on is not automatically networked with this Private Space. ',
      )
    }
    if (
      attachmentName &&
      !confirmed &&
      world.store.attachmentsOfApp(app.id).some((a) => a.name === attachmentName)
    ) {
      throw new ApiError(
        423,
        'confirmation_required',
        `${attachmentName} is already attached to ${app.name}. This will replace it with the new add-on.`,
      )
    }
    const addon = createAddon(world, app, { plan, config, attachmentName, name })
    const provisionMessage =
      addon.db.leaderId !== null
        ? 'Follower will become available for read-only queries when up-to-date\nUse `heroku pg:wait` to track status'
        : addon.db.forkedFromId !== null
          ? 'Fork will contain data from the source database\nUse `heroku pg:wait` to track status'
          : 'Database will become available after provisioning\nUse `heroku pg:wait` to track status'
    return json(201, { ...renderAddon(world, addon), provision_message: provisionMessage })
  })

  router.on('GET', '/apps/:app/addons', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    const ids = new Set(world.store.attachmentsOfApp(app.id).map((a) => a.addonId))
    const addons = world.store.addons().filter((a) => a.appId === app.id || ids.has(a.id))
    return json(
      200,
      addons.map((a) => renderAddon(world, a)),
    )
  })

  router.on('GET', '/apps/:app/addons/:addon', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    return json(200, renderAddon(world, requireAddon(world, params.addon as string, app)))
  })

  router.on('PATCH', '/apps/:app/addons/:addon', (ctx) => {
    const app = requireApp(ctx.world, ctx.params.app as string)
    const addon = requireAddon(ctx.world, ctx.params.addon as string, app)
    const plan = nameOf(objectBody(ctx).plan)
    if (!plan) throw unprocessable('plan is required.', 'invalid_params')
    changePlan(ctx.world, addon, plan)
    // A Standard-and-higher plan change is a maintenance: the add-on still shows its plan, and the provider's
    // message (printed by addons:upgrade) says what happens next. Heroku's wording is not known.
    const maintenance = ctx.world.maintenances.open(addon.id)
    const message = maintenance ? planChangeMessage(maintenance.targetPlan, maintenance.window) : undefined
    return json(200, {
      ...renderAddon(ctx.world, addon),
      ...(message === undefined ? {} : { provision_message: message }),
    })
  })

  router.on('DELETE', '/apps/:app/addons/:addon', (ctx) => {
    const app = requireApp(ctx.world, ctx.params.app as string)
    const addon = requireAddon(ctx.world, ctx.params.addon as string, app)
    if (addon.appId !== app.id) {
      throw new ApiError(
        422,
        'unprocessable_entity',
        `${addon.name} is owned by ${ctx.world.store.appOf(addon).name}, not ${app.name}.`,
      )
    }
    destroyAddon(ctx.world, addon)
    return json(200, renderAddon(ctx.world, addon))
  })

  router.on('GET', '/addons', ({ world }) =>
    json(
      200,
      world.store.addons().map((a) => renderAddon(world, a)),
    ),
  )

  router.on('GET', '/addons/:addon', ({ world, params }) =>
    json(200, renderAddon(world, requireAddon(world, params.addon as string))),
  )

  router.on('GET', '/addons/:addon/config', () => json(200, []))

  router.on('GET', '/addons/:addon/config/:key', ({ world, params }) => {
    const addon = requireAddon(world, params.addon as string)
    const key = params.key as string
    const name = key.startsWith('credential:') ? key.slice('credential:'.length) : null
    if (name === null || !credential(addon.db, name)) return json(200, [])
    return json(200, [{ name: key, value: urlFor(addon, key) }])
  })
}
