import { appNotFound, notFound, unprocessable } from '../model/errors.js'
import {
  cancelTransfer,
  deleteTransfer,
  processedBytes,
  startBackup,
  startCopy,
  startRestore,
} from '../model/transfers.js'
import type { Addon, Transfer } from '../model/types.js'
import type { World } from '../model/world.js'
import { json, objectBody, type RequestContext, type Router } from '../http/router.js'
import { findDatabase } from './lookups.js'

const TYPES = {
  backup: { from: 'pg_dump', to: 'gof3r' },
  copy: { from: 'pg_dump', to: 'pg_restore' },
  restore: { from: 'gof3r', to: 'pg_restore' },
} as const

export function renderTransfer(world: World, t: Transfer, verbose: boolean): Record<string, unknown> {
  const iso = (v: number | null) => (v === null ? null : world.clock.iso(v))
  const out: Record<string, unknown> = {
    uuid: t.uuid,
    num: t.num,
    from_name: t.fromName,
    from_type: TYPES[t.kind].from,
    from_url: t.fromUrl,
    to_name: t.toName,
    to_type: TYPES[t.kind].to,
    to_url: t.toUrl,
    options: {},
    source_bytes: t.sourceBytes,
    processed_bytes: processedBytes(world, t),
    succeeded: t.succeeded,
    warnings: 0,
    num_keep: 5,
    created_at: iso(t.createdAt),
    started_at: iso(t.startedAt),
    finished_at: iso(t.finishedAt),
    canceled_at: iso(t.canceledAt),
    updated_at: iso(t.finishedAt ?? world.clock.now),
    deleted_at: null,
    purged_at: null,
  }
  if (verbose)
    out.logs = t.logs.map((l) => ({ created_at: world.clock.iso(l.at), level: l.level, message: l.message }))
  return out
}

function appTransfers(ctx: RequestContext): Transfer[] {
  const app = ctx.world.store.findApp(ctx.params.app as string)
  if (!app) throw appNotFound()
  return ctx.world.store.transfers().filter((t) => t.appId === app.id && !t.deleted)
}

function requireTransfer(ctx: RequestContext): Transfer {
  const key = ctx.params.transfer as string
  const found = appTransfers(ctx).find((t) => t.uuid === key || String(t.num) === key)
  if (!found) throw notFound("Couldn't find that transfer.", 'transfer')
  return found
}

/**
 * How a transfer names a database it is addressed by (the data API gets only the add-on): its oldest
 * default-namespace attachment on the app that owns it, e.g. HEROKU_POSTGRESQL_BLUE for a new database.
 */
function ownAttachmentName(world: World, addon: Addon): string {
  const own = world.store
    .attachmentsOfAddon(addon.id)
    .find((a) => a.appId === addon.appId && a.namespace === null)
  return own?.name ?? 'DATABASE'
}

export function registerTransferRoutes(router: Router): void {
  router.on('POST', '/client/v11/databases/:id/transfers', (ctx) => {
    const addon = findDatabase(ctx.world, ctx.params.id as string)
    return json(201, renderTransfer(ctx.world, startCopy(ctx.world, addon, objectBody(ctx)), false))
  })

  router.on('POST', '/client/v11/databases/:id/backups', (ctx) => {
    const addon = findDatabase(ctx.world, ctx.params.id as string)
    if (addon.state === 'provisioning' || addon.db.availableAt > ctx.world.clock.now) return { status: 404 }
    return json(
      201,
      renderTransfer(ctx.world, startBackup(ctx.world, addon, ownAttachmentName(ctx.world, addon)), false),
    )
  })

  router.on('POST', '/client/v11/databases/:id/restores', (ctx) => {
    const addon = findDatabase(ctx.world, ctx.params.id as string)
    const url = objectBody(ctx).backup_url
    if (typeof url !== 'string' || url === '')
      throw unprocessable('backup_url is required.', 'invalid_params')
    const restore = startRestore(ctx.world, addon, url, ownAttachmentName(ctx.world, addon))
    return json(201, renderTransfer(ctx.world, restore, false))
  })

  router.on('GET', '/client/v11/apps/:app/transfers', (ctx) =>
    json(
      200,
      appTransfers(ctx).map((t) => renderTransfer(ctx.world, t, ctx.query.get('verbose') === 'true')),
    ),
  )

  router.on('GET', '/client/v11/apps/:app/transfers/:transfer', (ctx) =>
    json(200, renderTransfer(ctx.world, requireTransfer(ctx), ctx.query.get('verbose') === 'true')),
  )

  router.on('POST', '/client/v11/apps/:app/transfers/:transfer/actions/cancel', (ctx) => {
    const transfer = requireTransfer(ctx)
    cancelTransfer(ctx.world, transfer)
    return json(200, renderTransfer(ctx.world, transfer, false))
  })

  router.on('DELETE', '/client/v11/apps/:app/transfers/:transfer', (ctx) => {
    const transfer = requireTransfer(ctx)
    deleteTransfer(transfer)
    return json(200, renderTransfer(ctx.world, transfer, false))
  })

  router.on('POST', '/client/v11/apps/:app/transfers/:transfer/actions/public-url', (ctx) => {
    const transfer = requireTransfer(ctx)
    return json(200, {
      url: `${transfer.toUrl}?signature=sim`,
      expires_at: ctx.world.clock.iso(ctx.world.clock.now + 3600),
    })
  })
}
