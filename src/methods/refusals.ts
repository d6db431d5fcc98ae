// Refusals more than one method shares.
import { isFollowing, majorOf, pgVersion } from '../heroku/database-info'
import { heldByAnotherRun, heldInPlace } from '../plan/checks'
import { destroyCommand } from '../domain/remedies'
import type { UpgradePlan } from '../plan/upgrade-plan'
import { maintenanceOpenRefusal, upgradeUnderWayRefusal } from '../domain/messages/refusals'

const OPEN_MAINTENANCE = ['pending', 'preparing', 'ready', 'running']

/**
 * A plan change (or another data maintenance) open on the database: Heroku refuses an upgrade meanwhile,
 * and runs the changeover by itself in the maintenance window.
 */
export function maintenanceOpen({ facts }: UpgradePlan): string[] {
  const { old, maintenance, app } = facts
  if (!maintenance || !OPEN_MAINTENANCE.includes(maintenance.status)) return []
  return [
    maintenanceOpenRefusal({
      oldName: old.name,
      app: app.name,
      reason: maintenance.reason,
      status: maintenance.status,
      scheduledFor: maintenance.scheduled_for,
    }),
  ]
}

/** Heroku refuses a second upgrade, and a prepared one fires on its own in the maintenance window. */
export function upgradeUnderWay({ facts }: UpgradePlan): string[] {
  const { old, upgrade, app } = facts
  if (upgrade.phase === 'none') return []
  return [
    upgradeUnderWayRefusal({ oldName: old.name, app: app.name, state: upgrade.message || upgrade.phase }),
  ]
}

/**
 * copy and backup-restore: a database an earlier run of this workflow run created is reused (it is
 * overwritten anyway); one that another run holds is not touched.
 */
export function heldElsewhere({
  facts,
  targetPlan,
  targetVersion,
  versionChanges,
  adoptsHold,
}: UpgradePlan): string[] {
  const found = facts.hold.found
  if (!found) return []
  const app = facts.app.name
  const { addon } = found.attachment
  if (addon.name !== facts.hold.name && !adoptsHold)
    return [heldByAnotherRun(addon.name, facts.hold.attachment, facts.old.name, app)]
  const destroy = destroyCommand(addon.name, app)
  const plan = addon.plan?.name
  if (plan && plan !== targetPlan)
    return [
      `An earlier run left the database ${addon.name} (${facts.hold.attachment}) on plan ${plan}, but the target plan is ${targetPlan}. Remove it (${destroy}) or set "plan" to ${plan}.`,
    ]
  if (found.info && isFollowing(found.info))
    return [
      `An earlier run left the follower ${addon.name} (${facts.hold.attachment}), which a copy cannot write into. Re-run with method follower to resume with it, or remove it (${destroy}).`,
    ]
  const wanted = versionChanges ? (targetVersion ? Number(targetVersion) : undefined) : facts.old.major
  const has = majorOf(found.info && pgVersion(found.info))
  if (wanted !== undefined && has !== undefined && has !== wanted)
    return [
      `An earlier run left the database ${addon.name} (${facts.hold.attachment}) on PG ${has}, but the target is PG ${wanted}. Remove it (${destroy}) or set "version" to ${has}.`,
    ]
  return []
}

/** A method that creates a database is refused while an in-place or plan-change run holds the old one. */
export function heldInPlaceByAnother({ facts }: UpgradePlan): string[] {
  return facts.hold.onOld ? [heldInPlace(facts.hold.attachment, facts.old.name, facts.app.name)] : []
}

/**
 * A method that creates nothing is refused while any other run holds the database: one that created a
 * database for it, or another in-place or plan-change run (whose hold phase switch takes over from the
 * prepare phase that took it).
 */
export function heldForInPlace(plan: UpgradePlan): string[] {
  const { facts } = plan
  const found = facts.hold.found
  if (found)
    return [
      heldByAnotherRun(found.attachment.addon.name, facts.hold.attachment, facts.old.name, facts.app.name),
    ]
  return plan.switchOnly ? [] : heldInPlaceByAnother(plan)
}
