import { total } from './commits.js'
import { numBytes, resourceUrl } from './database.js'
import { unprocessable } from './errors.js'
import { plannedFailure, refuseShield, wipeTarget } from './transfer-rules.js'
import type { Addon, Holdings, Transfer, TransferKind } from './types.js'
import type { World } from './world.js'

// PG Backups transfers: backups, restores and pg:copy. Each moves its source's bytes at copy_mb_per_s; a copy or
// backup holds the source as of its start; a copy or restore empties its target as it starts and gives it the
// source's data when it succeeds. transfer-rules.ts holds Heroku's refusals and the ways a transfer fails.

const MB = 1024 * 1024
const FAILED_SOURCE_SECONDS = 5

/** The add-on whose database a postgres:// URL points at (any credential, direct or pooled). */
export function addonByUrl(world: World, url: string): Addon | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  const dbname = parsed.pathname.replace(/^\//, '')
  for (const addon of world.store.addons()) {
    if (addon.db.host === parsed.hostname && addon.db.dbname === dbname) return addon
  }
  return undefined
}

function bytesOf(addon: Addon, holdings: Holdings): number {
  return numBytes(addon.db, Math.max(0, total(holdings) - 100000))
}

interface TransferRequest {
  kind: TransferKind
  owner: Addon
  fromName: string
  fromUrl: string
  toName: string
  toUrl: string
  source: Addon | undefined
  target: Addon | undefined
  snapshot: Holdings | null
  sourceBytes: number
  fromBackupUuid: string | null
}

function begin(world: World, request: TransferRequest): Transfer {
  const app = world.store.appOf(request.owner)
  const uuid = world.ids.uuid()
  const num = world.store.transfers().filter((t) => t.appId === app.id).length + 1
  const rate = world.scenario.durations.copy_mb_per_s * MB
  const broken = request.snapshot === null
  const fullDuration = request.sourceBytes / rate
  const names = [request.source?.name, request.target?.name, app.name].filter((n): n is string => !!n)
  const failure = broken
    ? { after: FAILED_SOURCE_SECONDS, logs: ['could not connect to the source or target database'] }
    : plannedFailure(world, request.kind, request.sourceBytes, fullDuration, names)
  const duration = failure?.after ?? fullDuration
  const transfer: Transfer = {
    uuid,
    num,
    kind: request.kind,
    appId: app.id,
    fromName: request.fromName,
    fromUrl: request.fromUrl,
    toName: request.toName,
    toUrl: request.kind === 'backup' ? `https://backups.sim.invalid/${app.name}/${uuid}.dump` : request.toUrl,
    sourceAddonId: request.source?.id ?? null,
    targetAddonId: request.target?.id ?? null,
    snapshot: request.snapshot,
    sourceBytes: request.sourceBytes,
    createdAt: world.clock.now,
    startedAt: world.clock.now,
    finishesAt: world.clock.now + duration,
    finishedAt: null,
    canceledAt: null,
    succeeded: false,
    deleted: false,
    logs: [{ at: world.clock.now, level: 'info', message: `${request.kind} started` }],
    backupUrl: '',
    fromBackupUuid: request.fromBackupUuid,
  }
  transfer.backupUrl = transfer.toUrl
  world.store.addTransfer(transfer)
  if (request.target) {
    request.target.db.overwrittenBy = uuid
    wipeTarget(world, request.target)
  }
  world.journal.record(
    `${request.kind}-start`,
    `${request.kind} ${request.fromName} → ${request.toName} (${Math.round(request.sourceBytes / MB)} MB)`,
    { app, addon: request.target ?? request.source ?? request.owner },
  )
  world.clock.schedule(transfer.finishesAt, () => finish(world, transfer, failure?.logs ?? null))
  return transfer
}

/** Ends the transfer: it fails with `failureLogs` when given (or when its target is gone), else it succeeds. */
function finish(world: World, transfer: Transfer, failureLogs: string[] | null): void {
  if (transfer.finishedAt !== null) return
  transfer.finishedAt = world.clock.now
  const target = transfer.targetAddonId === null ? undefined : world.store.addon(transfer.targetAddonId)
  const logs =
    failureLogs ??
    (transfer.kind !== 'backup' && !target ? ['could not connect to the source or target database'] : null)
  if (logs) {
    transfer.succeeded = false
    for (const message of logs) transfer.logs.push({ at: world.clock.now, level: 'error', message })
    world.journal.record(
      `${transfer.kind}-failed`,
      `${transfer.kind} ${transfer.fromName} → ${transfer.toName} failed`,
    )
    return
  }
  transfer.succeeded = true
  transfer.logs.push({ at: world.clock.now, level: 'info', message: `${transfer.kind} completed` })
  if (target && transfer.kind !== 'backup' && transfer.snapshot) {
    const source = transfer.sourceAddonId === null ? undefined : world.store.anyAddon(transfer.sourceAddonId)
    target.db.base = new Map(transfer.snapshot)
    target.db.origin = world.writes.newOrigin(target.id)
    if (source) {
      target.db.dataSizeMb = source.db.dataSizeMb
      target.db.tables = source.db.tables
    }
    if (target.db.overwrittenBy === transfer.uuid) target.db.overwrittenBy = null
  }
  world.journal.record(
    `${transfer.kind}-end`,
    `${transfer.kind} ${transfer.fromName} → ${transfer.toName} completed`,
    {
      app: world.store.app(transfer.appId),
      ...(target ? { addon: target } : {}),
    },
  )
}

export function startCopy(world: World, addressed: Addon, body: Record<string, unknown>): Transfer {
  const fromUrl = typeof body.from_url === 'string' ? body.from_url : ''
  const toUrl = typeof body.to_url === 'string' ? body.to_url : resourceUrl(addressed)
  const source = addonByUrl(world, fromUrl)
  const target = addonByUrl(world, toUrl) ?? addressed
  if (source && source.id === target.id) throw unprocessable('Cannot copy database onto itself.')
  refuseShield('copy', [source, target])
  if (target.db.leaderId !== null) throw unprocessable(`${target.name} is a follower and is read-only.`)
  const snapshot = source ? world.writes.holdings(source.id) : null
  return begin(world, {
    kind: 'copy',
    owner: addressed,
    fromName: typeof body.from_name === 'string' ? body.from_name : (source?.name ?? 'source'),
    fromUrl,
    toName: typeof body.to_name === 'string' ? body.to_name : target.name,
    toUrl,
    source,
    target,
    snapshot,
    sourceBytes: source && snapshot ? bytesOf(source, snapshot) : 0,
    fromBackupUuid: null,
  })
}

export function startBackup(world: World, addon: Addon, attachmentName: string): Transfer {
  refuseShield('backup', [addon])
  const snapshot = world.writes.holdings(addon.id)
  return begin(world, {
    kind: 'backup',
    owner: addon,
    fromName: attachmentName,
    fromUrl: resourceUrl(addon),
    toName: 'BACKUP',
    toUrl: '',
    source: addon,
    target: undefined,
    snapshot,
    sourceBytes: bytesOf(addon, snapshot),
    fromBackupUuid: null,
  })
}

/** `toName`: the target's attachment name, which the restore reports as `to_name`. */
export function startRestore(world: World, addon: Addon, backupUrl: string, toName: string): Transfer {
  if (addon.db.leaderId !== null) throw unprocessable(`${addon.name} is a follower and is read-only.`)
  const backup = world.store
    .transfers()
    .find((t) => t.kind === 'backup' && t.backupUrl === backupUrl && !t.deleted)
  if (backup && !backup.succeeded) throw unprocessable('That backup did not complete successfully.')
  const source = backup?.sourceAddonId ? world.store.anyAddon(backup.sourceAddonId) : undefined
  refuseShield('restore', [addon, source])
  return begin(world, {
    kind: 'restore',
    owner: addon,
    fromName: backup ? `b${String(backup.num).padStart(3, '0')}` : backupUrl,
    fromUrl: backupUrl,
    toName,
    toUrl: resourceUrl(addon),
    source,
    target: addon,
    snapshot: backup?.snapshot ?? null,
    sourceBytes: backup?.sourceBytes ?? 0,
    fromBackupUuid: backup?.uuid ?? null,
  })
}

export function cancelTransfer(world: World, transfer: Transfer): void {
  if (transfer.finishedAt !== null) throw unprocessable('This transfer has already finished.')
  transfer.canceledAt = world.clock.now
  transfer.finishedAt = world.clock.now
  transfer.succeeded = false
  transfer.logs.push({ at: world.clock.now, level: 'info', message: 'canceled by user' })
  world.journal.record(
    `${transfer.kind}-canceled`,
    `${transfer.kind} ${transfer.fromName} → ${transfer.toName} canceled`,
  )
}

/** `DELETE …/transfers/:id`: the transfer is no longer listed, nor restorable from. */
export function deleteTransfer(transfer: Transfer): void {
  transfer.deleted = true
}

export function processedBytes(world: World, transfer: Transfer): number {
  if (transfer.finishedAt !== null && transfer.succeeded) return transfer.sourceBytes
  const end = transfer.finishedAt ?? world.clock.now
  const rate = world.scenario.durations.copy_mb_per_s * MB
  return Math.round(Math.min(transfer.sourceBytes, Math.max(0, (end - transfer.startedAt) * rate)))
}
