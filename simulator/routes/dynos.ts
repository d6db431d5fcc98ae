import { findListedDyno, listedDynos, listedState } from '../model/dyno-listing.js'
import { requireDynoSize } from '../model/dyno-sizes.js'
import { restartDyno, restartFormationDynos, startOneOff, stopDyno } from '../model/dynos.js'
import { notFound, unprocessable } from '../model/errors.js'
import type { App, Dyno } from '../model/types.js'
import type { World } from '../model/world.js'
import { appRef } from '../http/render.js'
import { json, objectBody, type Router } from '../http/router.js'
import { requireApp } from './lookups.js'

// Dynos as the Platform API shows them; a dyno shutting down after SIGTERM is listed as stopping_dynos_listed says.

export function renderDyno(world: World, app: App, dyno: Dyno): Record<string, unknown> {
  return {
    id: dyno.id,
    name: dyno.name,
    type: dyno.type,
    size: dyno.size,
    state: listedState(world, dyno) ?? 'down',
    command: dyno.command,
    attach_url: null,
    release: { ...dyno.release },
    app: appRef(app),
    created_at: world.clock.iso(dyno.createdAt),
    updated_at: world.clock.iso(dyno.updatedAt),
  }
}

function requireDyno(world: World, app: App, key: string): Dyno {
  const dyno = findListedDyno(world, app, key)
  if (!dyno) throw notFound("Couldn't find that dyno.", 'dyno')
  return dyno
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || value.trim() === '')
    throw unprocessable(`${key} must be a string.`, 'invalid_params')
  return value
}

function dynosOfType(app: App, type: string): Dyno[] {
  const dynos = app.dynos.filter((d) => d.type === type && !d.stopping)
  if (dynos.length === 0 && !app.formation.some((f) => f.type === type))
    throw notFound(`Couldn't find that process type (${type}).`, 'formation')
  return dynos
}

export function registerDynoRoutes(router: Router): void {
  router.on('GET', '/apps/:app/dynos', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    return json(
      200,
      listedDynos(world, app).map(({ dyno }) => renderDyno(world, app, dyno)),
    )
  })

  router.on('GET', '/apps/:app/dynos/:dyno', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    return json(200, renderDyno(world, app, requireDyno(world, app, params.dyno as string)))
  })

  // `heroku run` / `run:detached` send {command, attach, env, size, type, force_no_tty}; the Platform API
  // also takes time_to_live.
  router.on('POST', '/apps/:app/dynos', (ctx) => {
    const app = requireApp(ctx.world, ctx.params.app as string)
    const body = objectBody(ctx)
    const command = optionalString(body, 'command')
    if (command === undefined) throw unprocessable('Missing required params: command.', 'invalid_params')
    const ttl = body.time_to_live
    if (ttl !== undefined && ttl !== null && (typeof ttl !== 'number' || !(ttl > 0)))
      throw unprocessable('time_to_live must be a positive number of seconds.', 'invalid_params')
    const size = optionalString(body, 'size')
    const dyno = startOneOff(ctx.world, app, {
      command,
      type: optionalString(body, 'type'),
      size: size === undefined ? undefined : requireDynoSize(app, size),
      timeToLive: typeof ttl === 'number' ? ttl : undefined,
    })
    return json(201, renderDyno(ctx.world, app, dyno))
  })

  router.on('DELETE', '/apps/:app/dynos', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    restartFormationDynos(world, app)
    return json(202, {})
  })

  router.on('DELETE', '/apps/:app/dynos/:dyno', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    restartDyno(world, app, requireDyno(world, app, params.dyno as string))
    return json(202, {})
  })

  router.on('POST', '/apps/:app/dynos/:dyno/actions/stop', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    stopDyno(world, app, requireDyno(world, app, params.dyno as string))
    return json(202, {})
  })

  // What `ps:restart --process-type` and `ps:stop --process-type` call.
  router.on('DELETE', '/apps/:app/formations/:type', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    for (const dyno of dynosOfType(app, params.type as string)) restartDyno(world, app, dyno)
    return json(202, {})
  })

  router.on('POST', '/apps/:app/formations/:type/actions/stop', ({ world, params }) => {
    const app = requireApp(world, params.app as string)
    for (const dyno of dynosOfType(app, params.type as string)) stopDyno(world, app, dyno)
    return json(202, {})
  })
}
