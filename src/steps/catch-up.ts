// The follower catching up while the app is up, and the old database's alias taken then (harmless with the
// app up, and one request less inside the window).
import type { UpgradePlan } from '../inspect/types'
import type { RunContext } from './context'
import type { AddonRef } from '../domain/vocabulary'
import { CATCH_UP_GATE_COMMITS, waitForLag, withinInput } from './database-waits'
import { ensureAlternateAlias } from './promote'

export async function catchUp(
  context: RunContext,
  plan: UpgradePlan,
  follower: AddonRef,
  deadline: number,
): Promise<string> {
  const remaining = Math.max(1, deadline - context.clock.now())
  const lag = await withinInput('catch-up-timeout', context.settings.catchUpTimeoutMs, () =>
    waitForLag(context, follower, CATCH_UP_GATE_COMMITS, remaining, 'catch up with the old database'),
  )
  const alias = await ensureAlternateAlias(context, plan.facts.old)
  return `behind by ${lag} commits; ${plan.facts.old.name} ${alias.created ? 'now also' : 'also'} attached as ${alias.name}`
}
