// Every method by name, and `auto`, which picks the one Heroku advises for this database and target:
// Essential: in place (copy when the plan changes too); Standard and higher: in place for a version,
// plan-change for a plan, follower for both together or to move into a Private Space.
import type { Inspection } from '../inspect/types'
import type { Target } from '../plan/checks'
import type { MethodChoice } from '../record/record'
import type { Method } from '../domain/vocabulary'
import type { MethodInput } from '../domain/vocabulary'
import { estimateDowntimeMs } from '../plan/estimates'
import { followerMethod } from './follower'
import { inPlaceMethod } from './in-place'
import type { UpgradeMethod } from './method'
import { planChangeMethod } from './plan-change'
import { backupRestoreMethod, copyMethod, COPY_ADVISED_MAX_BYTES } from './transfer-methods'
import { allowsFollowers, isEssentialTier } from '../domain/tier'
import type { WindowInput } from '../domain/policy'
import { isFollowing } from '../heroku/database-info'

export const METHODS: Record<Method, UpgradeMethod> = {
  follower: followerMethod,
  'in-place': inPlaceMethod,
  copy: copyMethod,
  'backup-restore': backupRestoreMethod,
  'plan-change': planChangeMethod,
}

const ALL: Method[] = ['in-place', 'follower', 'plan-change', 'copy', 'backup-restore']

/** The space the target plan lives in, when it needs one and the database is not in one yet. */
function movesIntoSpace(facts: Inspection, target: Target): boolean {
  const into = /^(heroku-postgresql:)?(private|shield)-/.test(target.targetPlan)
  const from = facts.old.tier === 'private' || facts.old.tier === 'shield'
  return into && !from
}

function autoPick(facts: Inspection, target: Target): { method: Method; reason: string } {
  const essential = isEssentialTier(facts.old.tier)
  const { versionChanges, planChanges } = target
  if (facts.old.tier === 'legacy-essential')
    return {
      method: 'copy',
      reason: `${facts.old.plan} is a legacy plan that Heroku cannot upgrade in place`,
    }
  if (essential) {
    if (versionChanges && planChanges)
      return {
        method: 'copy',
        reason: 'Essential databases cannot have followers, and in place keeps the plan',
      }
    if (versionChanges) return { method: 'in-place', reason: 'Heroku upgrades Essential databases in place' }
    return { method: 'plan-change', reason: 'only the plan changes' }
  }
  if (movesIntoSpace(facts, target))
    return {
      method: 'follower',
      reason: 'the database moves into a Private Space, which only a follower can do',
    }
  if (versionChanges && planChanges)
    return { method: 'follower', reason: 'the version and the plan change together' }
  if (versionChanges)
    return {
      method: 'in-place',
      reason: 'Heroku recommends upgrading Standard and higher databases in place for a version change',
    }
  return { method: 'plan-change', reason: 'only the plan changes' }
}

/**
 * A read-only window serves reads from the old database while a new one is made ready: in place and a plan
 * change would make it unreadable, so auto picks a follower where the database can have one, else a copy.
 */
function readOnlyPick(facts: Inspection, target: Target): { method: Method; reason: string } {
  const advised = autoPick(facts, target)
  if (advised.method !== 'in-place' && advised.method !== 'plan-change') return advised
  const why = `window read-only needs a new database (${advised.method} would make ${facts.old.name} unreadable)`
  return allowsFollowers(facts.old.tier) && !isFollowing(facts.old.info)
    ? { method: 'follower', reason: `${why}: a follower, caught up while the app is up` }
    : { method: 'copy', reason: `${why}: a copy, since ${facts.old.plan} cannot have followers` }
}

/** The method that runs and why, with what every other method would cost this database. */
export function chooseMethod(
  input: MethodInput,
  facts: Inspection,
  target: Target,
  window: WindowInput = 'maintenance',
): MethodChoice {
  const picked =
    input !== 'auto'
      ? { method: input, reason: `method "${input}" was asked for` }
      : window === 'read-only'
        ? readOnlyPick(facts, target)
        : autoPick(facts, target)
  const size = facts.old.sizeBytes
  const alternatives = ALL.filter((method) => method !== picked.method).map((method) => ({
    method,
    downtimeMs: estimateDowntimeMs(method, facts.old),
    note: alternativeNote(method, facts, target, size),
  }))
  return {
    method: picked.method,
    reason: picked.reason,
    downtimeMs: estimateDowntimeMs(picked.method, facts.old),
    alternatives,
  }
}

function alternativeNote(
  method: Method,
  facts: Inspection,
  target: Target,
  size: number | undefined,
): string {
  const essential = isEssentialTier(facts.old.tier)
  switch (method) {
    case 'in-place':
      if (!target.versionChanges) return 'changes only the version'
      return target.planChanges ? 'keeps the plan' : 'Heroku’s recommended path for a version upgrade'
    case 'follower':
      return essential ? 'needs Standard or higher' : 'a new database caught up while the app is up'
    case 'plan-change':
      if (target.versionChanges) return 'keeps the version'
      return essential ? 'Heroku changes it with the app up' : 'a changeover of under a minute, in a window'
    case 'copy':
    case 'backup-restore':
      return size !== undefined && size > COPY_ADVISED_MAX_BYTES
        ? 'Heroku advises it only under 10 GB'
        : 'the data goes over while the app is down'
  }
}
