// addons:upgrade on the database itself (heroku-api.md 8.5). On Essential, Heroku changes the plan on its
// own within a minute, with the app up. On Standard and higher the request only has Heroku prepare a
// replacement (hours, the app up); the changeover is a data maintenance, read-only for under a minute,
// that Heroku runs in the database's maintenance window unless `data:maintenances:run` starts it first.
// It rotates the database's credentials: the release that follows restarts the dynos onto the new ones.
import type { RunContext } from './context'
import { changeOnce } from '../heroku/change-once'
import type { Maintenance, Release } from '../heroku/types'
import { poll, windowInterval, longWaitInterval } from '../runtime/poller'
import type { AddonRef } from '../domain/vocabulary'
import { RELEASE_SETTLE_TIMEOUT_MS } from './switch'
import { waitingIn } from './waits'
import { shortPlan } from '../domain/tier'

const OPEN: ReadonlyArray<Maintenance['status']> = ['pending', 'preparing', 'ready', 'running']
/** How long a release may take to appear after the changeover before the credentials count as unchanged. */
const RELEASE_APPEARS_MS = 60_000

/** The maintenance is this plan change, still to be done or under way. */
export function isChangeTo(maintenance: Maintenance, targetPlan: string): boolean {
  return OPEN.includes(maintenance.status) && (maintenance.reason ?? '').includes(shortPlan(targetPlan))
}

/** Sends addons:upgrade once; a lost answer is found by the plan (Essential) or by the maintenance. */
export async function requestPlanChange(
  context: RunContext,
  addon: AddonRef,
  targetPlan: string,
  { essential }: { essential: boolean },
): Promise<void> {
  const { platform, data } = context.api
  const app = context.settings.app
  // A plan change an earlier run (phase prepare) asked for is taken over, not asked for again.
  if (!essential && isChangeTo(await data.maintenance(addon.id), targetPlan)) return
  await changeOnce<unknown>({
    send: () => platform.changePlan(app, addon.name, targetPlan),
    findEffect: async () => {
      if ((await platform.getAddon(app, addon.name)).plan.name === targetPlan) return true
      return !essential && isChangeTo(await data.maintenance(addon.id), targetPlan) ? true : undefined
    },
    clock: context.clock,
    signal: context.signal,
    policy: context.retryPolicyNow(),
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
  context: RunContext,
  addon: AddonRef,
  targetPlan: string,
): Promise<Maintenance> {
  context.log(
    `  ${preparingNote(`the replacement of ${addon.name} on ${shortPlan(targetPlan)}`, 'change over', context.settings.phase)}`,
  )
  return poll<Maintenance>({
    describe: `the replacement of ${addon.name} on ${shortPlan(targetPlan)} to be ready`,
    timeoutMs: context.settings.prepareTimeoutMs,
    interval: longWaitInterval(context.settings.pollIntervalMs),
    ...waitingIn(context),
    check: async () => {
      const maintenance = await context.api.data.maintenance(addon.id)
      if (maintenance.status === 'ready' && isChangeTo(maintenance, targetPlan))
        return { done: true, value: maintenance }
      if (!isChangeTo(maintenance, targetPlan))
        throw new Error(
          `The plan change of ${addon.name} to ${shortPlan(targetPlan)} is no longer open on Heroku (maintenance ${maintenance.status}${maintenance.reason ? `: ${maintenance.reason}` : ''}).`,
        )
      if (maintenance.status === 'running')
        throw new Error(`The changeover of ${addon.name} started without this run (maintenance running).`)
      return { done: false, status: `Heroku is preparing it (maintenance ${maintenance.status})` }
    },
  })
}

/** data:maintenances:run, sent again only when Heroku shows the changeover has not started. */
export async function startChangeover(context: RunContext, addon: AddonRef): Promise<void> {
  const { data } = context.api
  await changeOnce({
    send: () => data.runMaintenance(addon.id),
    findEffect: async () => {
      const maintenance = await data.maintenance(addon.id)
      return maintenance.status === 'running' || maintenance.status === 'completed' ? maintenance : undefined
    },
    clock: context.clock,
    signal: context.signal,
    policy: context.retryPolicyNow(),
  })
}

/** Until the maintenance completed and the add-on shows the new plan; bounded by upgrade-timeout. */
export async function waitForChangeover(
  context: RunContext,
  addon: AddonRef,
  targetPlan: string,
): Promise<void> {
  const { data, platform } = context.api
  await poll<true>({
    describe: `the changeover of ${addon.name} to ${shortPlan(targetPlan)}`,
    timeoutMs: context.settings.upgradeTimeoutMs,
    interval: windowInterval(context.settings.pollIntervalMs),
    ...waitingIn(context),
    check: async () => {
      const maintenance = await data.maintenance(addon.id)
      if (maintenance.status !== 'completed')
        return { done: false, status: `changeover ${maintenance.status}`, nearlyDone: true }
      const current = await platform.getAddon(context.settings.app, addon.name)
      if (current.plan.name !== targetPlan)
        throw new Error(
          `The changeover of ${addon.name} completed, but it is on ${shortPlan(current.plan.name)}, not ${shortPlan(targetPlan)}.`,
        )
      return { done: true, value: true }
    },
  })
}

/** Until the plan change of an Essential database is done: wait_status stops waiting, the plan shows. */
export async function waitForEssentialPlanChange(
  context: RunContext,
  addon: AddonRef,
  targetPlan: string,
): Promise<void> {
  const { api, settings } = context
  await poll<true>({
    describe: `the plan change of ${addon.name} to ${shortPlan(targetPlan)}`,
    timeoutMs: settings.upgradeTimeoutMs,
    // The app stays up: noticing the end a few seconds later costs no downtime, only the run's length.
    interval: settings.pollIntervalMs,
    ...waitingIn(context),
    check: async () => {
      const status = await api.data.waitStatus(addon.id)
      if (status['error?'])
        throw new Error(`The plan change of ${addon.name} failed: ${status.message ?? 'no details given'}`)
      if (status['waiting?'])
        return { done: false, status: (status.message ?? '').split('\n', 1)[0] || 'changing plan' }
      const current = await api.platform.getAddon(settings.app, addon.name)
      if (current.plan.name !== targetPlan)
        return { done: false, status: `still on ${shortPlan(current.plan.name)}`, nearlyDone: true }
      return { done: true, value: true }
    },
  })
}

/** The newest release version of the app now, so that the changeover's own release can be told apart. */
export async function latestReleaseVersion(context: RunContext): Promise<number> {
  const [latest] = await context.api.platform.latestReleases(context.settings.app, 1)
  return latest?.version ?? 0
}

/**
 * The changeover rotates the credentials, and Heroku's release of the new config var restarts the dynos
 * onto them. Waits for that release (any newer than `since`) to end; a failed one is an error, since the
 * dynos would keep credentials that no longer work. No release within a minute: nothing was rotated.
 */
export async function waitForCredentialsRelease(context: RunContext, since: number): Promise<string> {
  const { platform } = context.api
  const app = context.settings.app
  const appeared = context.clock.now()
  const release = await poll<Release | undefined>({
    describe: `the release of ${app} that follows the changeover`,
    timeoutMs: RELEASE_SETTLE_TIMEOUT_MS,
    interval: windowInterval(context.settings.pollIntervalMs),
    ...waitingIn(context),
    check: async () => {
      const newer = (await platform.latestReleases(app, 5)).filter((r) => r.version > since)
      const last = newer.sort((a, b) => b.version - a.version)[0]
      if (!last)
        return context.clock.now() - appeared > RELEASE_APPEARS_MS
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
      `Release v${release.version} of ${app} (${release.description}) failed after the changeover: the dynos may still hold the old credentials. Check heroku releases -a ${app}, then heroku ps:restart -a ${app}.`,
    )
  return `release v${release.version} (${release.description}) succeeded: the dynos use the new credentials`
}
