import { followFormation } from './dynos.js'
import type { App, Formation } from './types.js'
import type { World } from './world.js'

// What an app's owner changes on the app itself: maintenance mode and the formation.

/** `PATCH /apps/:app {maintenance}`: turns maintenance mode on or off; nothing happens when it already is. */
export function setMaintenance(world: World, app: App, on: boolean): void {
  if (on === app.maintenance) return
  const { clock } = world
  app.maintenance = on
  app.updatedAt = clock.now
  app.maintenanceSince = on ? clock.now : null
  // Web dynos stop writing this long after the router stops; the integration must split there.
  if (on) clock.schedule(clock.now + world.scenario.maintenance_write_seconds, () => {})
  world.journal.record(on ? 'maintenance-on' : 'maintenance-off', `maintenance ${on ? 'on' : 'off'}`, { app })
}

/** One checked formation update: the new quantity from the current one, and the size (undefined: unchanged). */
export interface FormationChange {
  formation: Formation
  quantity: (current: number) => number
  size: string | undefined
}

/** Applies a formation update: the dynos follow (started, stopped, or restarted on a new size). */
export function changeFormation(world: World, app: App, change: FormationChange): Formation {
  const f = change.formation
  const before = `${f.quantity}:${f.size}`
  const sizeBefore = f.size
  f.quantity = change.quantity(f.quantity)
  if (change.size !== undefined) f.size = change.size
  f.updatedAt = world.clock.now
  const after = `${f.quantity}:${f.size}`
  if (before !== after) world.journal.record('formation', `${f.type} ${before} → ${after}`, { app })
  followFormation(world, app, f, f.size !== sizeBefore)
  return f
}
