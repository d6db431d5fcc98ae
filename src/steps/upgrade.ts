// The upgrade steps: a follower upgraded or unfollowed inside the window, and a database upgraded in place
// (prepared first on Standard and higher). Each records what the report and the recovery need.
import { pgVersion } from '../heroku/database-info'
import { HerokuApiError } from '../heroku/errors'
import type { IrreversibleChange } from '../domain/vocabulary'
import type { DatabaseInfo } from '../heroku/types'
import type { UpgradePlan } from '../plan/upgrade-plan'
import type { StepDeps } from './deps'
import type { AddonRef } from '../domain/vocabulary'
import {
  startUpgrade,
  stopFollowing,
  waitForUpgrade,
  waitUntilStandalone,
  withinInput,
} from './database-waits'
import { prepareUpgrade, READY_SETTLE_MS, waitUntilPrepared } from './prepare-upgrade'
import { snapshotOf } from './verify'
import { describePreparedChange, scheduledInMessage } from './unattended'
import { cleanHerokuMessage } from '../domain/heroku-message'
import { preparingNote } from './plan-change'
import type { DetachedWatch } from './detached-watch'
import { upgradeNotReadyMessage } from '../domain/messages/prepared'

/** upgrade/run on the follower, then its wait; from here on it no longer follows the old database. */
export async function upgradeFollower(
  deps: StepDeps,
  plan: UpgradePlan,
  follower: AddonRef,
  watch: DetachedWatch,
): Promise<string> {
  const fromMajor = plan.facts.old.major
  const info = await detachFollower(deps, plan, follower, watch, {
    send: async () => {
      const answer = await startUpgrade(deps, follower, plan.targetVersion, fromMajor, { leader: false })
      if (answer.message) deps.log(`  Heroku: ${cleanHerokuMessage(answer.message, { firstLine: true })}`)
    },
    wait: () => waitForUpgrade(deps, follower, fromMajor, plan.policy.timeouts.upgrade.ms),
  })
  return `${follower.name} is on PG ${pgVersion(info)}`
}

/** The plan-only path: the follower stops following and becomes a writable copy. */
export async function unfollowFollower(
  deps: StepDeps,
  plan: UpgradePlan,
  follower: AddonRef,
  watch: DetachedWatch,
): Promise<string> {
  await detachFollower(deps, plan, follower, watch, {
    send: () => stopFollowing(deps, follower),
    wait: () => waitUntilStandalone(deps, follower, plan.policy.timeouts.upgrade.ms),
  })
  return `${follower.name} no longer follows ${plan.facts.old.name}`
}

/**
 * Recorded as detached before `send`, whose answer may be lost after Heroku acted: a failure then tells the
 * user to remove it rather than resume with it. Then `wait`, within upgrade-timeout, while the watch looks
 * for writers whose writes the old database alone would get.
 */
async function detachFollower(
  deps: StepDeps,
  plan: UpgradePlan,
  follower: AddonRef,
  watch: DetachedWatch,
  how: { send: () => Promise<void>; wait: () => Promise<DatabaseInfo> },
): Promise<DatabaseInfo> {
  deps.journal.addonDetached()
  await how.send()
  const info = await watch.during(() => withinInput(plan.policy.timeouts.upgrade, how.wait))
  deps.journal.newDatabaseRead(snapshotOf(deps, plan, follower, info, [plan.facts.hold.attachment]))
  return info
}

/**
 * upgrade/prepare unless Heroku already prepared (or is preparing) one, then the wait until it is ready.
 * From the request on, the upgrade is one Heroku runs by itself in the maintenance window: recorded first.
 */
export async function prepareInPlace(deps: StepDeps, plan: UpgradePlan, database: AddonRef): Promise<string> {
  const fresh = plan.facts.upgrade.phase === 'none'
  deps.journal.changePrepared({
    kind: 'upgrade',
    addon: database,
    what: `the prepared upgrade of ${database.name}${fresh ? ` to ${plan.targetVersion ? `PG ${plan.targetVersion}` : 'the newest PG Heroku supports'}` : ''}`,
  })
  if (fresh) await prepareUpgrade(deps, database, plan.targetVersion)
  // Heroku's answer says the upgrade is "scheduled" in the maintenance window: the log says what it means.
  if (plan.facts.upgrade.phase !== 'prepared')
    deps.log(`  ${preparingNote(`the upgrade of ${database.name}`, 'run it', plan.policy.phase)}`)
  const settleMs = plan.facts.upgrade.phase === 'prepared' ? 0 : READY_SETTLE_MS
  const message = await withinInput(plan.policy.timeouts.prepare, () =>
    waitUntilPrepared(deps, database, settleMs, plan.policy.timeouts.prepare.ms),
  )
  return describePreparedChange(deps, database, scheduledInMessage(message), plan.policy.window.end)
}

/** How long upgrade/run may answer "not ready" inside the window before the run gives up (nothing started). */
const NOT_READY_BUDGET_MS = 2 * 60_000

/**
 * Heroku may say an upgrade is scheduled and still answer upgrade/run with 400 "not ready" for a while.
 * Nothing started then: the request is sent again for up to two minutes, then the run rolls back.
 */
async function whileNotReady<T>(deps: StepDeps, database: AddonRef, send: () => Promise<T>): Promise<T> {
  const until = deps.clock.now() + NOT_READY_BUDGET_MS
  for (let attempt = 1; ; attempt++) {
    try {
      return await send()
    } catch (error) {
      const notReady =
        error instanceof HerokuApiError && error.status === 400 && /not ready/i.test(error.message)
      if (!notReady) throw error
      if (deps.clock.now() >= until)
        throw new Error(
          upgradeNotReadyMessage({
            database: database.name,
            app: deps.journal.record.app,
            afterMs: NOT_READY_BUDGET_MS,
          }),
          { cause: error },
        )
      deps.log(`  Heroku says the upgrade is not ready yet (nothing started); asking again.`)
      const step = deps.poll.windowMs * attempt
      const pause = Math.min(step, 15_000, Math.max(0, until - deps.clock.now()))
      await deps.clock.sleep(pause, deps.signal)
    }
  }
}

/**
 * upgrade/run on the database itself. Recorded as sent before the request goes out, and as irreversible
 * once Heroku acknowledged it (or its effect is seen); a refusal means nothing started. A prepared upgrade
 * runs as it was prepared: its version is Heroku's, not the input's (see `preparedVersion`).
 */
export async function upgradeInPlace(deps: StepDeps, plan: UpgradePlan, database: AddonRef): Promise<string> {
  const change = {
    step: 'upgrade' as const,
    addon: database,
    what: `the in-place upgrade of ${database.name}`,
  }
  const answer = await whileNotReady(deps, database, () =>
    sendIrreversible(deps, change, () =>
      startUpgrade(deps, database, runVersion(plan), plan.facts.old.major, { leader: true }),
    ),
  )
  if (answer.message) deps.log(`  Heroku: ${cleanHerokuMessage(answer.message, { firstLine: true })}`)
  const info = await withinInput(plan.policy.timeouts.upgrade, () =>
    waitForUpgrade(deps, database, plan.facts.old.major, plan.policy.timeouts.upgrade.ms),
  )
  deps.journal.irreversibleEnded()
  const attachments = deps.journal.record.oldDatabase?.attachments ?? []
  deps.journal.newDatabaseRead(snapshotOf(deps, plan, database, info, attachments))
  return `${database.name} is on PG ${pgVersion(info)}`
}

/**
 * Sends a request whose effect cannot be undone: `irreversibleSent` before it goes out, `irreversible` once
 * Heroku acknowledged it. A refusal (an answer that is not a retryable failure) means nothing started: the
 * mark is taken back. Any other failure leaves it, for the recovery to settle by looking.
 */
export async function sendIrreversible<T>(
  deps: StepDeps,
  change: IrreversibleChange,
  send: () => Promise<T>,
): Promise<T> {
  deps.journal.irreversibleSending(change)
  let answer: T
  try {
    answer = await send()
  } catch (error) {
    if (error instanceof HerokuApiError && !error.retryable) {
      deps.journal.irreversibleRefused()
    }
    throw error
  }
  deps.journal.irreversibleAccepted(change)
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
