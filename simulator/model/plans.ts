import { createHash } from 'node:crypto'
import {
  isEssentialTier,
  needsSpace,
  planKey,
  SERVICE,
  tierOf,
  type Tier,
} from '../scenario/file/plan-tiers.js'
import { unprocessable } from './errors.js'

// The tiers live beside the scenario schema, which checks them; the model reads them from here.
export {
  isEssentialTier,
  needsSpace,
  planKey,
  SERVICE,
  tierOf,
  type Tier,
} from '../scenario/file/plan-tiers.js'

/** `standard-0` → `Standard 0`, `premium-xl-9` → `Premium XL 9`, as pg:info shows it. */
export function planDisplayName(plan: string): string {
  return planKey(plan)
    .split('-')
    .map((part) => (/^x*l$/.test(part) ? part.toUpperCase() : part.charAt(0).toUpperCase() + part.slice(1)))
    .join(' ')
}

const LEGACY_PRICES: Record<string, number> = { mini: 500, basic: 900 }

/** Plan sizes from smallest to largest: each is one plan level. */
const STANDARD_SIZES = ['0', '2', '3', '4', '5', '6', '7', '8', '9', '10']
/** Premium, Private and Shield share one size ladder, with L and XL variants of sizes 6 and 9. */
const LARGE_SIZES = ['0', '2', '3', '4', '5', '6', 'l-6', 'xl-6', '7', '8', '9', 'l-9', 'xl-9', '10']

/** The installable Heroku Postgres plans with their monthly list price in cents (legacy plans excluded). */
const CATALOG: readonly (readonly [string, number])[] = [
  ['essential-0', 500],
  ['essential-1', 900],
  ['essential-2', 2000],
  ['standard-0', 5000],
  ['standard-2', 20000],
  ['standard-3', 40000],
  ['standard-4', 75000],
  ['standard-5', 140000],
  ['standard-6', 200000],
  ['standard-7', 350000],
  ['standard-8', 450000],
  ['standard-9', 580000],
  ['standard-10', 850000],
  ...largePlans(
    'premium',
    [
      20000, 35000, 75000, 120000, 250000, 350000, 450000, 550000, 600000, 850000, 1100000, 1300000, 1500000,
      1900000,
    ],
  ),
  ...largePlans(
    'private',
    [
      30000, 60000, 150000, 240000, 450000, 560000, 660000, 760000, 900000, 1100000, 1500000, 1700000,
      1900000, 2300000,
    ],
  ),
  ...largePlans(
    'shield',
    [
      35000, 70000, 160000, 260000, 490000, 600000, 700000, 800000, 1000000, 1200000, 1600000, 1800000,
      2000000, 2400000,
    ],
  ),
]

function largePlans(tier: string, cents: number[]): [string, number][] {
  return LARGE_SIZES.map((size, i) => [`${tier}-${size}`, cents[i] as number])
}

export interface PlanFacts {
  id: string
  /** `standard-0` (no service prefix). */
  key: string
  cents: number
  isDefault: boolean
  /** Private and Shield plans install only inside a Private Space; the others only outside. */
  insideSpace: boolean
  compliance: string[] | null
}

export const SERVICE_ID = planUuid(SERVICE)

function planUuid(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

export const PLANS: readonly PlanFacts[] = CATALOG.map(([key, cents]) => ({
  id: planUuid(`${SERVICE}:${key}`),
  key,
  cents,
  isDefault: key === 'essential-0',
  insideSpace: needsSpace(key),
  compliance: tierOf(key) === 'shield' ? ['HIPAA', 'PCI'] : null,
}))

export function findPlan(plan: string): PlanFacts | undefined {
  const key = planKey(plan)
  return PLANS.find((p) => p.key === key || p.id === plan)
}

/** The plan key of `heroku-postgresql:<plan>` or `<plan>`; 422 as Heroku answers for anything not installable. */
export function requirePlan(requested: string): string {
  const [service, plan] = requested.includes(':') ? requested.split(':', 2) : [SERVICE, requested]
  const found = service === SERVICE && plan ? findPlan(plan) : undefined
  if (!found) {
    const shown = requested.includes(':') ? requested : `${SERVICE}:${requested}`
    throw unprocessable(
      `Couldn't find either the add-on service or the add-on plan of "${shown}".`,
      'invalid_params',
    )
  }
  return found.key
}

/** Stable id of a plan, also for legacy plans a seeded database may still be on. */
export function planId(plan: string): string {
  return findPlan(plan)?.id ?? planUuid(`${SERVICE}:${planKey(plan)}`)
}

export function priceCents(plan: string): number {
  const key = planKey(plan)
  return findPlan(key)?.cents ?? LEGACY_PRICES[key] ?? 10000
}

export function connectionLimit(plan: string): number {
  const tier = tierOf(plan)
  if (tier === 'legacy-essential') return 20
  if (tier === 'essential') return planKey(plan) === 'essential-0' ? 20 : 40
  return tier === 'standard' && planKey(plan).endsWith('-0') ? 120 : 500
}

const ESSENTIAL_STORAGE_GB: Record<string, number> = {
  mini: 1,
  basic: 10,
  'essential-0': 1,
  'essential-1': 10,
  'essential-2': 32,
}

/**
 * Storage limit by plan size, the same in every production tier. Sizes 8 and up and the L/XL variants are
 * not confirmed: where unsure the smaller figure is used, so that no follower fits here that Heroku refuses.
 */
const STORAGE_GB_BY_SIZE: Record<string, number> = {
  '0': 64,
  '2': 256,
  '3': 512,
  '4': 768,
  '5': 1024,
  '6': 1536,
  'l-6': 2048,
  'xl-6': 3072,
  '7': 2048,
  '8': 3072,
  '9': 4096,
  'l-9': 5120,
  'xl-9': 6144,
  '10': 6144,
}

/** `standard-4` → `4`, `premium-xl-9` → `xl-9`; null for Essential, Advanced and plans off the ladder. */
function sizeOf(plan: string): string | null {
  const key = planKey(plan)
  const tier = tierOf(key)
  if (!['standard', 'premium', 'private', 'shield'].includes(tier)) return null
  const size = key.slice(tier.length + 1)
  const ladder = tier === 'standard' ? STANDARD_SIZES : LARGE_SIZES
  return ladder.includes(size) ? size : null
}

export function storageLimitGb(plan: string): number {
  const key = planKey(plan)
  const size = sizeOf(key)
  if (size !== null) return STORAGE_GB_BY_SIZE[size] as number
  return ESSENTIAL_STORAGE_GB[key] ?? (key.endsWith('-0') ? 64 : 256)
}

/** `64 GB`, `1.5 TB`, as pg:info shows a storage limit. */
export function formatStorageGb(gb: number): string {
  return gb >= 1024 ? `${gb / 1024} TB` : `${gb} GB`
}

/** A follower may be at most this many plan levels below its leader... */
export const FOLLOWER_MAX_LEVELS_BELOW = 4
/** ...and at most this many when it is on a burstable plan. */
export const BURSTABLE_FOLLOWER_MAX_LEVELS_BELOW = 1
/**
 * Heroku names only `*-0` as burstable, but its table of allowed followers (leader 4 → follower 3 or larger)
 * only holds if `*-2` follows the same one-level rule, so both are treated as burstable.
 */
const BURSTABLE_SIZES = ['0', '2']

/**
 * How many plan levels `follower` is below `leader` (negative when above), or null when either plan is off
 * the ladder. Across tiers, or between two Premium/Private/Shield plans, the L and XL variants count as
 * levels of their own, which makes the gap larger than a Standard-only ladder would.
 */
export function levelsBelow(leader: string, follower: string): number | null {
  const leaderSize = sizeOf(leader)
  const followerSize = sizeOf(follower)
  if (leaderSize === null || followerSize === null) return null
  const bothStandard = tierOf(leader) === 'standard' && tierOf(follower) === 'standard'
  const ladder = bothStandard ? STANDARD_SIZES : LARGE_SIZES
  return ladder.indexOf(leaderSize) - ladder.indexOf(followerSize)
}

/** How many plan levels below its leader a database on `follower` may be: 1 on a burstable plan, else 4. */
export function maxFollowerLevelsBelow(follower: string): number {
  const burstable = BURSTABLE_SIZES.includes(sizeOf(follower) as string)
  return burstable ? BURSTABLE_FOLLOWER_MAX_LEVELS_BELOW : FOLLOWER_MAX_LEVELS_BELOW
}

/** Whether Heroku lets a `follower` plan follow a `leader` plan, by plan level alone. */
export function followerLevelAllowed(leader: string, follower: string): boolean {
  const gap = levelsBelow(leader, follower)
  return gap === null || gap <= maxFollowerLevelsBelow(follower)
}

/**
 * The smallest installable plan of `tier` that can hold `dataBytes` and, when `leader` is given, follow a
 * database on that plan; null when none can.
 */
export function smallestPlanFor(tier: Tier, dataBytes: number, leader: string | null): string | null {
  const found = PLANS.find(
    (p) =>
      tierOf(p.key) === tier &&
      storageLimitGb(p.key) * 1024 ** 3 >= dataBytes &&
      (leader === null || followerLevelAllowed(leader, p.key)),
  )
  return found?.key ?? null
}

/** Whether `dataBytes` of data exceed what `plan` can store ("Over Plan Capacity" on Heroku). */
export function exceedsStorage(plan: string, dataBytes: number): boolean {
  return dataBytes > storageLimitGb(plan) * 1024 ** 3
}

/**
 * Why a database holding `dataBytes` cannot move to `plan` (for the plan-change PATCH, which answers it as a 422),
 * or null when the plan can store the data. The wording is ours: Heroku's is not known.
 */
export function overCapacityRefusal(plan: string, dataBytes: number): string | null {
  if (!exceedsStorage(plan, dataBytes)) return null
  const key = planKey(plan)
  const limit = formatStorageGb(storageLimitGb(key))
  const held = `${(dataBytes / 1024 ** 3).toFixed(1)} GB`
  const smallest = smallestPlanFor(tierOf(key), dataBytes, null)
  const instead = smallest
    ? `Choose ${SERVICE}:${smallest} or a larger plan, or delete data first.`
    : `No ${tierOf(key)}-tier plan can store it.`
  return `The database's data (${held}) exceeds the ${limit} storage limit of ${SERVICE}:${key}: the database would be over plan capacity. ${instead}`
}

export function tableLimit(plan: string): number | null {
  return isEssentialTier(plan) ? 4000 : null
}
