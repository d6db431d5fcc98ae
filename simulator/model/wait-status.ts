import { beingRecreated } from './following.js'
import { maintenanceWaitStatus } from './maintenances.js'
import type { Addon, WaitStatus } from './types.js'
import type { World } from './world.js'

/** After an upgrade, pg:wait reports cleanup (not waiting) for this long, as seen in seed 003. */
const CLEANUP_SECONDS = 60

/** Heroku's wording is not known; this only has to say why the follower is unavailable. */
export const RECREATING_MESSAGE = "recreating the follower after its leader's version upgrade"

export function waitStatus(world: World, addon: Addon): WaitStatus {
  const db = addon.db
  if (addon.state === 'provisioning' || db.availableAt > world.clock.now) {
    return { 'waiting?': true, 'error?': false, message: 'provisioning' }
  }
  if (addon.state === 'deprovisioned') {
    return {
      'waiting?': false,
      'error?': true,
      message: 'The database could not be provisioned and was deprovisioned.',
    }
  }
  if (db.upgrade?.phase === 'running') return { 'waiting?': true, 'error?': false, message: 'upgrading' }
  if (db.upgrade?.phase === 'done' && world.clock.now < (db.upgrade.endsAt ?? 0) + CLEANUP_SECONDS) {
    return { 'waiting?': false, 'error?': false, message: 'performing final cleanup steps after upgrade' }
  }
  if (beingRecreated(world, db)) return { 'waiting?': true, 'error?': false, message: RECREATING_MESSAGE }
  // A plan changeover (Standard and higher): waiting while it runs; preparing or scheduled, the database is
  // available and says what is coming.
  const maintenance = maintenanceWaitStatus(world, addon)
  if (maintenance?.['waiting?']) return maintenance
  if (db.planChangeUntil !== null && db.planChangeUntil > world.clock.now) {
    return { 'waiting?': true, 'error?': false, message: 'changing plan' }
  }
  if (db.leaderId !== null && (db.neverCatchesUp || (db.caughtUpAt ?? 0) > world.clock.now)) {
    return { 'waiting?': true, 'error?': false, message: 'catching up with leader' }
  }
  return maintenance ?? { 'waiting?': false, 'error?': false, message: 'available' }
}
