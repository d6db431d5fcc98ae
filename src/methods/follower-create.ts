// Creating the follower without ever making two of them, and taking the hold on the database with it.
// The create carries a fixed attachment name and no `confirm`, so Heroku refuses a second follower with
// that name: of two runs that start together, one creates it and the other is refused.
import type { RunContext } from '../context'
import { changeOnce } from '../heroku/change-once'
import { HerokuApiError } from '../heroku/errors'
import type { Addon } from '../heroku/types'
import { heldByAnotherRun, type Preflight } from './preflight'

export async function createFollower(context: RunContext, plan: Preflight): Promise<Addon> {
  const { platform } = context.api
  const app = context.settings.app
  const findOurs = async (): Promise<Addon | undefined> => {
    const found = (await platform.listAppAttachments(app)).find((a) => a.name === plan.followerAttachment)
    if (!found) return undefined
    if (found.addon.name !== plan.followerName)
      throw new Error(heldByAnotherRun(found.addon.name, plan.followerAttachment, plan.old.name, app))
    return platform.getAddon(app, found.addon.name)
  }
  const create = (confirm?: string): Promise<Addon> =>
    platform.createAddon(app, {
      plan: { name: plan.targetPlan },
      name: plan.followerName,
      config: { follow: plan.old.name },
      attachment: { name: plan.followerAttachment },
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
    clock: context.clock,
    signal: context.signal,
    policy: context.retryPolicyNow(),
  })
}
