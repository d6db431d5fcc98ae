// Refusals more than one method shares.
import { isFollowing, majorOf, pgVersion } from '../heroku/database-info'
import { heldByAnotherRun, heldInPlace } from '../plan/checks'
import type { UpgradePlan } from '../inspect/types'

const OPEN_MAINTENANCE = ['pending', 'preparing', 'ready', 'running']

/**
 * A plan change (or another data maintenance) open on the database: Heroku refuses an upgrade meanwhile,
 * and runs the changeover by itself in the maintenance window.
 */
export function maintenanceOpen({ facts }: UpgradePlan): string[] {
  const { old, maintenance, app } = facts
  if (!maintenance || !OPEN_MAINTENANCE.includes(maintenance.status)) return []
  return [
    `${old.name} has a data maintenance open on Heroku (${maintenance.reason ?? 'maintenance'}, status ${maintenance.status}${maintenance.scheduled_for ? `, runs by itself at ${maintenance.scheduled_for}` : ''}). Run it with method plan-change and the same plan, or let it finish (heroku data:maintenances:info ${old.name} -a ${app.name}) first.`,
  ]
}

/** Heroku refuses a second upgrade, and a prepared one fires on its own in the maintenance window. */
export function upgradeUnderWay({ facts }: UpgradePlan): string[] {
  const { old, upgrade, app } = facts
  if (upgrade.phase === 'none') return []
  return [
    `${old.name} already has an upgrade under way on Heroku (${upgrade.message || upgrade.phase}). Wait for it to finish (heroku pg:upgrade:wait ${old.name} -a ${app.name}), run it with method in-place, or cancel it (heroku pg:upgrade:cancel ${old.name} -a ${app.name}) first.`,
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
  const destroy = `heroku addons:destroy ${addon.name} -a ${app} --confirm ${app}`
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
