/**
 * The timeline of a prepared in-place upgrade (`pg:upgrade:prepare` on a Standard-and-higher leader): it is
 * being prepared for `durations.upgrade_prepare`; `pg:upgrade:run` still refuses it for
 * `durations.upgrade_run_ready_after` more; and if nobody runs it, Heroku runs it by itself at the first start
 * of the database's maintenance window once it can run, with the app up.
 */
import { nextWindowStart, windowOf } from './maintenance-window.js'
import type { Addon, UpgradeState } from './types.js'
import type { World } from './world.js'

/** When upgrade/wait_status stops saying the upgrade is being prepared. */
export function upgradePreparedAt(world: World, upgrade: UpgradeState): number {
  return upgrade.preparedAt + world.scenario.durations.upgrade_prepare
}

/** When `pg:upgrade:run` accepts the prepared upgrade. */
export function upgradeRunnableAt(world: World, upgrade: UpgradeState): number {
  return upgradePreparedAt(world, upgrade) + world.scenario.durations.upgrade_run_ready_after
}

/** When Heroku runs the prepared upgrade by itself: the first window start once it can run. */
export function upgradeScheduledAt(world: World, addon: Addon, upgrade: UpgradeState): number | null {
  const window = windowOf(world, addon)
  return window ? nextWindowStart(world, window, upgradeRunnableAt(world, upgrade)) : null
}

/**
 * Sets a timer that starts the add-on's scheduled upgrade at its window start, unless by then it was run,
 * canceled, or moved to another window (a later call sets the timer for the new time).
 */
export function armScheduledUpgrade(
  world: World,
  addon: Addon,
  start: (world: World, addon: Addon, target: string) => void,
): void {
  const upgrade = addon.db.upgrade
  if (!upgrade || upgrade.phase !== 'scheduled') return
  const at = upgradeScheduledAt(world, addon, upgrade)
  if (at === null) return
  world.clock.schedule(at, () => {
    if (addon.db.upgrade !== upgrade || upgrade.phase !== 'scheduled' || !world.store.isLive(addon.id)) return
    if (upgradeScheduledAt(world, addon, upgrade) !== at) return
    world.journal.record(
      'upgrade-window',
      `${addon.name} upgrade to ${upgrade.targetVersion} run in its window`,
      {
        app: world.store.appOf(addon),
        addon,
      },
    )
    start(world, addon, upgrade.targetVersion)
  })
}
