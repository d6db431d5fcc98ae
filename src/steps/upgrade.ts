// The upgrade steps: a follower upgraded or unfollowed inside the window, and a database upgraded in place
// (prepared first on Standard and higher). Each records what the report and the recovery need.
import { pgVersion } from '../heroku/database-info'
import { HerokuApiError } from '../heroku/errors'
import type { IrreversibleChange } from '../run/record'
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

/**
 * upgrade/run on the database itself. Recorded as sent before the request goes out, and as irreversible
 * once Heroku acknowledged it (or its effect is seen); a refusal means nothing started. A prepared upgrade
 * runs as it was prepared: its version is Heroku's, not the input's (see `preparedVersion`).
 */
export async function upgradeInPlace(
  context: RunContext,
  plan: UpgradePlan,
  database: AddonRef,
): Promise<string> {
  const { record, settings } = context
  const change = {
    step: 'upgrade' as const,
    addon: database,
    what: `the in-place upgrade of ${database.name}`,
  }
  const answer = await sendIrreversible(context, change, () =>
    startUpgrade(context, database, runVersion(plan), plan.facts.old.major, { leader: true }),
  )
  if (answer.message) context.log(`  ${answer.message.replace(/`/g, '')}`)
  const info = await withinInput('upgrade-timeout', settings.upgradeTimeoutMs, () =>
    waitForUpgrade(context, database, plan.facts.old.major),
  )
  record.newDatabase = snapshotOf(context, plan, database, info, record.oldDatabase?.attachments ?? [])
  return `${database.name} is on PG ${pgVersion(info)}`
}

/**
 * Sends a request whose effect cannot be undone: `irreversibleSent` before it goes out, `irreversible` once
 * Heroku acknowledged it. A refusal (an answer that is not a retryable failure) means nothing started: the
 * mark is taken back. Any other failure leaves it, for the recovery to settle by looking.
 */
export async function sendIrreversible<T>(
  context: RunContext,
  change: IrreversibleChange,
  send: () => Promise<T>,
): Promise<T> {
  const { record } = context
  record.irreversibleSent = change
  context.save()
  let answer: T
  try {
    answer = await send()
  } catch (error) {
    if (error instanceof HerokuApiError && !error.retryable) {
      delete record.irreversibleSent
      context.save()
    }
    throw error
  }
  record.irreversible = change
  delete record.irreversibleSent
  context.save()
  return answer
}

/**
 * The version sent with upgrade/run: none when Heroku already prepared an upgrade before this run, so that
 * it runs what was prepared rather than an unprepared version the input names (the run that prepared it
 * sends the version it prepared).
 */
function runVersion(plan: UpgradePlan): string | undefined {
  return plan.facts.upgrade.phase === 'prepared' ? undefined : plan.targetVersion
}
