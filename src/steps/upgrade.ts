// The upgrade steps: a follower upgraded or unfollowed inside the window, and a database upgraded in place
// (prepared first on Standard and higher). Each records what the report and the recovery need.
import { pgVersion } from '../heroku/database-info'
import { HerokuApiError } from '../heroku/errors'
import type { IrreversibleChange } from '../record/record'
import type { DatabaseInfo } from '../heroku/types'
import type { UpgradePlan } from '../inspect/types'
import type { RunContext } from './context'
import type { AddonRef } from '../domain/vocabulary'
import {
  prepareUpgrade,
  READY_SETTLE_MS,
  startUpgrade,
  stopFollowing,
  waitForUpgrade,
  waitUntilPrepared,
  waitUntilStandalone,
  withinInput,
} from './database-waits'
import { snapshotOf } from './verify'
import { describePreparedChange, scheduledInMessage } from './unattended'
import { formatDuration } from '../domain/duration'
import { windowInterval } from '../runtime/poller'
import { preparingNote } from './plan-change'
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
      if (answer.message) context.log(`  Heroku: ${firstLine(answer.message)}`)
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

/**
 * upgrade/prepare unless Heroku already prepared (or is preparing) one, then the wait until it is ready.
 * From the request on, the upgrade is one Heroku runs by itself in the maintenance window: recorded first.
 */
export async function prepareInPlace(
  context: RunContext,
  plan: UpgradePlan,
  database: AddonRef,
): Promise<string> {
  const { record } = context
  const fresh = plan.facts.upgrade.phase === 'none'
  record.preparedChange = {
    kind: 'upgrade',
    addon: database,
    what: `the prepared upgrade of ${database.name}${fresh ? ` to ${plan.targetVersion ? `PG ${plan.targetVersion}` : 'the newest PG Heroku supports'}` : ''}`,
  }
  context.save()
  if (fresh) await prepareUpgrade(context, database, plan.targetVersion)
  // Heroku's answer says the upgrade is "scheduled" in the maintenance window: the log says what it means.
  if (plan.facts.upgrade.phase !== 'prepared')
    context.log(`  ${preparingNote(`the upgrade of ${database.name}`, 'run it', context.settings.phase)}`)
  const settleMs = plan.facts.upgrade.phase === 'prepared' ? 0 : READY_SETTLE_MS
  const message = await withinInput('prepare-timeout', context.settings.prepareTimeoutMs, () =>
    waitUntilPrepared(context, database, settleMs),
  )
  return describePreparedChange(context, database, scheduledInMessage(message))
}

/** How long upgrade/run may answer "not ready" inside the window before the run gives up (nothing started). */
const NOT_READY_BUDGET_MS = 2 * 60_000

/**
 * Heroku may say an upgrade is scheduled and still answer upgrade/run with 400 "not ready" for a while.
 * Nothing started then: the request is sent again for up to two minutes, then the run rolls back.
 */
async function whileNotReady<T>(context: RunContext, database: AddonRef, send: () => Promise<T>): Promise<T> {
  const until = context.clock.now() + NOT_READY_BUDGET_MS
  for (let attempt = 1; ; attempt++) {
    try {
      return await send()
    } catch (error) {
      const notReady =
        error instanceof HerokuApiError && error.status === 400 && /not ready/i.test(error.message)
      if (!notReady) throw error
      if (context.clock.now() >= until)
        throw new Error(
          `Heroku still answers that the upgrade of ${database.name} is not ready after ${formatDuration(NOT_READY_BUDGET_MS)}; nothing started. Wait until heroku pg:upgrade:wait ${database.name} -a ${context.settings.app} has shown it scheduled for a while, then run phase switch again.`,
          { cause: error },
        )
      context.log(`  Heroku says the upgrade is not ready yet (nothing started); asking again.`)
      const step = windowInterval(context.settings.pollIntervalMs) * attempt
      const pause = Math.min(step, 15_000, Math.max(0, until - context.clock.now()))
      await context.clock.sleep(pause, context.signal)
    }
  }
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
  const answer = await whileNotReady(context, database, () =>
    sendIrreversible(context, change, () =>
      startUpgrade(context, database, runVersion(plan), plan.facts.old.major, { leader: true }),
    ),
  )
  if (answer.message) context.log(`  Heroku: ${firstLine(answer.message)}`)
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

/** Heroku's answers name CLI commands in backticks and run over several lines; the first says what happened. */
const firstLine = (message: string): string => message.replace(/`/g, '').split('\n', 1)[0]!.trim()
