import type { Scenario } from '../scenario/file/types.js'
import { attach } from './attachments.js'
import { newCredential, newDatabase, onEndpoint, type Endpoint } from './database.js'
import { startInitialDynos } from './dynos.js'
import { dynoSizeName } from './dyno-sizes.js'
import { pastRelease } from './releases.js'
import { startScheduler } from './scheduler.js'
import type { Addon, App } from './types.js'
import { World } from './world.js'

const DAY = 86400
/** Commits every scenario database already holds when the simulation starts. */
const SEED_COMMITS = 100000

/** Builds the initial world: apps, their releases, databases, followers and attachments, as of time 0. */
export function createWorld(scenario: Scenario, speed?: number, endpoint: Endpoint | null = null): World {
  const world = new World(scenario, speed, endpoint)
  for (const spec of scenario.apps) {
    const app: App = {
      id: world.ids.uuid(),
      name: spec.name,
      space: spec.space,
      spaceId: spec.space === null ? null : world.ids.uuid(),
      maintenance: false,
      releasePhase: spec.release_phase,
      formation: spec.formation.map((f) => ({
        id: world.ids.uuid(),
        type: f.type,
        quantity: f.quantity,
        size: dynoSizeName(f.size),
        updatedAt: -30 * DAY,
      })),
      writesPerSecond: { ...spec.writes_per_second },
      config: new Map(Object.entries(spec.config_vars)),
      releases: [],
      servingAddonIds: new Map(),
      writesThrough: spec.writes_through,
      maintenanceSince: null,
      dynos: [],
      createdAt: -400 * DAY,
      updatedAt: -30 * DAY,
    }
    if (spec.release_phase && !app.formation.some((f) => f.type === 'release')) {
      app.formation.push({
        id: world.ids.uuid(),
        type: 'release',
        quantity: 0,
        size: 'Standard-1X',
        updatedAt: -30 * DAY,
      })
    }
    world.store.addApp(app)
    pastRelease(world, app, 'Initial release', -400 * DAY)
  }

  const byName = new Map<string, Addon>()
  for (const spec of scenario.apps) {
    const app = world.store.findApp(spec.name) as App
    for (const dbSpec of spec.databases) {
      const id = world.ids.uuid()
      const db = onEndpoint(
        newDatabase(world.ids, dbSpec.version, dbSpec.data_size_mb, dbSpec.tables, -60 * DAY),
        world.endpoint,
      )
      for (const name of dbSpec.credentials) db.credentials.push(newCredential(world.ids, name))
      if (dbSpec.backup_schedule) {
        const first = dbSpec.attachments.find((a) => a.namespace === null)?.name ?? 'DATABASE'
        db.schedules.push({ uuid: world.ids.uuid(), name: `${first}_URL`, ...dbSpec.backup_schedule })
      }
      db.origin = world.writes.newOrigin(id)
      if (dbSpec.following === null) db.base.set(`seed:${dbSpec.addon}`, SEED_COMMITS)
      const addon: Addon = {
        id,
        name: dbSpec.addon,
        appId: app.id,
        plan: dbSpec.plan,
        state: 'provisioned',
        createdAt: -60 * DAY,
        updatedAt: -60 * DAY,
        db,
      }
      world.store.addAddon(addon)
      byName.set(addon.name, addon)
    }
  }
  for (const spec of scenario.apps) {
    for (const dbSpec of spec.databases) {
      const addon = byName.get(dbSpec.addon) as Addon
      if (dbSpec.following !== null) {
        const leader = byName.get(dbSpec.following) as Addon
        addon.db.leaderId = leader.id
        addon.db.followSince = -30 * DAY
        addon.db.caughtUpAt = -30 * DAY
      }
      for (const a of dbSpec.attachments) {
        const app = world.store.findApp(a.app ?? spec.name) as App
        attach(world, { addon, app, name: a.name, namespace: a.namespace, quiet: true })
        pastRelease(world, app, `Attach ${a.name} (@ref:${addon.name})`, -60 * DAY)
      }
    }
  }
  for (const app of world.store.apps()) pastRelease(world, app, `Deploy ${world.ids.hex(8)}`, -2 * DAY)
  for (const spec of scenario.apps) {
    const app = world.store.findApp(spec.name) as App
    startInitialDynos(world, app)
    startScheduler(world, app, spec.scheduler)
  }
  world.journal.record('start', `scenario ${scenario.name} loaded`)
  return world
}
