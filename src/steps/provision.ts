// Creating the run's new database once, and taking the hold on the old one with it. The create carries the
// run's fixed attachment name and no `confirm`, so Heroku refuses a second add-on with that name: of two
// runs that start together, one creates it and the other is refused. A lost answer is reconciled by
// looking for that attachment before anything is sent again.
import type { StepDeps } from './deps'
import { changeOnce } from '../heroku/change-once'
import { HerokuApiError } from '../heroku/errors'
import type { Addon } from '../heroku/types'
import { heldByAnotherRun } from '../plan/checks'
import type { UpgradePlan } from '../plan/upgrade-plan'
import type { PlatformApi } from '../heroku/platform-api'
import { poll, type PollResult } from '../runtime/poller'
import type { AddonRef } from '../domain/vocabulary'
import { waitingIn } from './waits'

/** `follow`: a follower of the old database; `version`: an empty database on that major. */
export type NewDatabaseConfig = { follow: string } | { version?: string }

async function createOnce(deps: StepDeps, plan: UpgradePlan, config: NewDatabaseConfig): Promise<Addon> {
  const { platform } = deps.api
  const app = deps.journal.record.app
  const { hold, old } = plan.facts
  const findOurs = async (): Promise<Addon | undefined> => {
    const found = (await platform.listAppAttachments(app)).find((a) => a.name === hold.attachment)
    if (!found) return undefined
    if (found.addon.name !== hold.name)
      throw new Error(heldByAnotherRun(found.addon.name, hold.attachment, old.name, app))
    return platform.getAddon(app, found.addon.name)
  }
  const body = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined))
  const create = (confirm?: string): Promise<Addon> =>
    platform.createAddon(app, {
      plan: { name: plan.targetPlan },
      name: hold.name,
      config: body as Record<string, string>,
      attachment: { name: hold.attachment },
      ...(confirm ? { confirm } : {}),
    })
  return changeOnce({
    send: async () => {
      try {
        return await create()
      } catch (error) {
        // Refused: either another run took the name first, or Heroku asks to confirm something else
        // (a plan not networked with the app's Private Space). Only the second is confirmed.
        if (!(error instanceof HerokuApiError) || error.status !== 423) throw error
        return (await findOurs()) ?? (await create(app))
      }
    },
    findEffect: findOurs,
    clock: deps.clock,
    signal: deps.signal,
    policy: deps.retryPolicyNow(),
  })
}

/** A failed provisioning ends with the add-on gone: Heroku answers 404 for it. */
async function getAddonOrGone(
  platform: PlatformApi,
  app: string,
  name: string,
): Promise<Pick<Addon, 'state'>> {
  try {
    return await platform.getAddon(app, name)
  } catch (error) {
    if (error instanceof HerokuApiError && error.status === 404) return { state: 'deprovisioned' }
    throw error
  }
}

/**
 * The new database, created now or found from an earlier run of this workflow run, once Heroku says it is
 * provisioned. Records it before waiting, so a stopped run names it and a re-run resumes with it.
 */
export async function provisionNewDatabase(
  deps: StepDeps,
  plan: UpgradePlan,
  config: NewDatabaseConfig,
  timeoutMs: number,
): Promise<AddonRef & { resumed: boolean }> {
  const { api } = deps
  const found = plan.facts.hold.found
  const resumed = found !== undefined
  const addon = found
    ? await api.platform.getAddon(deps.journal.record.app, found.attachment.addon.name)
    : await createOnce(deps, plan, config)
  deps.journal.addonCreated(addon.name)
  await poll({
    describe: `the new database ${addon.name} to be provisioned`,
    timeoutMs,
    interval: deps.poll.intervalMs,
    ...waitingIn(deps),
    check: async (): Promise<PollResult<true>> => {
      const current =
        addon.state === 'provisioned'
          ? addon
          : await getAddonOrGone(api.platform, deps.journal.record.app, addon.name)
      addon.state = current.state
      if (current.state === 'provisioned') return { done: true, value: true }
      if (current.state === 'deprovisioned' || current.state === 'deprovisioning') {
        deps.journal.addonFailed()
        throw new Error(`The database ${addon.name} could not be created (state ${current.state}).`)
      }
      return { done: false, status: current.state }
    },
  })
  return { id: addon.id, name: addon.name, resumed }
}

/** The follower of the old database on the target plan (or the one an earlier run left), provisioned. */
export async function provisionFollower(
  deps: StepDeps,
  plan: UpgradePlan,
): Promise<AddonRef & { resumed: boolean }> {
  return provisionNewDatabase(deps, plan, { follow: plan.facts.old.name }, plan.policy.timeouts.catchUp.ms)
}

/** An empty database on the target plan and version (or the one an earlier run left), provisioned. */
export async function provisionEmpty(
  deps: StepDeps,
  plan: UpgradePlan,
): Promise<AddonRef & { resumed: boolean }> {
  const version = plan.versionChanges ? plan.targetVersion : String(plan.facts.old.major)
  return provisionNewDatabase(deps, plan, { version }, plan.policy.timeouts.catchUp.ms)
}
