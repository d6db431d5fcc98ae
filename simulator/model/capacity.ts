import type { Scenario } from '../scenario/file/types.js'
import { total } from './commits.js'
import { numBytes } from './database.js'
import { exceedsStorage } from './plans.js'
import type { Addon } from './types.js'
import type { WriteLedger } from './writes.js'

// Storage limits. A database whose data exceeds its plan's storage is "Over Plan Capacity": pg:info shows
// `Over Plan Capacity: Access Restricted` (or `: Action Required`) under Status. Under the scenario's default
// over_plan_capacity, access_restricted, it refuses writes at once (Heroku restricts access only after an
// enforcement date it announces by email; the simulator assumes that date has passed, the harsher case).

/**
 * What the capacity rules read of the world: the scenario's rule and what each database holds. Narrow, so that
 * the write physics below the world can use these rules.
 */
export interface CapacityFacts {
  readonly scenario: Pick<Scenario, 'over_plan_capacity'>
  readonly writes: Pick<WriteLedger, 'holdings'>
}

/** Commits every database is counted from: the seed data, which data_size_mb already accounts for. */
const SEED_COMMITS = 100000

/** What the database holds, in bytes, as `pg:info` shows it under Data Size. */
export function dataSizeBytes(world: CapacityFacts, addon: Addon): number {
  return numBytes(addon.db, Math.max(0, total(world.writes.holdings(addon.id)) - SEED_COMMITS))
}

/** Whether the database holds more than its plan can store. */
export function overPlanCapacity(world: CapacityFacts, addon: Addon): boolean {
  return exceedsStorage(addon.plan, dataSizeBytes(world, addon))
}

/** Whether the database refuses writes because it is over plan capacity with restricted access. */
export function refusesWritesForCapacity(world: CapacityFacts, addon: Addon): boolean {
  return world.scenario.over_plan_capacity === 'access_restricted' && overPlanCapacity(world, addon)
}

/** The Status pg:info shows for a database over plan capacity, or null when it is within its plan. */
export function capacityStatus(world: CapacityFacts, addon: Addon): string | null {
  if (!overPlanCapacity(world, addon)) return null
  return world.scenario.over_plan_capacity === 'access_restricted'
    ? 'Over Plan Capacity: Access Restricted'
    : 'Over Plan Capacity: Action Required'
}
