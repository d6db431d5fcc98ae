import type { Scenario } from '../scenario/file/types.js'
import { refusesWritesForCapacity, type CapacityFacts } from './capacity.js'
import type { Clock } from './clock.js'
import type { Store } from './store.js'
import type { App, Dyno } from './types.js'
import type { WriteStream } from './writes.js'

// Who writes where. Formation dynos share their type's writes_per_second and write through the app's
// writes_through attachment; a formation dyno that got SIGTERM (scaled away) keeps writing its share, for
// durations.dyno_stop, to the add-on it ran with, whatever the app moves to meanwhile, and so does the old
// process of a dyno restarted by the release that moved DATABASE (it kept its old config). One-off dynos write to the
// add-on they started with. A database over plan capacity with restricted access takes none of it (the writes
// fail: they are not lost).

/** What deciding who writes where reads of the world; narrow, so that world.ts can use this module. */
export interface WriteScene extends CapacityFacts {
  readonly scenario: Scenario
  readonly clock: Pick<Clock, 'now'>
  readonly store: Store
}

/**
 * Whether the dyno's process writes right now. A `starting` dyno writes nothing, except a restarted dyno's old
 * process while it shuts down. Web dynos stop writing maintenance_write_seconds after maintenance goes on (the
 * router stops sending requests; in-flight requests and background threads finish first).
 */
export function isWriting(world: WriteScene, app: App, dyno: Dyno): boolean {
  const now = world.clock.now
  const running = dyno.state === 'up' || now < dyno.drainUntil
  if (!running) return false
  if (dyno.oneOff || dyno.type !== 'web' || app.maintenanceSince === null) return true
  return now < app.maintenanceSince + world.scenario.maintenance_write_seconds
}

/**
 * The add-on a writing formation dyno's process writes to when it is not the app's attachment: one stopping
 * after SIGTERM, or the old process of a restarted dyno while it drains, keeps the config it ran with.
 */
export function ranWithAddon(world: WriteScene, dyno: Dyno): string | null {
  if (dyno.stopping) return dyno.addonId
  if (world.clock.now < dyno.drainUntil) return dyno.drainAddonId
  return null
}

/**
 * What the app's writing formation dynos write, by the add-on they write to (null: the app's writes_through
 * attachment): each type's writes_per_second is shared by the dynos of that type that exist (running, booting or
 * shutting down), so it is written in full when all of them write.
 */
function formationRates(world: WriteScene, app: App): Map<string | null, number> {
  const counted = new Map<string, number>()
  const writing = new Map<string, number>()
  for (const dyno of app.dynos) {
    if (dyno.oneOff) continue
    counted.set(dyno.type, (counted.get(dyno.type) ?? 0) + 1)
    if (!isWriting(world, app, dyno)) continue
    const key = `${dyno.type}\n${ranWithAddon(world, dyno) ?? ''}`
    writing.set(key, (writing.get(key) ?? 0) + 1)
  }
  const rates = new Map<string | null, number>()
  for (const [key, count] of writing) {
    const [type, addonId] = key.split('\n') as [string, string]
    const target = addonId === '' ? null : addonId
    const rate = ((app.writesPerSecond[type] ?? 0) * count) / (counted.get(type) ?? 1)
    rates.set(target, (rates.get(target) ?? 0) + rate)
  }
  return rates
}

/** Adds `rate` to the stream of the app into the add-on, unless that database refuses writes. */
function add(
  world: WriteScene,
  streams: WriteStream[],
  app: App,
  addonId: string | null,
  rate: number,
): void {
  if (addonId === null || rate <= 0) return
  const addon = world.store.addon(addonId)
  if (addon && refusesWritesForCapacity(world, addon)) return
  const stream = streams.find((s) => s.app === app && s.addonId === addonId)
  if (stream) stream.rate += rate
  else streams.push({ app, addonId, rate })
}

/**
 * Every app's writes right now: running formation dynos through the app's attachment, formation dynos shutting
 * down after SIGTERM and one-off dynos to the add-on they ran with.
 */
export function writeStreams(world: WriteScene): WriteStream[] {
  const streams: WriteStream[] = []
  for (const app of world.store.apps()) {
    const serving = world.store.servingAddonOf(app)?.id ?? null
    for (const [target, rate] of formationRates(world, app)) add(world, streams, app, target ?? serving, rate)
    for (const dyno of app.dynos) {
      if (dyno.oneOff && isWriting(world, app, dyno))
        add(world, streams, app, dyno.addonId, app.writesPerSecond[dyno.type] ?? 0)
    }
  }
  return streams
}
