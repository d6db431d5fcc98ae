// pg:copy, pg:backups:capture and pg:backups:restore (heroku-api.md section 9): started once, then
// followed to the end with progress. Heroku starts another transfer for every POST, so a lost answer is
// reconciled by finding the transfer in the owner's list before anything is sent again.
import { maskDatabaseUrl } from '../domain/secrets'
import type { StepDeps } from './deps'
import { attachmentUrls } from '../heroku/database-urls'
import { changeOnce } from '../heroku/change-once'
import type { Transfer } from '../heroku/types'
import { poll } from '../runtime/poller'
import { formatBytes } from '../runtime/progress'
import type { UpgradePlan } from '../plan/upgrade-plan'
import type { AddonRef } from '../domain/vocabulary'
import type { DetachedWatch } from './detached-watch'
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
  deps: StepDeps,
  owner: string,
  isOurs: (transfer: Transfer) => boolean,
  send: () => Promise<Transfer>,
  kind: TransferKind,
  /** upgrade-timeout: how long an earlier transfer into the same target may still run. */
  timeoutMs: number,
): Promise<Transfer> {
  const before = await deps.api.data.listTransfers(owner)
  const known = new Set(before.map((t) => t.uuid))
  for (const earlier of before.filter((t) => isOurs(t) && !t.finished_at)) {
    deps.log(
      `  ${transferName(earlier, kind)}, started before this run into the same database, is still running: waiting for it to end before starting this run's own.`,
    )
    await waitForEnd(deps, owner, earlier, timeoutMs)
  }
  const transfer = await changeOnce({
    send,
    findEffect: async () =>
      (await deps.api.data.listTransfers(owner)).find((t) => isOurs(t) && !known.has(t.uuid)),
    clock: deps.clock,
    signal: deps.signal,
    policy: deps.retryPolicyNow(),
  })
  for (const url of [transfer.from_url, transfer.to_url]) if (url) maskDatabaseUrl(url)
  deps.journal.transferStarted({ kind, uuid: transfer.uuid, app: owner, name: transferName(transfer, kind) })
  return transfer
}

/** Until a transfer this run did not start has ended, whatever its outcome. */
async function waitForEnd(
  deps: StepDeps,
  owner: string,
  transfer: Transfer,
  timeoutMs: number,
): Promise<void> {
  await poll<true>({
    describe: `the earlier transfer ${transfer.uuid} to end`,
    timeoutMs,
    interval: deps.poll.windowMs,
    ...waitingIn(deps),
    check: async () => {
      const current = await deps.api.data.getTransfer(owner, transfer.uuid)
      return current.finished_at || current.canceled_at
        ? { done: true, value: true }
        : { done: false, status: 'still running', nearlyDone: true }
    },
  })
}

/** Follows a transfer until it finished; a failure carries Heroku's last log lines. */
export async function waitForTransfer(
  deps: StepDeps,
  owner: string,
  transfer: Transfer,
  what: string,
  timeoutMs: number,
): Promise<Transfer> {
  return poll<Transfer>({
    describe: `${what} to finish`,
    timeoutMs,
    interval: deps.poll.windowMs,
    ...waitingIn(deps),
    check: async () => {
      const current = await deps.api.data.getTransfer(owner, transfer.uuid)
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
async function urlsOf(deps: StepDeps, holdAttachment: string): Promise<{ from: string; to: string }> {
  const [from = '', to = ''] = await attachmentUrls(deps.api.platform, deps.journal.record.app, [
    'DATABASE',
    holdAttachment,
  ])
  return { from, to }
}

/** pg:copy from DATABASE into the new database, once, followed to the end. */
export async function copyInto(
  deps: StepDeps,
  plan: UpgradePlan,
  target: AddonRef,
  watch: DetachedWatch,
): Promise<string> {
  const { attachment } = plan.facts.hold
  const urls = await urlsOf(deps, attachment)
  const owner = deps.journal.record.app
  const started = await startTransfer(
    deps,
    owner,
    (t) => t.to_name === attachment,
    () =>
      deps.api.data.copy(target.id, {
        from_name: 'DATABASE',
        from_url: urls.from,
        to_name: attachment,
        to_url: urls.to,
      }),
    'copy',
    plan.policy.timeouts.upgrade.ms,
  )
  const done = await watch.during(() =>
    waitForTransfer(deps, owner, started, `copying into ${target.name}`, plan.policy.timeouts.upgrade.ms),
  )
  return `${transferName(done, 'copy')}: ${formatBytes(done.processed_bytes ?? 0)} copied`
}

/** A backup of the old database, taken with every writer stopped and kept as the rollback point. */
export async function backUp(deps: StepDeps, plan: UpgradePlan, watch: DetachedWatch): Promise<string> {
  const { old } = plan.facts
  const owner = old.appName ?? deps.journal.record.app
  const started = await startTransfer(
    deps,
    owner,
    (t) => t.to_name === 'BACKUP',
    () => deps.api.data.captureBackup(old.id),
    'backup',
    plan.policy.timeouts.upgrade.ms,
  )
  const done = await watch.during(() =>
    waitForTransfer(deps, owner, started, `backing up ${old.name}`, plan.policy.timeouts.upgrade.ms),
  )
  const name = transferName(done, 'backup')
  deps.journal.backupCaptured({ name, uuid: done.uuid, app: owner })
  return `${name}, kept as the rollback point`
}

/** The backup this run captured, restored into the new database. */
export async function restoreInto(
  deps: StepDeps,
  plan: UpgradePlan,
  target: AddonRef,
  watch: DetachedWatch,
): Promise<string> {
  const backup = deps.journal.record.backup
  if (!backup) throw new Error('No backup was captured: the backup step did not run.')
  const captured = await deps.api.data.getTransfer(backup.app, backup.uuid)
  const url = captured.to_url
  if (!url) throw new Error(`Heroku did not say where the backup ${backup.name} is stored.`)
  maskDatabaseUrl(url)
  const owner = deps.journal.record.app
  const started = await startTransfer(
    deps,
    owner,
    (t) => t.to_name === plan.facts.hold.attachment || t.to_name === target.name,
    () => deps.api.data.restore(target.id, url),
    'restore',
    plan.policy.timeouts.upgrade.ms,
  )
  const done = await watch.during(() =>
    waitForTransfer(deps, owner, started, `restoring into ${target.name}`, plan.policy.timeouts.upgrade.ms),
  )
  return `${transferName(done, 'restore')} from ${backup.name}`
}
