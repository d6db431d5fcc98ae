// What the action says of an upgrade or a plan change that Heroku prepares before the window and then
// carries out on its own: what it runs, and what to wait for before phase switch.
import { formatDuration } from '../duration'
import { maintenanceInfoCommand, upgradeCancelCommand, upgradeWaitCommand } from '../remedies'

/** An upgrade prepared before this run runs to the version asked then, which Heroku does not show. */
export function preparedEarlierWarning(prepared: {
  oldName: string
  app: string
  targetVersion?: string
}): string {
  const asks = prepared.targetVersion ? ` (this run asks for PG ${prepared.targetVersion})` : ''
  return [
    `${prepared.oldName} has an upgrade that Heroku prepared before this run; it runs as it was prepared, to the version asked then, which Heroku does not show${asks}.`,
    `If that is not the version you want, cancel it first (${upgradeCancelCommand(prepared.oldName, prepared.app)}) and run phase prepare again.`,
  ].join(' ')
}

/** Phase switch while Heroku still prepares the upgrade. `message`: what Heroku says of it. */
export function upgradeStillPreparingRefusal(upgrade: {
  oldName: string
  app: string
  message: string
}): string {
  return [
    `Phase "switch" runs the upgrade that phase prepare asked for, and Heroku is still preparing it (${upgrade.message}): upgrade/run would be refused inside the window.`,
    `Wait until ${upgradeWaitCommand(upgrade.oldName, upgrade.app)} says it is scheduled, then run phase switch again.`,
  ].join(' ')
}

/** Phase switch while Heroku still prepares the plan change. `status`: the maintenance's status. */
export function changeoverStillPreparingRefusal(change: {
  oldName: string
  app: string
  status: string
}): string {
  return [
    `Phase "switch" runs the changeover that phase prepare asked for, and Heroku is still preparing it (maintenance ${change.status}).`,
    `Wait until ${maintenanceInfoCommand(change.oldName, change.app)} shows status ready, then run phase switch again.`,
  ].join(' ')
}

/** upgrade/run refused as "not ready" for as long as the run asks again: nothing started. */
export function upgradeNotReadyMessage(upgrade: { database: string; app: string; afterMs: number }): string {
  return [
    `Heroku still answers that the upgrade of ${upgrade.database} is not ready after ${formatDuration(upgrade.afterMs)}; nothing started.`,
    `Wait until ${upgradeWaitCommand(upgrade.database, upgrade.app)} has shown it scheduled for a while, then run phase switch again.`,
  ].join(' ')
}

/** Phase switch with no changeover to the target plan open. `targetPlan`: short, as "standard-2". */
export function noChangeoverOpenRefusal(change: { oldName: string; targetPlan: string }): string {
  return [
    `Phase "switch" runs a changeover that phase prepare asked for, and ${change.oldName} has no plan change to ${change.targetPlan} open on Heroku.`,
    'Run phase prepare first (or phase all).',
  ].join(' ')
}

/**
 * The database's maintenance window moved past window-end, so that the prepared change does not run before
 * it. `window`: the window as Heroku now shows it, else the day and time it was set to.
 */
export function windowMovedNote(moved: {
  windowEnd: string
  window?: string
  day: string
  time: string
}): string {
  const to = moved.window ?? `${moved.day} ${moved.time} UTC`
  return `the maintenance window started before window-end (${moved.windowEnd}), so it was moved to ${to}`
}

/** window-end is over a week away: no weekly maintenance window starts after it. `window` undefined: unread. */
export function windowEndTooFarWarning(far: {
  database: string
  window?: string
  windowEnd: string
}): string {
  return [
    `Heroku's maintenance window of ${far.database} (${far.window ?? 'unknown'}) starts before window-end (${far.windowEnd}), which is more than a week away:`,
    'no weekly window can wait that long.',
  ].join(' ')
}
