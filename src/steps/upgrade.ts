// The upgrade steps: a follower upgraded or unfollowed inside the window, and a database upgraded in place
// (prepared first on Standard and higher). Each records what the report and the recovery need.
import { pgVersion } from '../heroku/database-info'
import type { DatabaseInfo } from '../heroku/types'
import type { UpgradePlan } from '../inspect/types'
import type { RunContext } from '../run/context'
import type { AddonRef } from '../run/record'
import {
  prepareUpgrade,
  startUpgrade,
  stopFollowing,
  waitForUpgrade,
  waitUntilPrepared,
  waitUntilStandalone,
  withinInput,
} from './database-waits'
import { snapshotOf } from './verify'
import type { DetachedWatch } from './window-steps'

/** upgrade/run on the follower, then its wait; from here on it no longer follows the old database. */
export async function upgradeFollower(
  context: RunContext,
  plan: UpgradePlan,
  follower: AddonRef,
  watch: DetachedWatch,
): Promise<string> {
  const fromMajor = plan.facts.old.major
  const info = await detachFollower(context, plan, follower, watch, {
    send: async () => {
      const answer = await startUpgrade(context, follower, plan.targetVersion, fromMajor, { leader: false })
      if (answer.message) context.log(`  ${answer.message.replace(/`/g, '')}`)
    },
    wait: () => waitForUpgrade(context, follower, fromMajor),
  })
  return `${follower.name} is on PG ${pgVersion(info)}`
}

/** The plan-only path: the follower stops following and becomes a writable copy. */
export async function unfollowFollower(
  context: RunContext,
  plan: UpgradePlan,
  follower: AddonRef,
  watch: DetachedWatch,
): Promise<string> {
  await detachFollower(context, plan, follower, watch, {
    send: () => stopFollowing(context, follower),
    wait: () => waitUntilStandalone(context, follower),
  })
  return `${follower.name} no longer follows ${plan.facts.old.name}`
}

/**
 * Recorded as detached before `send`, whose answer may be lost after Heroku acted: a failure then tells the
 * user to remove it rather than resume with it. Then `wait`, within upgrade-timeout, while the watch looks
 * for writers whose writes the old database alone would get.
 */
async function detachFollower(
  context: RunContext,
  plan: UpgradePlan,
  follower: AddonRef,
  watch: DetachedWatch,
  how: { send: () => Promise<void>; wait: () => Promise<DatabaseInfo> },
): Promise<DatabaseInfo> {
  const { record, settings } = context
  record.createdAddonDetached = true
  context.save()
  await how.send()
  const info = await watch.during(() => withinInput('upgrade-timeout', settings.upgradeTimeoutMs, how.wait))
  record.newDatabase = snapshotOf(context, plan, follower, info, [plan.facts.hold.attachment])
  return info
}

/** upgrade/prepare unless Heroku already prepared (or is preparing) one, then the wait until it is ready. */
export async function prepareInPlace(
  context: RunContext,
  plan: UpgradePlan,
  database: AddonRef,
): Promise<string> {
  if (plan.facts.upgrade.phase === 'none') {
    const answer = await prepareUpgrade(context, database, plan.targetVersion)
    if (answer.message) context.log(`  ${answer.message.replace(/`/g, '').split('\n')[0]}`)
  }
  return withinInput('prepare-timeout', context.settings.prepareTimeoutMs, () =>
    waitUntilPrepared(context, database),
  )
}

/** upgrade/run on the database itself: recorded as irreversible before it is sent. */
export async function upgradeInPlace(
  context: RunContext,
  plan: UpgradePlan,
  database: AddonRef,
): Promise<string> {
  const { record, settings } = context
  record.irreversible = { step: 'upgrade', addon: database, what: `the in-place upgrade of ${database.name}` }
  context.save()
  const answer = await startUpgrade(context, database, plan.targetVersion, plan.facts.old.major, {
    leader: true,
  })
  if (answer.message) context.log(`  ${answer.message.replace(/`/g, '')}`)
  const info = await withinInput('upgrade-timeout', settings.upgradeTimeoutMs, () =>
    waitForUpgrade(context, database, plan.facts.old.major),
  )
  record.newDatabase = snapshotOf(context, plan, database, info, record.oldDatabase?.attachments ?? [])
  return `${database.name} is on PG ${pgVersion(info)}`
}
