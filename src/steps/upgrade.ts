// The upgrade steps: a follower upgraded or unfollowed inside the window, and a database upgraded in place
// (prepared first on Standard and higher). Each records what the report and the recovery need.
import { pgVersion } from '../heroku/database-info'
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
  const { record, settings } = context
  record.createdAddonDetached = true
  context.save()
  const answer = await startUpgrade(context, follower, plan.targetVersion, plan.facts.old.major, {
    leader: false,
  })
  if (answer.message) context.log(`  ${answer.message.replace(/`/g, '')}`)
  const info = await watch.during(() =>
    withinInput('upgrade-timeout', settings.upgradeTimeoutMs, () =>
      waitForUpgrade(context, follower, plan.facts.old.major),
    ),
  )
  record.newDatabase = snapshotOf(context, plan, follower, info, [plan.facts.hold.attachment])
  return `${follower.name} is on PG ${pgVersion(info)}`
}

/** The plan-only path: the follower stops following and becomes a writable copy. */
export async function unfollowFollower(
  context: RunContext,
  plan: UpgradePlan,
  follower: AddonRef,
  watch: DetachedWatch,
): Promise<string> {
  const { record, settings } = context
  record.createdAddonDetached = true
  context.save()
  await stopFollowing(context, follower)
  const info = await watch.during(() =>
    withinInput('upgrade-timeout', settings.upgradeTimeoutMs, () => waitUntilStandalone(context, follower)),
  )
  record.newDatabase = snapshotOf(context, plan, follower, info, [plan.facts.hold.attachment])
  return `${follower.name} no longer follows ${plan.facts.old.name}`
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
