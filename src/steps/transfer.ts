// pg:copy, pg:backups:capture and pg:backups:restore (heroku-api.md section 9): started once, then
// followed to the end with progress. Heroku starts another transfer for every POST, so a lost answer is
// reconciled by finding the transfer in the owner's list before anything is sent again.
import { maskDatabaseUrl } from '../domain/secrets'
import type { RunContext } from './context'
import { changeOnce } from '../heroku/change-once'
import type { Transfer } from '../heroku/types'
import { poll, windowInterval } from '../runtime/poller'
import { formatBytes } from '../runtime/progress'
import type { UpgradePlan } from '../inspect/types'
import type { AddonRef } from '../domain/vocabulary'
import type { DetachedWatch } from './window-steps'
import { waitingIn } from './waits'

export type TransferKind = 'backup' | 'copy' | 'restore'

/** b005, c003, r002: how Heroku names transfers for people. */
export function transferName(transfer: Transfer, kind: TransferKind): string {
  const prefix = kind === 'copy' ? 'c' : kind === 'restore' ? 'r' : 'b'
  return `${prefix}${String(transfer.num).padStart(3, '0')}`
}

/**
 * Starts a transfer once. `owner` is the app whose transfer list holds it. The list is read before the first
 * send: no transfer in it is ever taken for this one (an earlier attempt's, started while the app was up,
 * would lose the writes made since). One that `isOurs` recognises and that is still running is waited for
 * first, so that it cannot overwrite this one's target after it. A lost answer is then reconciled by the one
 * transfer of that shape that was not in the list before, finished or not; no clock is compared.
 */
export async function startTransfer(
  context: RunContext,
  owner: string,
  isOurs: (transfer: Transfer) => boolean,
  send: () => Promise<Transfer>,
  kind: TransferKind,
): Promise<Transfer> {
  const before = await context.api.data.listTransfers(owner)
  const known = new Set(before.map((t) => t.uuid))
  for (const earlier of before.filter((t) => isOurs(t) && !t.finished_at)) {
    context.log(
      `  ${transferName(earlier, kind)}, started before this run into the same database, is still running: waiting for it to end before starting this run's own.`,
    )
    await waitForEnd(context, owner, earlier)
  }
  const transfer = await changeOnce({
    send,
    findEffect: async () =>
      (await context.api.data.listTransfers(owner)).find((t) => isOurs(t) && !known.has(t.uuid)),
    clock: context.clock,
    signal: context.signal,
    policy: context.retryPolicyNow(),
  })
  for (const url of [transfer.from_url, transfer.to_url]) if (url) maskDatabaseUrl(url)
  context.record.transfers = [
    ...(context.record.transfers ?? []),
    { kind, uuid: transfer.uuid, app: owner, name: transferName(transfer, kind) },
  ]
  context.save()
  return transfer
}

/** Until a transfer this run did not start has ended, whatever its outcome. */
async function waitForEnd(context: RunContext, owner: string, transfer: Transfer): Promise<void> {
  await poll<true>({
    describe: `the earlier transfer ${transfer.uuid} to end`,
    timeoutMs: context.settings.upgradeTimeoutMs,
    interval: windowInterval(context.settings.pollIntervalMs),
    ...waitingIn(context),
    check: async () => {
      const current = await context.api.data.getTransfer(owner, transfer.uuid)
      return current.finished_at || current.canceled_at
        ? { done: true, value: true }
        : { done: false, status: 'still running', nearlyDone: true }
    },
  })
}

/** Follows a transfer until it finished; a failure carries Heroku's last log lines. */
export async function waitForTransfer(
  context: RunContext,
  owner: string,
  transfer: Transfer,
  what: string,
): Promise<Transfer> {
  return poll<Transfer>({
    describe: `${what} to finish`,
    timeoutMs: context.settings.upgradeTimeoutMs,
    interval: windowInterval(context.settings.pollIntervalMs),
    ...waitingIn(context),
    check: async () => {
      const current = await context.api.data.getTransfer(owner, transfer.uuid)
      for (const url of [current.from_url, current.to_url]) if (url) maskDatabaseUrl(url)
      if (current.finished_at) {
        if (current.succeeded) return { done: true, value: current }
        const logs = (current.logs ?? []).slice(-5).map((line) => line.message)
        throw new Error(`${what} failed${logs.length ? `: ${logs.join('; ')}` : ''}.`)
      }
      const processed = current.processed_bytes ?? 0
      const total = current.source_bytes ?? 0
      return {
        done: false,
        status: current.started_at
          ? `${formatBytes(processed)}${total ? ` of ${formatBytes(total)}` : ''}`
          : 'pending',
        measure: current.started_at
          ? { kind: 'bytes', done: processed, total: total || undefined }
          : undefined,
        nearlyDone: total > 0 && processed >= total,
        progress: total > 0 ? { left: Math.max(1, total - processed) } : undefined,
      }
    },
  })
}

/** The database URLs a transfer needs; masked the moment they are read. */
async function urlsOf(
  context: RunContext,
  target: AddonRef,
  holdAttachment: string,
): Promise<{ from: string; to: string }> {
  const config = await context.api.platform.getConfigVars(context.settings.app)
  for (const value of Object.values(config)) if (/^postgres(ql)?:\/\//.test(value)) maskDatabaseUrl(value)
  const from = config.DATABASE_URL
  const to = config[`${holdAttachment}_URL`]
  if (!from || !to)
    throw new Error(
      `The config vars of ${context.settings.app} lack DATABASE_URL or ${holdAttachment}_URL for ${target.name}.`,
    )
  return { from, to }
}

/** pg:copy from DATABASE into the new database, once, followed to the end. */
export async function copyInto(
  context: RunContext,
  plan: UpgradePlan,
  target: AddonRef,
  watch: DetachedWatch,
): Promise<string> {
  const { attachment } = plan.facts.hold
  const urls = await urlsOf(context, target, attachment)
  const owner = context.settings.app
  const started = await startTransfer(
    context,
    owner,
    (t) => t.to_name === attachment,
    () =>
      context.api.data.copy(target.id, {
        from_name: 'DATABASE',
        from_url: urls.from,
        to_name: attachment,
        to_url: urls.to,
      }),
    'copy',
  )
  const done = await watch.during(() =>
    waitForTransfer(context, owner, started, `copying into ${target.name}`),
  )
  return `${transferName(done, 'copy')}: ${formatBytes(done.processed_bytes ?? 0)} copied`
}

/** A backup of the old database, taken with every writer stopped and kept as the rollback point. */
export async function backUp(context: RunContext, plan: UpgradePlan, watch: DetachedWatch): Promise<string> {
  const { old } = plan.facts
  const owner = old.appName ?? context.settings.app
  const started = await startTransfer(
    context,
    owner,
    (t) => t.to_name === 'BACKUP',
    () => context.api.data.captureBackup(old.id),
    'backup',
  )
  const done = await watch.during(() => waitForTransfer(context, owner, started, `backing up ${old.name}`))
  const name = transferName(done, 'backup')
  context.record.backup = { name, uuid: done.uuid, app: owner }
  context.save()
  return `${name}, kept as the rollback point`
}

/** The backup this run captured, restored into the new database. */
export async function restoreInto(
  context: RunContext,
  plan: UpgradePlan,
  target: AddonRef,
  watch: DetachedWatch,
): Promise<string> {
  const backup = context.record.backup
  if (!backup) throw new Error('No backup was captured: the backup step did not run.')
  const captured = await context.api.data.getTransfer(backup.app, backup.uuid)
  const url = captured.to_url
  if (!url) throw new Error(`Heroku did not say where the backup ${backup.name} is stored.`)
  maskDatabaseUrl(url)
  const owner = context.settings.app
  const started = await startTransfer(
    context,
    owner,
    (t) => t.to_name === plan.facts.hold.attachment || t.to_name === target.name,
    () => context.api.data.restore(target.id, url),
    'restore',
  )
  const done = await watch.during(() =>
    waitForTransfer(context, owner, started, `restoring into ${target.name}`),
  )
  return `${transferName(done, 'restore')} from ${backup.name}`
}
