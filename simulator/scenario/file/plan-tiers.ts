/**
 * The tiers of Heroku Postgres plans, read from a plan name such as `standard-0` (service prefix optional).
 * They sit here, beside the schema, because the scenario file checks them (an Essential database has no
 * maintenance window); model/plans.ts holds the rest of what is known of plans.
 */

export type Tier =
  | 'legacy-essential'
  | 'essential'
  | 'standard'
  | 'premium'
  | 'private'
  | 'shield'
  | 'advanced'

export const SERVICE = 'heroku-postgresql'

export function planKey(plan: string): string {
  return plan.replace(/^heroku-postgresql:/, '')
}

export function tierOf(plan: string): Tier {
  const key = planKey(plan)
  if (/^(advanced|performance)/.test(key)) return 'advanced'
  if (key.startsWith('essential')) return 'essential'
  if (/^(dev|basic|mini)/.test(key)) return 'legacy-essential'
  if (key.startsWith('premium')) return 'premium'
  if (key.startsWith('private')) return 'private'
  if (key.startsWith('shield')) return 'shield'
  return 'standard'
}

export function isEssentialTier(plan: string): boolean {
  const tier = tierOf(plan)
  return tier === 'essential' || tier === 'legacy-essential'
}

export function needsSpace(plan: string): boolean {
  const tier = tierOf(plan)
  return tier === 'private' || tier === 'shield'
}
