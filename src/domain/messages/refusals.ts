// Refusals of an input or a method that the preflight gives before anything changes, each saying what to set
// instead. An input's refusal ends with "Allowed: …", which the report turns into what to set.
import { maintenanceInfoCommand, upgradeCancelCommand, upgradeWaitCommand } from '../remedies'

/** A plan change across the Essential tier's edge, which Heroku does not make. */
export function planTierChangeRefusal(change: {
  plan: string
  tier: string
  from: string
  allowed: string
}): string {
  return [
    `Input "plan" is "${change.plan}", ${change.tier}, but the database is on ${change.from}: Heroku changes plans only within the Essential tier or only above it.`,
    `Allowed: ${change.allowed}, or method copy to move the data to a new database.`,
  ].join(' ')
}

/** A target plan too small for the data. `holds` and `size` are written as the plans list them ("64 GB"). */
export function overStorageRefusal(over: {
  plan: string
  holds: string
  database: string
  size: string
}): string {
  return [
    `Input "plan" is "${over.plan}", which holds ${over.holds}, and ${over.database} holds ${over.size}:`,
    `on Heroku a database over its plan's storage is "Over Plan Capacity" and then loses write access.`,
    `Allowed: a plan with more storage than ${over.size}.`,
  ].join(' ')
}

/** verify-command with a method that has no window to run it in. */
export function verifyCommandWithoutStepRefusal(method: string): string {
  return [
    `Input "verify-command" is set, but method ${method} has no step that runs it: Heroku carries out the change on its own with the app up, so a failed check could not stop or undo anything.`,
    'Remove verify-command, or choose a method with a window (follower, copy, backup-restore, in-place).',
  ].join(' ')
}

/** Method plan-change asked to change the version too. `targetVersion` undefined: the newest Heroku has. */
export function planChangeKeepsVersionRefusal(old: {
  version: string
  major: number
  targetVersion?: string
}): string {
  const target = old.targetVersion ? `PG ${old.targetVersion}` : 'the newest PG Heroku supports'
  return [
    `The method "plan-change" keeps the Postgres version (${old.version}), and the target is ${target}.`,
    `Set "version" to ${old.major} to change only the plan, or use method follower for both.`,
  ].join(' ')
}

/** A data maintenance (a plan change's changeover, or Heroku's own) open on the database. */
export function maintenanceOpenRefusal(open: {
  oldName: string
  app: string
  reason?: string | null
  status: string
  scheduledFor?: string | null
}): string {
  const runs = open.scheduledFor ? `, runs by itself at ${open.scheduledFor}` : ''
  return [
    `${open.oldName} has a data maintenance open on Heroku (${open.reason ?? 'maintenance'}, status ${open.status}${runs}).`,
    `Run it with method plan-change and the same plan, or let it finish (${maintenanceInfoCommand(open.oldName, open.app)}) first.`,
  ].join(' ')
}

/** An upgrade Heroku is already preparing or running. `state`: Heroku's message, or the phase. */
export function upgradeUnderWayRefusal(upgrade: { oldName: string; app: string; state: string }): string {
  const { oldName, app } = upgrade
  return [
    `${oldName} already has an upgrade under way on Heroku (${upgrade.state}).`,
    `Wait for it to finish (${upgradeWaitCommand(oldName, app)}), run it with method in-place, or cancel it (${upgradeCancelCommand(oldName, app)}) first.`,
  ].join(' ')
}

/** Input `database` names an add-on of another app, written as the input reads (`shown`). */
export function databaseOfOtherAppRefusal(input: {
  database: string
  owner: string
  app: string
  allowed: string
}): string {
  return [
    `Input "database" is ${input.database}, which names a database of app ${input.owner}.`,
    `This action upgrades the DATABASE of app ${input.app}: run it for that app instead.`,
    `Allowed: ${input.allowed}, of app ${input.app}.`,
  ].join(' ')
}

/** Method in-place on a legacy Essential plan, which Heroku cannot upgrade in place. */
export function inPlaceLegacyPlanRefusal(old: { name: string; plan: string }): string {
  return [
    `The method "in-place" needs an Essential or higher plan; ${old.name} is on the legacy plan ${old.plan}, which Heroku cannot upgrade in place.`,
    'Use method copy with plan essential-0 or higher.',
  ].join(' ')
}

/** Method in-place with no version change. `targetVersion` undefined: none asked, so the newest known. */
export function inPlaceSameVersionRefusal(old: {
  name: string
  version: string
  targetVersion?: string
}): string {
  const newest = old.targetVersion ? '' : ', the newest this action knows'
  return [
    `The method "in-place" changes the Postgres version, and ${old.name} is already on ${old.version}${newest}.`,
    'For a plan change use method plan-change.',
  ].join(' ')
}

/** Method in-place asked to change the plan too. */
export function inPlaceKeepsPlanRefusal(change: { plan: string; targetPlan: string }): string {
  return [
    `The method "in-place" keeps the plan (${change.plan}); input "plan" asks for ${change.targetPlan}.`,
    'Use method follower (version and plan together), or upgrade in place and then run method plan-change.',
  ].join(' ')
}

/** copy or backup-restore to or from a Shield plan (`shield`, short), where Heroku offers neither. */
export function shieldTransferRefusal(transfer: { method: string; shield: string }): string {
  const tool = transfer.method === 'copy' ? 'pg:copy' : 'PG Backups'
  return [
    `The method "${transfer.method}" moves the data with ${tool}, which Heroku does not offer for Shield databases (${transfer.shield}).`,
    'Use method follower.',
  ].join(' ')
}

/** Input plan-id names a plan other than the one made now. `changed`: what differs, when it can be told. */
export function planIdChangedRefusal(plan: {
  approved: string
  now: string
  changed: readonly string[]
}): string {
  const changed = plan.changed.length ? plan.changed.join(', ') : 'its facts'
  return [
    `Input "plan-id" is ${plan.approved}, but the plan made now is ${plan.now}: since it was approved, ${changed} changed.`,
    'Nothing was done; run phase plan again and have it approved.',
  ].join(' ')
}
