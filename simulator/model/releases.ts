import { restartFormationDynos } from './dynos.js'
import type { App, Release, ReleaseStatus } from './types.js'
import type { World } from './world.js'

// Releases and config vars. A release belongs to its app (app.releases); every config change is one, and a
// release that succeeds restarts the app's formation dynos onto it.

/**
 * Adds a release. With a release phase it starts `pending` and ends with `outcome` after durations.release_phase.
 */
export function release(
  world: World,
  app: App,
  description: string,
  outcome: ReleaseStatus = 'succeeded',
  onSucceeded: () => void = () => {},
): Release {
  const { clock } = world
  const last = app.releases[app.releases.length - 1]
  const made: Release = {
    id: world.ids.uuid(),
    version: (last?.version ?? 0) + 1,
    description,
    status: app.releasePhase ? 'pending' : 'succeeded',
    config: Object.fromEntries(app.config),
    createdAt: clock.now,
    updatedAt: clock.now,
  }
  app.releases.push(made)
  // As on Heroku, a release that succeeds restarts the formation dynos onto it (one-off dynos keep theirs).
  if (!app.releasePhase) {
    const ranWith = world.store.servingAddonOf(app)?.id ?? null
    onSucceeded()
    restartFormationDynos(world, app, ranWith)
    return made
  }
  clock.schedule(clock.now + world.scenario.durations.release_phase, () => {
    made.status = outcome
    made.updatedAt = clock.now
    world.journal.record('release', `v${made.version} ${description}: ${outcome}`, { app })
    if (outcome !== 'succeeded') return
    const ranWith = world.store.servingAddonOf(app)?.id ?? null
    onSucceeded()
    restartFormationDynos(world, app, ranWith)
  })
  return made
}

/** A release of the scenario's past, already succeeded (seeding only). */
export function pastRelease(world: World, app: App, description: string, at: number): void {
  const last = app.releases[app.releases.length - 1]
  app.releases.push({
    id: world.ids.uuid(),
    version: (last?.version ?? 0) + 1,
    description,
    status: 'succeeded',
    config: Object.fromEntries(app.config),
    createdAt: at,
    updatedAt: at,
  })
}

/** Sets (or, with null, removes) config vars; the caller makes the release that goes with it. */
export function setConfig(world: World, app: App, changes: Record<string, string | null>): void {
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) app.config.delete(key)
    else app.config.set(key, value)
  }
  app.updatedAt = world.clock.now
}

/**
 * `PATCH /apps/:app/config-vars`: each value is set, or removed when null. One release for what is set and one
 * for what is removed, as Heroku words them.
 */
export function updateConfigVars(world: World, app: App, changes: Record<string, string | null>): void {
  const set = Object.keys(changes).filter((k) => changes[k] !== null)
  const unset = Object.keys(changes).filter((k) => changes[k] === null && app.config.has(k))
  setConfig(world, app, changes)
  if (set.length > 0) release(world, app, `Set ${set.join(', ')} config vars`)
  if (unset.length > 0) release(world, app, `Remove ${unset.join(', ')} config vars`)
}
