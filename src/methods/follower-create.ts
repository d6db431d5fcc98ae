// Creating the follower without ever making two of them.
import type { RunContext } from '../context'
import { HerokuApiError } from '../heroku/errors'
import { withRetry } from '../heroku/retry'
import type { Addon } from '../heroku/types'
import type { Preflight } from './preflight'

/**
 * Creates the follower. After a failed create (even a 4xx: a dropped answer may have been retried by the
 * HTTP client and refused as a duplicate) it looks for the attachment first, so it never makes two.
 */
export async function createFollower(context: RunContext, plan: Preflight): Promise<Addon> {
  const { platform } = context.api
  const app = context.settings.app
  const existing = async (): Promise<Addon | undefined> => {
    const found = (await platform.listAppAttachments(app)).find((a) => a.name === plan.followerAttachment)
    return found ? platform.getAddon(app, found.addon.name) : undefined
  }
  let firstAttempt = true
  return withRetry(
    async () => {
      if (!firstAttempt) {
        const found = await existing()
        if (found) return found
      }
      firstAttempt = false
      try {
        return await platform.createAddon(app, {
          plan: { name: plan.targetPlan },
          config: { follow: plan.old.name },
          attachment: { name: plan.followerAttachment },
          confirm: app,
        })
      } catch (error) {
        if (error instanceof HerokuApiError && !error.retryable) {
          const found = await existing().catch(() => undefined)
          if (found) return found
        }
        throw error
      }
    },
    { clock: context.clock, signal: context.signal, policy: context.retryPolicy },
  )
}
