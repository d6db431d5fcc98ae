// The follower catching up while the app is up, and the old database's alias taken then (harmless with the
// app up, and one request less inside the window).
import type { UpgradePlan } from '../plan/upgrade-plan'
import type { StepDeps } from './deps'
import type { AddonRef } from '../domain/vocabulary'
import { CATCH_UP_GATE_COMMITS, waitForLag, withinInput } from './database-waits'
import { ensureAlternateAlias } from './promote'

export async function catchUp(
  deps: StepDeps,
  plan: UpgradePlan,
  follower: AddonRef,
  deadline: number,
): Promise<string> {
  const remaining = Math.max(1, deadline - deps.clock.now())
  const lag = await withinInput(plan.policy.timeouts.catchUp, () =>
    waitForLag(deps, follower, CATCH_UP_GATE_COMMITS, remaining, 'catch up with the old database'),
  )
  const alias = await ensureAlternateAlias(deps, plan.facts.old)
  return `behind by ${lag} commits; ${plan.facts.old.name} ${alias.created ? 'now also' : 'also'} attached as ${alias.name}`
}
