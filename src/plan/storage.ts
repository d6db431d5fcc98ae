// Whether a plan can hold the data: Heroku's storage limit of each Postgres plan (Dev Center, Heroku
// Postgres plans), against the size pg:info reports. A database over its plan's storage becomes "Over Plan
// Capacity" and later loses write access, so a target that is too small is refused before anything changes.
import { POSTGRES_SERVICE, tierOf } from '../domain/tier'
import { overStorageRefusal } from '../domain/messages/refusals'

const GB = 1024 ** 3

const ESSENTIAL_GB: Record<string, number> = {
  mini: 1,
  basic: 10,
  'essential-0': 1,
  'essential-1': 10,
  'essential-2': 32,
}

/** Storage by plan size, the same in the Standard, Premium, Private and Shield tiers. */
const GB_BY_SIZE: Record<string, number> = {
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

/** The plan's storage in bytes; undefined for a plan this table does not know (then nothing is judged). */
export function storageBytes(plan: string): number | undefined {
  const key = plan.startsWith(`${POSTGRES_SERVICE}:`) ? plan.slice(POSTGRES_SERVICE.length + 1) : plan
  if (ESSENTIAL_GB[key] !== undefined) return ESSENTIAL_GB[key] * GB
  const tier = tierOf(key)
  if (!['standard', 'premium', 'private', 'shield'].includes(tier)) return undefined
  const gb = GB_BY_SIZE[key.slice(tier.length + 1)]
  return gb === undefined ? undefined : gb * GB
}

const shownGb = (bytes: number): string => {
  const gb = bytes / GB
  return gb >= 1024 ? `${+(gb / 1024).toFixed(1)} TB` : `${+gb.toFixed(1)} GB`
}

/** A refusal when `plan` cannot hold `dataBytes`; undefined when it can, or when either is unknown. */
export function storageRefusal(
  plan: string,
  dataBytes: number | undefined,
  database: string,
): string | undefined {
  const limit = storageBytes(plan)
  if (limit === undefined || dataBytes === undefined || dataBytes <= limit) return undefined
  const key = plan.replace(`${POSTGRES_SERVICE}:`, '')
  return overStorageRefusal({ plan: key, holds: shownGb(limit), database, size: shownGb(dataBytes) })
}
