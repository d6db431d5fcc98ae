// addons:upgrade on the database itself (heroku-api.md 8.5). On Essential, Heroku changes the plan on its
// own within a minute, with the app up. On Standard and higher the request only has Heroku prepare a
// replacement (hours, the app up); the changeover is a data maintenance, read-only for under a minute,
// that Heroku runs in the database's maintenance window unless `data:maintenances:run` starts it first.
// It rotates the database's credentials: the release that follows restarts the dynos onto the new ones.
import type { StepDeps } from './deps'
import type { UpgradePlan } from '../plan/upgrade-plan'
import { changeOnce } from '../heroku/change-once'
import type { Maintenance, Release } from '../heroku/types'
import { poll } from '../runtime/poller'
import type { AddonRef } from '../domain/vocabulary'
import { RELEASE_SETTLE_TIMEOUT_MS } from './switch'
import { waitingIn } from './waits'
import { shortPlan } from '../domain/tier'
import { credentialsReleaseFailedMessage } from '../domain/messages/switch'

const OPEN: ReadonlyArray<Maintenance['status']> = ['pending', 'preparing', 'ready', 'running']
/** How long a release may take to appear after the changeover before the credentials count as unchanged. */
const RELEASE_APPEARS_MS = 60_000

/** The maintenance is this plan change, still to be done or under way. */
export function isChangeTo(maintenance: Maintenance, targetPlan: string): boolean {
  return OPEN.includes(maintenance.status) && (maintenance.reason ?? '').includes(shortPlan(targetPlan))
}

/** Sends addons:upgrade once; a lost answer is found by the plan (Essential) or by the maintenance. */
export async function requestPlanChange(
  deps: StepDeps,
  addon: AddonRef,
  targetPlan: string,
  { essential }: { essential: boolean },
): Promise<void> {
  const { platform, data } = deps.api
  const app = deps.journal.record.app
  // A plan change an earlier run (phase prepare) asked for is taken over, not asked for again.
  if (!essential && isChangeTo(await data.maintenance(addon.id), targetPlan)) return
  await changeOnce<unknown>({
    send: () => platform.changePlan(app, addon.name, targetPlan),
    findEffect: async () => {
      if ((await platform.getAddon(app, addon.name)).plan.name === targetPlan) return true
      return !essential && isChangeTo(await data.maintenance(addon.id), targetPlan) ? true : undefined
    },
    clock: deps.clock,
    signal: deps.signal,
    policy: deps.retryPolicyNow(),
  })
}

/**
 * Heroku's own words for a prepared change say it is "scheduled" for the maintenance window, as if it would
 * run by itself tonight: the log says instead what Heroku does now and what the run does about it.
 */
export function preparingNote(what: string, change: string, phase: string): string {
  return phase === 'prepare'
    ? `Heroku is preparing ${what}, which can take hours. This run waits until it is ready, then stops and says when Heroku would ${change} by itself; phase switch does it in its own window first.`
    : `Heroku is preparing ${what}, which can take hours. This run waits until it is ready, then opens its own window to ${change}; it does not wait for Heroku's maintenance window.`
}

/** Until Heroku has the replacement ready to change over to; bounded by prepare-timeout. */
export async function waitUntilReady(
  deps: StepDeps,
  addon: AddonRef,
  plan: UpgradePlan,
): Promise<Maintenance> {
  deps.log(
    `  ${preparingNote(`the replacement of ${addon.name} on ${shortPlan(plan.targetPlan)}`, 'change over', plan.policy.phase)}`,
  )
  return poll<Maintenance>({
    describe: `the replacement of ${addon.name} on ${shortPlan(plan.targetPlan)} to be ready`,
    timeoutMs: plan.policy.timeouts.prepare.ms,
    interval: deps.poll.longWaitMs,
    ...waitingIn(deps),
    check: async () => {
      const maintenance = await deps.api.data.maintenance(addon.id)
      if (maintenance.status === 'ready' && isChangeTo(maintenance, plan.targetPlan))
        return { done: true, value: maintenance }
      if (!isChangeTo(maintenance, plan.targetPlan))
        throw new Error(
          `The plan change of ${addon.name} to ${shortPlan(plan.targetPlan)} is no longer open on Heroku (maintenance ${maintenance.status}${maintenance.reason ? `: ${maintenance.reason}` : ''}).`,
        )
      if (maintenance.status === 'running')
        throw new Error(`The changeover of ${addon.name} started without this run (maintenance running).`)
      return { done: false, status: `Heroku is preparing it (maintenance ${maintenance.status})` }
    },
  })
}

/** data:maintenances:run, sent again only when Heroku shows the changeover has not started. */
export async function startChangeover(deps: StepDeps, addon: AddonRef): Promise<void> {
  const { data } = deps.api
  await changeOnce({
    send: () => data.runMaintenance(addon.id),
    findEffect: async () => {
      const maintenance = await data.maintenance(addon.id)
      return maintenance.status === 'running' || maintenance.status === 'completed' ? maintenance : undefined
    },
    clock: deps.clock,
    signal: deps.signal,
    policy: deps.retryPolicyNow(),
  })
}

/** Until the maintenance completed and the add-on shows the new plan; bounded by upgrade-timeout. */
export async function waitForChangeover(deps: StepDeps, addon: AddonRef, plan: UpgradePlan): Promise<void> {
  const { data, platform } = deps.api
  await poll<true>({
    describe: `the changeover of ${addon.name} to ${shortPlan(plan.targetPlan)}`,
    timeoutMs: plan.policy.timeouts.upgrade.ms,
    interval: deps.poll.windowMs,
    ...waitingIn(deps),
    check: async () => {
      const maintenance = await data.maintenance(addon.id)
      if (maintenance.status !== 'completed')
        return { done: false, status: `changeover ${maintenance.status}`, nearlyDone: true }
      const current = await platform.getAddon(deps.journal.record.app, addon.name)
      if (current.plan.name !== plan.targetPlan)
        throw new Error(
          `The changeover of ${addon.name} completed, but it is on ${shortPlan(current.plan.name)}, not ${shortPlan(plan.targetPlan)}.`,
        )
      return { done: true, value: true }
    },
  })
}

/** Until the plan change of an Essential database is done: wait_status stops waiting, the plan shows. */
export async function waitForEssentialPlanChange(
  deps: StepDeps,
  addon: AddonRef,
  plan: UpgradePlan,
): Promise<void> {
  const { api } = deps
  await poll<true>({
    describe: `the plan change of ${addon.name} to ${shortPlan(plan.targetPlan)}`,
    timeoutMs: plan.policy.timeouts.upgrade.ms,
    // The app stays up: noticing the end a few seconds later costs no downtime, only the run's length.
    interval: deps.poll.intervalMs,
    ...waitingIn(deps),
    check: async () => {
      const status = await api.data.waitStatus(addon.id)
      if (status['error?'])
        throw new Error(`The plan change of ${addon.name} failed: ${status.message ?? 'no details given'}`)
      if (status['waiting?'])
        return { done: false, status: (status.message ?? '').split('\n', 1)[0] || 'changing plan' }
      const current = await api.platform.getAddon(deps.journal.record.app, addon.name)
      if (current.plan.name !== plan.targetPlan)
        return { done: false, status: `still on ${shortPlan(current.plan.name)}`, nearlyDone: true }
      return { done: true, value: true }
    },
  })
}

/** The newest release version of the app now, so that the changeover's own release can be told apart. */
export async function latestReleaseVersion(deps: StepDeps): Promise<number> {
  const [latest] = await deps.api.platform.latestReleases(deps.journal.record.app, 1)
  return latest?.version ?? 0
}

/**
 * The changeover rotates the credentials, and Heroku's release of the new config var restarts the dynos
 * onto them. Waits for that release (any newer than `since`) to end; a failed one is an error, since the
 * dynos would keep credentials that no longer work. No release within a minute: nothing was rotated.
 */
export async function waitForCredentialsRelease(deps: StepDeps, since: number): Promise<string> {
  const { platform } = deps.api
  const app = deps.journal.record.app
  const appeared = deps.clock.now()
  const release = await poll<Release | undefined>({
    describe: `the release of ${app} that follows the changeover`,
    timeoutMs: RELEASE_SETTLE_TIMEOUT_MS,
    interval: deps.poll.windowMs,
    ...waitingIn(deps),
    check: async () => {
      const newer = (await platform.latestReleases(app, 5)).filter((r) => r.version > since)
      const last = newer.sort((a, b) => b.version - a.version)[0]
      if (!last)
        return deps.clock.now() - appeared > RELEASE_APPEARS_MS
          ? { done: true, value: undefined }
          : { done: false, status: 'no release yet', nearlyDone: true }
      return last.status === 'succeeded' || last.status === 'failed'
        ? { done: true, value: last }
        : { done: false, status: `release v${last.version} ${last.status}`, nearlyDone: true }
    },
  })
  if (!release) return 'no release followed the changeover: the credentials did not change'
  if (release.status === 'failed')
    throw new Error(
      credentialsReleaseFailedMessage({ version: release.version, app, description: release.description }),
    )
  return `release v${release.version} (${release.description}) succeeded: the dynos use the new credentials`
}
