import { unprocessable } from './errors.js'
import type { Addon, Database } from './types.js'
import type { World } from './world.js'

/** A fresh fork that Heroku is still preparing: `pg:info` says Fork/Follow: Temporarily Unavailable. */
export function coolingDown(world: World, db: Database): boolean {
  return db.followableFrom !== null && world.clock.now < db.followableFrom
}

/** A follower Heroku is recreating after its leader's in-place upgrade. */
export function beingRecreated(world: World, db: Database): boolean {
  return db.recreatingUntil !== null && world.clock.now < db.recreatingUntil
}

/** Turns a follower into a fork that keeps exactly the commits it had replayed. */
export function stopFollowing(world: World, addon: Addon, reason: 'unfollow' | 'upgrade'): void {
  const db = addon.db
  if (db.leaderId === null) return
  const leaderId = db.leaderId
  db.base = world.writes.holdings(addon.id)
  db.leaderId = null
  db.forkedFromId = leaderId
  db.followSince = null
  db.followableFrom = world.clock.now + world.scenario.durations.follow_cooldown
  db.origin = world.writes.newOrigin(addon.id)
  const leader = world.store.anyAddon(leaderId)
  world.journal.record(
    'unfollow',
    `${addon.name} stopped following ${leader?.name ?? leaderId} (${reason})`,
    {
      app: world.store.appOf(addon),
      addon,
    },
  )
}

export function unfollow(world: World, addon: Addon): void {
  if (addon.db.leaderId === null) throw unprocessable(`${addon.name} is not a follower.`)
  stopFollowing(world, addon, 'unfollow')
}
