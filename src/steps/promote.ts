// The promote, the way `pg:promote` does it (heroku-api.md 8.2): an alternate alias for the old DATABASE,
// DATABASE attached to the new add-on, the default pooler re-attached; and, unlike the CLI, the other apps
// attached to the old database moved too. Whether it reached the dynos is settled by ../switch.
import type { StepDeps } from './deps'
import type { UpgradePlan } from '../plan/upgrade-plan'
import { changeOnce } from '../heroku/change-once'
import type { Attachment } from '../heroku/types'
import { DEFAULT_POOLER, isMovable, POOLER_NAMESPACE } from '../inspect/attachments'
import type { AddonRef, AttachmentMove } from '../domain/vocabulary'
import { RELEASE_SETTLE_TIMEOUT_MS, requestMoves, type SwitchDependencies } from './switch'

export interface PromoteTarget {
  id: string
  name: string
}

/** Heroku's own name for a database's alias: apps are told to use DATABASE_URL, not these. */
const COLOUR_ALIAS = /^HEROKU_POSTGRESQL_[A-Z0-9_]+$/

/**
 * Makes sure the database that is DATABASE now has a HEROKU_POSTGRESQL_<COLOUR> alias, so it keeps a config
 * var (and its billing attachment) after promote: that alias stays with it, while every other alias moves
 * to the new database. Done before the window (harmless while the app is up) and checked again by promote.
 */
export async function ensureAlternateAlias(
  deps: StepDeps,
  addon: { id: string; name: string },
  known?: Attachment[],
  app = deps.journal.record.app,
): Promise<{ name: string; created: boolean }> {
  const { platform } = deps.api
  const aliasIn = (attachments: Attachment[]): Attachment | undefined =>
    attachments.find((a) => a.addon.id === addon.id && !a.namespace && COLOUR_ALIAS.test(a.name))
  const alias = aliasIn(known ?? (await platform.listAppAttachments(app)))
  if (alias) return { name: alias.name, created: false }
  const created = await changeOnce({
    send: () =>
      platform.createAttachment({
        addon: { name: addon.name },
        app: { name: app },
        confirm: app,
        namespace: null,
      }),
    findEffect: async () => aliasIn(await platform.listAppAttachments(app)),
    clock: deps.clock,
    signal: deps.signal,
    policy: deps.retryPolicyNow(),
  })
  return { name: created.name, created: true }
}

/**
 * The attachments the switch moves, DATABASE first: every other attachment of the old database on the app
 * (its poolers and aliases, which the app may write through), except the colour alias it keeps, and every
 * attachment of it on the other apps the window stopped (credential attachments are refused in preflight:
 * the new database lacks them).
 */
function planMoves(
  app: string,
  movedApps: ReadonlySet<string>,
  oldAttachments: Attachment[],
  keptAlias: string,
  from: AddonRef,
  to: AddonRef,
): AttachmentMove[] {
  const move = (attachment: Attachment): AttachmentMove => ({
    app: attachment.app.name,
    name: attachment.name,
    namespace: attachment.namespace ?? null,
    from,
    to,
  })
  const own = oldAttachments.filter(
    (a) =>
      a.app.name === app &&
      a.name !== 'DATABASE' &&
      a.name !== keptAlias &&
      (!a.namespace || a.namespace === POOLER_NAMESPACE),
  )
  // The default pooler right after DATABASE: it is the one most apps read their pooled URL from.
  own.sort((a, b) => Number(b.name === DEFAULT_POOLER) - Number(a.name === DEFAULT_POOLER))
  const others = oldAttachments.filter((a) => a.app.name !== app && isMovable(a) && movedApps.has(a.app.name))
  return [{ app, name: 'DATABASE', namespace: null, from, to }, ...own.map(move), ...others.map(move)]
}

/** Records the moves, then sends them. Returns a short description of what was done. */
/** `ownerApp` owns the old database: if it moves too, it keeps an alias of the old one (its billing attachment). */
export async function promote(
  deps: StepDeps,
  plan: UpgradePlan,
  target: PromoteTarget,
  ownerApp?: string,
): Promise<string> {
  const { api } = deps
  const record = deps.journal.record
  const app = deps.journal.record.app
  const old = record.oldDatabase
  if (!old) throw new Error('The old database is not known; preflight did not run.')
  const done: string[] = []
  const attachments = await api.platform.listAppAttachments(app)
  const current = attachments.find((a) => a.name === 'DATABASE' && !a.namespace)
  if (current && current.addon.id !== old.addonId && current.addon.id !== target.id)
    throw new Error(
      `DATABASE of ${app} is now ${current.addon.name}, neither ${old.addonName} nor ${target.name}: something else changed it during the run.`,
    )
  const alias = await ensureAlternateAlias(deps, { id: old.addonId, name: old.addonName }, attachments)
  done.push(alias.created ? `old database kept as ${alias.name}` : `old database keeps ${alias.name}`)

  const status = await api.data.waitStatus(target.id)
  if (status['waiting?'])
    throw new Error(`${target.name} cannot be promoted while in state: ${status.message ?? 'waiting'}.`)

  const oldAttachments = await api.platform.listAddonAttachments(old.addonId)
  // Only the other apps the window stopped move: one that cannot reach the new database stays (preflight).
  const movedApps = new Set((record.otherApps ?? []).map((other) => other.app))
  if (ownerApp && ownerApp !== app && movedApps.has(ownerApp)) {
    const kept = await ensureAlternateAlias(
      deps,
      { id: old.addonId, name: old.addonName },
      undefined,
      ownerApp,
    )
    done.push(`${ownerApp} keeps the old database as ${kept.name}`)
  }
  const moves = planMoves(
    app,
    movedApps,
    oldAttachments,
    alias.name,
    { id: old.addonId, name: old.addonName },
    target,
  )
  // Until verify-command passed (when one runs), a switch that reached the dynos is still taken back.
  deps.journal.movesRequested(moves, plan.policy.verifyCommand !== undefined)
  await requestMoves(switchDependencies(deps, plan), moves)
  done.push(moves.map((m) => `${m.app === app ? '' : `${m.app}::`}${m.name} → ${target.name}`).join(', '))
  return done.join(', ')
}

export function switchDependencies(deps: StepDeps, plan: UpgradePlan): SwitchDependencies {
  return {
    platform: deps.api.platform,
    clock: deps.clock,
    signal: deps.signal,
    policy: deps.retryPolicyNow(),
    log: deps.log,
    releaseTimeoutMs: Math.min(RELEASE_SETTLE_TIMEOUT_MS, plan.policy.timeouts.upgrade.ms),
    pollIntervalMs: deps.poll.windowMs,
  }
}
