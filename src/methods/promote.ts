// Step 6, the way `pg:promote` does it (heroku-api.md 8.2): an alternate alias for the old DATABASE,
// DATABASE attached to the new add-on, the default pooler re-attached, and the release phase checked.
// Unlike the CLI, a failed Attach DATABASE release is a failure.
import type { RunContext } from '../context'
import type { Attachment, Release } from '../heroku/types'
import { poll, windowInterval } from '../poller'

const ATTACH_DATABASE = /\bAttach DATABASE(?![A-Z0-9_])/
const POOLER_NAMESPACE = 'connection-pooling:default'
const DEFAULT_POOLER = 'DATABASE_CONNECTION_POOL'

export interface PromoteTarget {
  id: string
  name: string
}

/**
 * Makes sure the database that is DATABASE now has a second attachment, so it keeps a config var after
 * promote. Done before the window (it is harmless while the app is up) and checked again by promote.
 */
export async function ensureAlternateAlias(
  context: RunContext,
  addon: { id: string; name: string },
  known?: Attachment[],
): Promise<{ name: string; created: boolean }> {
  const app = context.settings.app
  const attachments = known ?? (await context.api.platform.listAppAttachments(app))
  const alias = attachments.find((a) => a.addon.id === addon.id && !a.namespace && a.name !== 'DATABASE')
  if (alias) return { name: alias.name, created: false }
  const created = await context.api.platform.createAttachment({
    addon: { name: addon.name },
    app: { name: app },
    confirm: app,
    namespace: null,
  })
  return { name: created.name, created: true }
}

/** Returns a short description of what was done. */
export async function promote(context: RunContext, target: PromoteTarget): Promise<string> {
  const { settings, record, api } = context
  const app = settings.app
  const done: string[] = []
  const attachments = await api.platform.listAppAttachments(app)
  const current = attachments.find((a) => a.name === 'DATABASE' && !a.namespace)
  if (current?.addon.id === target.id) {
    record.promoted = true
    context.save()
    return `${target.name} was already DATABASE`
  }

  if (current) {
    const alias = await ensureAlternateAlias(context, current.addon, attachments)
    done.push(alias.created ? `old database kept as ${alias.name}` : `old database keeps ${alias.name}`)
  }

  const status = await api.data.waitStatus(target.id)
  if (status['waiting?'])
    throw new Error(`${target.name} cannot be promoted while in state: ${status.message ?? 'waiting'}.`)

  await api.platform.createAttachment({
    addon: { name: target.name },
    app: { name: app },
    confirm: app,
    name: 'DATABASE',
    namespace: null,
  })
  record.promoted = true
  context.save()
  done.push(`DATABASE → ${target.name}`)

  const pooler = attachments.find(
    (a: Attachment) =>
      a.namespace === POOLER_NAMESPACE && a.name === DEFAULT_POOLER && a.addon.id === current?.addon.id,
  )
  if (pooler) {
    await api.platform.createAttachment({
      addon: { name: target.name },
      app: { name: app },
      confirm: app,
      name: DEFAULT_POOLER,
      namespace: POOLER_NAMESPACE,
    })
    done.push(`${DEFAULT_POOLER} re-attached`)
  }

  const hasReleasePhase = (record.formationBefore ?? (await api.platform.getFormation(app))).some(
    (e) => e.type === 'release',
  )
  if (hasReleasePhase) done.push(await checkReleasePhase(context))
  return done.join(', ')
}

async function checkReleasePhase(context: RunContext): Promise<string> {
  const { settings, api } = context
  const app = settings.app
  const attach = await poll<Release>({
    describe: `the Attach DATABASE release of ${app} to appear`,
    timeoutMs: Math.min(60_000, settings.upgradeTimeoutMs),
    interval: windowInterval(settings.pollIntervalMs),
    signal: context.signal,
    clock: context.clock,
    check: async () => {
      const release = (await api.platform.latestReleases(app, 5)).find((r) =>
        ATTACH_DATABASE.test(r.description),
      )
      return release ? { done: true, value: release } : { done: false, nearlyDone: true }
    },
  })
  const final = await poll<Release>({
    describe: `the release phase of v${attach.version} (${attach.description})`,
    timeoutMs: settings.upgradeTimeoutMs,
    interval: windowInterval(settings.pollIntervalMs),
    signal: context.signal,
    clock: context.clock,
    check: async () => {
      const release = await api.platform.getRelease(app, attach.id)
      return release.status === 'succeeded' || release.status === 'failed'
        ? { done: true, value: release }
        : { done: false, status: release.status }
    },
  })
  if (final.status === 'failed')
    throw new Error(
      `The release phase of v${final.version} (${final.description}) failed, so the app may not be running with the new DATABASE_URL. Check heroku releases:output ${final.version} -a ${app}.`,
    )
  return `release v${final.version} succeeded`
}
