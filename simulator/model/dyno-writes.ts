import type { App, Dyno } from './types.js'
import type { World } from './world.js'

/** Commits per simulated second that one app's dynos send to one add-on. */
export interface WriteStream {
  app: App
  addonId: string
  rate: number
}

/**
 * Whether the dyno's process writes right now. A `starting` dyno writes nothing, except a restarted dyno's old
 * process while it shuts down. Web dynos stop writing maintenance_write_seconds after maintenance goes on (the
 * router stops sending requests; in-flight requests and background threads finish first).
 */
export function isWriting(world: World, app: App, dyno: Dyno): boolean {
  const running = dyno.state === 'up' || world.now < dyno.drainUntil
  if (!running) return false
  if (dyno.oneOff || dyno.type !== 'web' || app.maintenanceSince === null) return true
  return world.now < app.maintenanceSince + world.scenario.maintenance_write_seconds
}

/**
 * What the app's formation dynos write: each type's writes_per_second is shared by the dynos of that type that
 * are listed (running, booting or shutting down), so it is written in full when all of them write.
 */
export function formationWriteRate(world: World, app: App): number {
  const listed = new Map<string, number>()
  const writing = new Map<string, number>()
  for (const dyno of app.dynos) {
    if (dyno.oneOff) continue
    listed.set(dyno.type, (listed.get(dyno.type) ?? 0) + 1)
    if (isWriting(world, app, dyno)) writing.set(dyno.type, (writing.get(dyno.type) ?? 0) + 1)
  }
  let rate = 0
  for (const [type, count] of writing)
    rate += ((app.writesPerSecond[type] ?? 0) * count) / (listed.get(type) ?? 1)
  return rate
}

/** Every app's writes right now: formation dynos through the app's attachment, one-off dynos to their own add-on. */
export function writeStreams(world: World): WriteStream[] {
  const streams: WriteStream[] = []
  for (const app of world.apps.values()) {
    const serving = world.servingAddonOf(app)
    const rate = formationWriteRate(world, app)
    if (serving && rate > 0) streams.push({ app, addonId: serving.id, rate })
    for (const dyno of app.dynos) {
      if (!dyno.oneOff || dyno.addonId === null || !isWriting(world, app, dyno)) continue
      const oneOffRate = app.writesPerSecond[dyno.type] ?? 0
      if (oneOffRate > 0) streams.push({ app, addonId: dyno.addonId, rate: oneOffRate })
    }
  }
  return streams
}
