// Tier detection from the plan name, the way the Heroku CLI does it (heroku-api.md section 2).

export type Tier =
  | 'essential'
  | 'legacy-essential'
  | 'standard'
  | 'premium'
  | 'private'
  | 'shield'
  | 'advanced'
  | 'unknown'

export const POSTGRES_SERVICE = 'heroku-postgresql'

export function isPostgresPlan(planName: string | undefined): boolean {
  return planName?.split(':')[0] === POSTGRES_SERVICE
}

/** `heroku-postgresql:standard-0` → `standard-0` */
export function shortPlan(planName: string): string {
  return planName.replace(/^heroku-postgresql:/, '')
}

export function tierOf(planName: string): Tier {
  const plan = planName.split(':')[1] ?? planName
  if (/^(advanced|performance)/.test(plan)) return 'advanced'
  if (plan.startsWith('essential')) return 'essential'
  if (/^(dev|basic|mini|hobby)/.test(plan)) return 'legacy-essential'
  if (plan.includes('shield')) return 'shield'
  if (plan.startsWith('private')) return 'private'
  if (plan.startsWith('premium')) return 'premium'
  if (plan.startsWith('standard')) return 'standard'
  return 'unknown'
}

export const FOLLOWER_TIERS: readonly Tier[] = ['standard', 'premium', 'private', 'shield']

export function allowsFollowers(tier: Tier): boolean {
  return FOLLOWER_TIERS.includes(tier)
}

/** Essential plans, current or legacy: no followers, no prepared upgrade, changed with the app up. */
export function isEssentialTier(tier: Tier | undefined): boolean {
  return tier === 'essential' || tier === 'legacy-essential'
}
