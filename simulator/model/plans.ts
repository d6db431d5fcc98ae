/** Facts derived from a Heroku Postgres plan name such as `standard-0` (service prefix stripped). */
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

/** `standard-0` → `Standard 0`, as pg:info shows it. */
export function planDisplayName(plan: string): string {
  return planKey(plan)
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ')
}

const PRICES: Record<string, number> = {
  mini: 500,
  basic: 900,
  'essential-0': 500,
  'essential-1': 900,
  'essential-2': 2000,
  'standard-0': 5000,
  'standard-2': 20000,
  'standard-3': 40000,
  'premium-0': 20000,
  'premium-2': 35000,
  'premium-3': 75000,
  'private-0': 30000,
  'private-2': 60000,
  'private-4': 150000,
  'shield-0': 35000,
}

export function priceCents(plan: string): number {
  return PRICES[planKey(plan)] ?? 10000
}

export function connectionLimit(plan: string): number {
  const tier = tierOf(plan)
  if (tier === 'legacy-essential') return 20
  if (tier === 'essential') return planKey(plan) === 'essential-0' ? 20 : 40
  return tier === 'standard' && planKey(plan).endsWith('-0') ? 120 : 500
}

export function storageLimitGb(plan: string): number {
  const key = planKey(plan)
  const limits: Record<string, number> = {
    mini: 1,
    basic: 10,
    'essential-0': 1,
    'essential-1': 10,
    'essential-2': 32,
  }
  return limits[key] ?? (key.endsWith('-0') ? 64 : 256)
}

export function tableLimit(plan: string): number | null {
  return isEssentialTier(plan) ? 4000 : null
}

/** `standard-2x` → `Standard-2X`, `performance-m` → `Performance-M`, the way the Platform API spells dyno sizes. */
export function dynoSizeName(size: string): string {
  return size
    .split('-')
    .map((part) =>
      /^(\d+x|[xsml]|xl|\d*xl)$/i.test(part)
        ? part.toUpperCase()
        : part.charAt(0).toUpperCase() + part.slice(1),
    )
    .join('-')
}
