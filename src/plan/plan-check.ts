// Whether the plan asked for can hold the new database: Heroku lists it, the app's place (in a Private
// Space or not) allows it, and a follower can be on it. Pure: the caller fetches the plans and the app.
import { allowsFollowers, isEssentialTier, POSTGRES_SERVICE, tierOf, type Tier } from '../domain/tier'
import type { ListedPlan } from '../inspect/types'
import { planTierChangeRefusal } from '../domain/messages/refusals'

export interface AppPlacement {
  name: string
  space?: { name: string } | null
}

const WHERE_PLANS_ARE_LISTED = `heroku addons:plans ${POSTGRES_SERVICE} or https://elements.heroku.com/addons/${POSTGRES_SERVICE}`
const SUGGESTIONS = 3

/**
 * What the plan is for: a follower (Standard and higher only), a new standalone database (any tier), or a
 * change of the database's own plan (within its tier family: Essential stays Essential).
 */
export type PlanUse = 'follower' | 'new-database' | { changeFrom: string }

/** Blocker messages for the `plan` input (empty when the plan is fine); call it only when a plan was asked for. */
export function planBlockers(
  targetPlan: string,
  plans: readonly ListedPlan[],
  app: AppPlacement,
  use: PlanUse = 'follower',
): string[] {
  const target = keyOf(targetPlan)
  const tier = tierOf(target)
  const fits = (plan: ListedPlan): boolean => {
    const candidate = tierOf(plan.name)
    if (use === 'follower') return allowsFollowers(candidate)
    if (use === 'new-database') return candidate !== 'legacy-essential' && candidate !== 'advanced'
    return (
      isEssentialTier(candidate) === isEssentialTier(tierOf(use.changeFrom)) &&
      candidate !== 'legacy-essential'
    )
  }
  const usable = plans.filter((plan) => fits(plan) && installableFor(plan, app))
  const listed = plans.find((plan) => keyOf(plan.name) === target)

  if (!listed) {
    const closest = closestPlans(target, tier, usable)
    return [
      `Input "plan" is "${target}", which is not a plan Heroku lists for ${POSTGRES_SERVICE}.${closest.length ? ` Closest: ${closest.join(', ')}.` : ''} Allowed: a plan listed by ${WHERE_PLANS_ARE_LISTED}.`,
    ]
  }

  const blockers: string[] = []
  if (!app.space && needsSpace(listed))
    blockers.push(
      `Input "plan" is "${target}", ${describe(tier)}, which Heroku installs only inside a Private Space, and app ${app.name} is not in one. Allowed: ${examples(usable)}, or move the app into a Private Space first.`,
    )
  if (use === 'follower' && isEssentialTier(tier))
    blockers.push(
      `Input "plan" is "${target}", ${describe(tier)}, but the new database is created as a follower, and followers need Standard or higher. Allowed: ${examples(usable)}.`,
    )
  else if (typeof use === 'object' && isEssentialTier(tier) !== isEssentialTier(tierOf(use.changeFrom)))
    blockers.push(
      planTierChangeRefusal({
        plan: target,
        tier: describe(tier),
        from: keyOf(use.changeFrom),
        allowed: examples(usable),
      }),
    )
  return blockers
}

function keyOf(plan: string): string {
  return plan.startsWith(`${POSTGRES_SERVICE}:`) ? plan.slice(POSTGRES_SERVICE.length + 1) : plan
}

function needsSpace(plan: ListedPlan): boolean {
  const tier = tierOf(plan.name)
  return tier === 'private' || tier === 'shield' || plan.installable_outside_private_network === false
}

/**
 * An app in a Private Space can also have Standard and Premium databases (Heroku installs them outside
 * the space's network); an app outside a space cannot have the plans that live only inside one.
 */
function installableFor(plan: ListedPlan, app: AppPlacement): boolean {
  return app.space ? true : !needsSpace(plan)
}

function describe(tier: Tier): string {
  switch (tier) {
    case 'essential':
      return 'an Essential plan'
    case 'legacy-essential':
      return 'a legacy Essential plan'
    case 'private':
      return 'a Private plan'
    case 'shield':
      return 'a Shield plan'
    default:
      return `a ${tier} plan`
  }
}

/** The smallest plan of each tier the app can use, e.g. "a plan such as standard-0 or premium-0". */
function examples(usable: readonly ListedPlan[]): string {
  const smallest = smallestOfEachTier(usable)
  const last = smallest.at(-1)
  if (last === undefined) return `a Standard or higher plan listed by ${WHERE_PLANS_ARE_LISTED}`
  const named = smallest.length === 1 ? last : `${smallest.slice(0, -1).join(', ')} or ${last}`
  return `a Standard or higher plan such as ${named} (all of them: ${WHERE_PLANS_ARE_LISTED})`
}

function smallestOfEachTier(usable: readonly ListedPlan[]): string[] {
  const byTier = new Map<Tier, string>()
  for (const plan of usable) {
    const tier = tierOf(plan.name)
    if (!byTier.has(tier)) byTier.set(tier, keyOf(plan.name))
  }
  return [...byTier.values()]
}

/** Same tier first (standard-1 → standard-0, standard-2…), then near spellings, then one plan per tier. */
function closestPlans(target: string, tier: Tier, usable: readonly ListedPlan[]): string[] {
  const ranked = (candidates: readonly ListedPlan[]) =>
    candidates
      .map((plan, order) => ({
        key: keyOf(plan.name),
        order,
        distance: editDistance(target, keyOf(plan.name)),
      }))
      .sort((a, b) => a.distance - b.distance || a.order - b.order)
  const sameTier = usable.filter((plan) => tier !== 'unknown' && tierOf(plan.name) === tier)
  const near = ranked(usable).filter((entry) => entry.distance <= Math.max(2, Math.floor(target.length / 3)))
  const suggestions =
    sameTier.length > 0
      ? ranked(sameTier).map((entry) => entry.key)
      : near.length > 0
        ? near.map((entry) => entry.key)
        : smallestOfEachTier(usable)
  return suggestions.slice(0, SUGGESTIONS)
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  let distance = b.length
  for (let i = 1; i <= a.length; i++) {
    // One row per character of a, walking the row above by value: `diagonal` is the entry before `above`,
    // `left` the entry just written. The last entry of the last row is the distance.
    let diagonal = i - 1
    let left = i
    const current = [left]
    for (const [j, above] of previous.slice(1).entries()) {
      left = Math.min(above + 1, left + 1, diagonal + (a[i - 1] === b[j] ? 0 : 1))
      current.push(left)
      diagonal = above
    }
    previous = current
    distance = left
  }
  return distance
}
