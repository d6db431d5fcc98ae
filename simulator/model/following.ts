import { unprocessable } from './errors.js'
import type { Addon } from './types.js'
import type { World } from './world.js'

/** Turns a follower into a fork that keeps exactly the commits it had replayed. */
export function stopFollowing(world: World, addon: Addon, reason: 'unfollow' | 'upgrade'): void {
  const db = addon.db
  if (db.leaderId === null) return
  const leaderId = db.leaderId
  db.base = world.holdings(addon.id)
  db.leaderId = null
  db.forkedFromId = leaderId
  db.followSince = null
  db.origin = world.newOrigin(addon.id)
  const leader = world.addons.get(leaderId) ?? world.graveyard.get(leaderId)
  world.event('unfollow', `${addon.name} stopped following ${leader?.name ?? leaderId} (${reason})`, {
    app: world.appOf(addon),
    addon,
  })
}

export function unfollow(world: World, addon: Addon): void {
  if (addon.db.leaderId === null) throw unprocessable(`${addon.name} is not a follower.`)
  stopFollowing(world, addon, 'unfollow')
}
