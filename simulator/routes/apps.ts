import { changeFormation, setMaintenance, type FormationChange } from '../model/apps.js'
import { dynoSizeId, requestedDynoSize, requireDynoSize } from '../model/dyno-sizes.js'
import { notFound, unprocessable } from '../model/errors.js'
import { updateConfigVars } from '../model/releases.js'
import type { App, Formation, Release } from '../model/types.js'
import { renderApp, renderFormation, renderRelease } from '../http/render.js'
import { json, objectBody, type Router } from '../http/router.js'
import { registerDynoRoutes } from './dynos.js'
import { requireApp } from './lookups.js'

export function registerAppRoutes(router: Router): void {
  router.on('GET', '/account', () =>
    json(200, {
      id: 'sim-owner-id',
      email: 'owner@example.com',
      name: 'Simulated Owner',
      verified: true,
      two_factor_authentication: false,
      created_at: '2020-01-01T00:00:00Z',
      updated_at: '2020-01-01T00:00:00Z',
    }),
  )

  router.on('GET', '/apps', ({ world }) =>
    json(
      200,
      world.store.apps().map((app) => renderApp(world, app)),
    ),
  )

  router.on('GET', '/apps/:app', ({ world, params }) =>
    json(200, renderApp(world, requireApp(world, params.app as string))),
  )

  router.on('PATCH', '/apps/:app', (ctx) => {
    const app = requireApp(ctx.world, ctx.params.app as string)
    const body = objectBody(ctx)
    if (body.maintenance !== undefined) {
      if (typeof body.maintenance !== 'boolean')
        throw unprocessable('maintenance must be a boolean.', 'invalid_params')
      setMaintenance(ctx.world, app, body.maintenance)
    }
    return json(200, renderApp(ctx.world, app))
  })

  router.on('GET', '/apps/:app/formation', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    return json(
      200,
      app.formation.map((f) => renderFormation(world, app, f)),
    )
  })

  router.on('GET', '/apps/:app/formation/:type', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    const f = findFormation(app, params.type as string)
    return json(200, renderFormation(world, app, f))
  })

  // Every update is checked before any is applied: one bad entry leaves the whole formation as it was.
  router.on('PATCH', '/apps/:app/formation', (ctx) => {
    const app = requireApp(ctx.world, ctx.params.app as string)
    const updates = objectBody(ctx).updates
    if (!Array.isArray(updates)) throw unprocessable('updates must be an array.', 'invalid_params')
    const planned = updates.map((u) => planFormationUpdate(app, u))
    const changed = planned.map((change) => changeFormation(ctx.world, app, change))
    return json(
      200,
      changed.map((f) => renderFormation(ctx.world, app, f)),
    )
  })

  router.on('PATCH', '/apps/:app/formation/:type', (ctx) => {
    const app = requireApp(ctx.world, ctx.params.app as string)
    const change = planFormationUpdate(app, { ...objectBody(ctx), type: ctx.params.type })
    return json(200, renderFormation(ctx.world, app, changeFormation(ctx.world, app, change)))
  })

  router.on('GET', '/apps/:app/config-vars', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    return json(200, Object.fromEntries(app.config))
  })

  router.on('PATCH', '/apps/:app/config-vars', (ctx) => {
    const app = requireApp(ctx.world, ctx.params.app as string)
    const changes: Record<string, string | null> = {}
    for (const [key, value] of Object.entries(objectBody(ctx))) {
      if (value !== null && typeof value !== 'string')
        throw unprocessable(`${key} must be a string or null.`, 'invalid_params')
      changes[key] = value
    }
    updateConfigVars(ctx.world, app, changes)
    return json(200, Object.fromEntries(app.config))
  })

  // Paged by the server (http/range.ts): `Range: version ..; max=5, order=desc` is what pg:promote sends.
  router.on('GET', '/apps/:app/releases', (ctx) => {
    const app = requireApp(ctx.world, ctx.params.app as string)
    return json(
      200,
      app.releases.map((r) => renderRelease(ctx.world, app, r)),
    )
  })

  router.on('GET', '/apps/:app/releases/:release', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    return json(200, renderRelease(world, app, findRelease(app, params.release as string)))
  })

  // What `releases:info` prints under "Config vars": the config as that release has it.
  router.on('GET', '/apps/:app/releases/:release/config-vars', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    return json(200, { ...findRelease(app, params.release as string).config })
  })

  registerDynoRoutes(router)
}

/** By id or version (`12` or `v12`). */
function findRelease(app: App, key: string): Release {
  const release = app.releases.find((r) => r.id === key || String(r.version) === key.replace(/^v/i, ''))
  if (!release) throw notFound("Couldn't find that release.", 'release')
  return release
}

function findFormation(app: App, type: string): Formation {
  const f = app.formation.find((x) => x.type === type)
  if (!f) throw notFound("Couldn't find that formation.", 'formation')
  return f
}

/**
 * Reads one `{type, quantity?: "2" | "+1" | "-1" | 2, dyno_size? | size?}` update without applying it; `type`
 * may also be the formation's id.
 */
function planFormationUpdate(app: App, raw: unknown): FormationChange {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw unprocessable('Each update must be an object.', 'invalid_params')
  const update = raw as Record<string, unknown>
  const type = typeof update.type === 'string' ? update.type.trim() : ''
  if (type === '') throw unprocessable('Missing required params: type.', 'invalid_params')
  const formation = app.formation.find((f) => f.type === type || f.id === type)
  if (!formation) throw notFound(`Couldn't find that process type (${type}).`, 'formation')
  let quantity = (current: number) => current
  if (update.quantity !== undefined && update.quantity !== null) {
    const text = String(update.quantity).trim()
    const match = /^([+-]?)(\d+)$/.exec(text)
    if (!match) throw unprocessable(`Invalid quantity "${text}".`, 'invalid_params')
    const amount = Number(match[2])
    quantity = (current) =>
      Math.max(0, match[1] === '+' ? current + amount : match[1] === '-' ? current - amount : amount)
  }
  const requested = requestedDynoSize(update)
  // A size the process type already runs is accepted as it is, so a formation read back can be sent back.
  const unchanged =
    requested !== undefined &&
    (requested.toLowerCase() === formation.size.toLowerCase() || requested === dynoSizeId(formation.size))
  const size =
    requested === undefined ? undefined : unchanged ? formation.size : requireDynoSize(app, requested)
  return { formation, quantity, size }
}
