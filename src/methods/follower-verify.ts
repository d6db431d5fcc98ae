// Step 7 and the report's view of the new database.
import type { RunContext } from '../context'
import { errorMessage } from '../error-message'
import { isFollowing, majorOf, pgVersion } from '../heroku/database-info'
import type { DatabaseInfo } from '../heroku/types'
import type { DatabaseSnapshot } from '../run-record'
import { readDatabase, type Follower } from './follower-waits'
import type { Preflight } from './preflight'
import { resolveDatabase } from './resolve'
import { snapshot } from './snapshot'

export async function verify(context: RunContext, plan: Preflight, follower: Follower): Promise<string> {
  const { api, settings, record } = context
  const resolved = await resolveDatabase(api.platform, settings.app, 'DATABASE_URL')
  if (resolved.addon.id !== follower.id)
    throw new Error(`DATABASE_URL resolves to ${resolved.addon.name}, not to ${follower.name}.`)
  const info = await readDatabase(context, follower.id)
  if (!info) throw new Error(`The data API does not know ${follower.name}.`)
  if (isFollowing(info))
    throw new Error(`${follower.name} is DATABASE but still follows another database (read-only).`)
  const version = pgVersion(info) ?? 'unknown'
  const major = majorOf(version)
  const expected =
    plan.mode === 'unfollow' ? plan.old.major : plan.targetVersion ? Number(plan.targetVersion) : undefined
  if (major === undefined || (expected !== undefined ? major !== expected : major <= plan.old.major))
    throw new Error(
      `${follower.name} reports PG ${version}, expected ${expected ?? `newer than ${plan.old.major}`}.`,
    )
  record.newDatabase = snapshotOf(context, plan, follower, info, record.newDatabase?.attachments ?? [])
  return `DATABASE_URL → ${follower.name}, PG ${version}, not following`
}

export function snapshotOf(
  context: RunContext,
  plan: Preflight,
  follower: Follower,
  info: DatabaseInfo,
  attachmentNames: string[],
): DatabaseSnapshot {
  const known = [
    { url: info.resource_url, name: follower.name },
    { url: plan.old.info.resource_url, name: plan.old.name },
  ]
  const attachments = attachmentNames.map((name) => ({ id: name, name, app: plan.app, addon: follower }))
  return snapshot(follower.id, follower.name, plan.targetPlan, info, attachments, known, context.clock)
}

/** After the window: the new database's attachments and pg:info for the report (best effort). */
export async function refreshNewSnapshot(
  context: RunContext,
  plan: Preflight,
  follower: Follower,
): Promise<void> {
  try {
    const [info, attachments] = await Promise.all([
      readDatabase(context, follower.id),
      context.api.platform.listAppAttachments(context.settings.app),
    ])
    if (!info) return
    const names = attachments.filter((a) => a.addon.id === follower.id).map((a) => a.name)
    context.record.newDatabase = snapshotOf(context, plan, follower, info, names)
    context.save()
  } catch (error) {
    context.log(
      `  Could not refresh the description of ${follower.name} for the report: ${errorMessage(error)}`,
    )
  }
}
