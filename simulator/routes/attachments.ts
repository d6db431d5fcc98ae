import { assertRemovable, attach, detach } from '../model/attachments.js'
import { POOLER_NAMESPACE, credential } from '../model/database.js'
import {
  addonNotFound,
  ApiError,
  appNotFound,
  attachmentNotFound,
  notFound,
  unprocessable,
} from '../model/errors.js'
import type { Addon, App, Attachment } from '../model/types.js'
import type { World } from '../model/world.js'
import { inclusionFrom, renderAddon, renderAttachment } from '../http/render.js'
import { json, nameOf, objectBody, type RequestContext, type Router } from '../http/router.js'
import { requireAddon, requireApp } from './lookups.js'

/** Server-side matching of an attachment identifier, returning every match like Heroku's resolver. */
export function matchAttachments(world: World, app: App | undefined, raw: string): Attachment[] {
  let scope = app
  let arg = raw
  const split = /^(.+?)::(.+)$/.exec(raw)
  if (split) {
    scope = world.store.findApp(split[1] as string)
    if (!scope) throw appNotFound()
    arg = split[2] as string
  }
  const pool = scope ? world.store.attachmentsOfApp(scope.id) : world.store.attachments()
  const byId = world.store.attachments().filter((a) => a.id === arg)
  if (byId.length > 0) return byId
  const name = arg.toUpperCase().replace(/_URL$/, '')
  const exact = pool.filter((a) => a.name === name)
  if (exact.length > 0) return exact
  const addon = world.store.findAddon(arg)
  if (addon) {
    const ofAddon = pool.filter((a) => a.addonId === addon.id)
    if (ofAddon.length > 0) return ofAddon
  }
  return pool.filter((a) => a.name.startsWith(name))
}

function inclusion(ctx: RequestContext) {
  return inclusionFrom(ctx.headers['accept-inclusion'])
}

function requireAttachment(world: World, key: string, app?: App): Attachment {
  const pool = app ? world.store.attachmentsOfApp(app.id) : world.store.attachments()
  const found =
    pool.find((a) => a.id === key) ?? pool.find((a) => a.name === key.toUpperCase().replace(/_URL$/, ''))
  if (!found) throw attachmentNotFound()
  return found
}

export function registerAttachmentRoutes(router: Router): void {
  router.on('POST', '/actions/addon-attachments/resolve', (ctx) => {
    const { world } = ctx
    const body = objectBody(ctx)
    const appName = nameOf(body.app)
    const app = appName ? world.store.findApp(appName) : undefined
    if (appName && !app) throw appNotFound()
    const arg = typeof body.addon_attachment === 'string' ? body.addon_attachment : ''
    const matches = arg === '' ? [] : matchAttachments(world, app, arg)
    if (matches.length === 0) throw attachmentNotFound()
    return json(
      200,
      matches.map((a) => renderAttachment(world, a, inclusion(ctx))),
    )
  })

  router.on('POST', '/actions/addons/resolve', (ctx) => {
    const { world } = ctx
    const body = objectBody(ctx)
    const appName = nameOf(body.app)
    let app = appName ? world.store.findApp(appName) : undefined
    if (appName && !app) throw appNotFound()
    let arg = typeof body.addon === 'string' ? body.addon : ''
    const split = /^(.+?)::(.+)$/.exec(arg)
    if (split) {
      app = world.store.findApp(split[1] as string)
      if (!app) throw appNotFound()
      arg = split[2] as string
    }
    const found: Addon[] = []
    const direct = world.store.findAddon(arg)
    if (
      direct &&
      (!app ||
        direct.appId === app.id ||
        world.store.attachmentsOfAddon(direct.id).some((a) => a.appId === app.id))
    ) {
      found.push(direct)
    } else if (app && arg !== '') {
      const name = arg.toUpperCase().replace(/_URL$/, '')
      for (const a of world.store.attachmentsOfApp(app.id)) {
        const addon = world.store.addon(a.addonId)
        if (a.name === name && addon && !found.includes(addon)) found.push(addon)
      }
    }
    if (found.length === 0) throw addonNotFound()
    return json(
      200,
      found.map((a) => renderAddon(world, a)),
    )
  })

  router.on('GET', '/apps/:app/addon-attachments', (ctx) => {
    const app = requireApp(ctx.world, ctx.params.app as string)
    return json(
      200,
      ctx.world.store.attachmentsOfApp(app.id).map((a) => renderAttachment(ctx.world, a, inclusion(ctx))),
    )
  })

  router.on('GET', '/apps/:app/addon-attachments/:attachment', (ctx) => {
    const app = requireApp(ctx.world, ctx.params.app as string)
    const attachment = requireAttachment(ctx.world, ctx.params.attachment as string, app)
    return json(200, renderAttachment(ctx.world, attachment, inclusion(ctx)))
  })

  router.on('GET', '/addons/:addon/addon-attachments', (ctx) => {
    const addon = requireAddon(ctx.world, ctx.params.addon as string)
    return json(
      200,
      ctx.world.store.attachmentsOfAddon(addon.id).map((a) => renderAttachment(ctx.world, a, inclusion(ctx))),
    )
  })

  router.on('GET', '/addon-attachments', (ctx) =>
    json(
      200,
      ctx.world.store.attachments().map((a) => renderAttachment(ctx.world, a, inclusion(ctx))),
    ),
  )

  router.on('GET', '/addon-attachments/:attachment', (ctx) => {
    const attachment = requireAttachment(ctx.world, ctx.params.attachment as string)
    return json(200, renderAttachment(ctx.world, attachment, inclusion(ctx)))
  })

  router.on('POST', '/addon-attachments', (ctx) => {
    const { world } = ctx
    const body = objectBody(ctx)
    const addonKey = nameOf(body.addon)
    const appKey = nameOf(body.app)
    if (!addonKey || !appKey) throw unprocessable('addon and app are required.', 'invalid_params')
    const addon = world.store.findAddon(addonKey)
    if (!addon) throw notFound("Couldn't find that add on.", 'add_on')
    const app = requireApp(world, appKey)
    const name =
      typeof body.name === 'string' && body.name !== '' ? body.name.toUpperCase().replace(/_URL$/, '') : null
    const namespace = typeof body.namespace === 'string' && body.namespace !== '' ? body.namespace : null
    if (
      namespace?.startsWith('credential:') &&
      !credential(addon.db, namespace.slice('credential:'.length))
    ) {
      throw unprocessable(
        `Couldn't find the credential ${namespace.slice('credential:'.length)} on ${addon.name}.`,
      )
    }
    if (namespace !== null && namespace !== POOLER_NAMESPACE && !namespace.startsWith('credential:')) {
      throw unprocessable(`Unknown namespace ${namespace}.`, 'invalid_params')
    }
    if (name !== null) {
      const existing = world.store.attachmentsOfApp(app.id).find((a) => a.name === name)
      if (existing && body.confirm !== app.name) {
        throw new ApiError(
          423,
          'confirmation_required',
          `${name} is already attached to ${app.name}. This will replace it with ${addon.name}.`,
        )
      }
    }
    const attachment = attach(world, { addon, app, name, namespace })
    return json(201, renderAttachment(world, attachment))
  })

  router.on('DELETE', '/addon-attachments/:attachment', (ctx) => {
    const attachment = requireAttachment(ctx.world, ctx.params.attachment as string)
    assertRemovable(ctx.world, attachment)
    const rendered = renderAttachment(ctx.world, attachment)
    detach(ctx.world, attachment)
    return json(200, rendered)
  })
}
