import { createCredential, isActive } from '../model/credentials.js'
import { credential } from '../model/database.js'
import { notFound, unprocessable } from '../model/errors.js'
import type { Addon, Credential } from '../model/types.js'
import type { World } from '../model/world.js'
import { json, objectBody, type RequestContext, type Router } from '../http/router.js'
import { findDatabase } from './lookups.js'

// Named credentials (`pg:credentials`, `pg:credentials:url`, `pg:credentials:create`) and data links
// (`pg:links`). The CLI reads a credential's users from `credentials[]` and uses the first `active` one.

function renderCredential(world: World, addon: Addon, c: Credential, withPassword: boolean) {
  const active = isActive(world, c)
  const password = withPassword ? { password: c.password } : {}
  const user = { user: c.user, state: 'active', connections: 0, ...password }
  return {
    uuid: `${addon.id.slice(0, 24)}${c.name.padEnd(12, '0').slice(0, 12)}`,
    name: c.name,
    state: active ? 'active' : 'provisioning',
    database: addon.db.dbname,
    host: addon.db.host,
    port: 5432,
    // Until it is active a new credential has no user the CLI could connect with.
    credentials: active ? [user] : [],
  }
}

export function registerCredentialRoutes(router: Router): void {
  const list = ({ world, params }: RequestContext) => {
    const addon = findDatabase(world, params.id as string)
    return json(
      200,
      addon.db.credentials.map((c) => renderCredential(world, addon, c, false)),
    )
  }
  router.on('GET', '/postgres/v0/databases/:id/credentials', list)
  router.on('GET', '/client/v11/databases/:id/credentials', list)

  router.on('GET', '/postgres/v0/databases/:id/credentials/:name', ({ world, params }) => {
    const addon = findDatabase(world, params.id as string)
    const c = credential(addon.db, params.name as string)
    if (!c) throw notFound("Couldn't find that credential.", 'credential')
    return json(200, renderCredential(world, addon, c, true))
  })

  router.on('POST', '/postgres/v0/databases/:id/credentials', (ctx) => {
    const addon = findDatabase(ctx.world, ctx.params.id as string)
    const name = objectBody(ctx).name
    if (typeof name !== 'string' || name === '')
      throw unprocessable('Missing required params: name.', 'invalid_params')
    const created = createCredential(ctx.world, addon, name)
    return json(200, renderCredential(ctx.world, addon, created, false))
  })

  // No data links are modelled; the list answers what Heroku says of a database without any.
  router.on('GET', '/client/v11/databases/:id/links', ({ world, params }) => {
    findDatabase(world, params.id as string)
    return json(200, [])
  })
}
