import { dynoSizeName } from './dyno-sizes.js'
import type { App, Dyno, Formation } from './types.js'
import type { World } from './world.js'

// Dyno lifecycle. A started dyno is `starting` for durations.dyno_boot, then `up`. A formation dyno that is
// scaled away keeps running (and writing, to the add-on it ran with) for durations.dyno_stop, the time its
// process takes to exit after SIGTERM; how the API lists it meanwhile is dyno-listing.ts's business. One-off dynos
// run for durations.one_off (or their time_to_live) once up, then exit.

export function formationCommand(type: string): string {
  return type === 'web' ? 'npm start' : `npm run ${type}`
}

/** The release the app's dynos run: the last one that succeeded. */
function runningRelease(app: App): Dyno['release'] {
  const release = [...app.releases].reverse().find((r) => r.status === 'succeeded')
  return { id: release?.id ?? '', version: release?.version ?? 0 }
}

function newDyno(
  world: World,
  app: App,
  fields: Pick<Dyno, 'name' | 'type' | 'size' | 'command' | 'oneOff'>,
): Dyno {
  return {
    id: world.dynoIds.uuid(),
    ...fields,
    state: 'starting',
    stopping: false,
    drainUntil: world.clock.now,
    drainAddonId: null,
    boots: 0,
    addonId: null,
    release: runningRelease(app),
    createdAt: world.clock.now,
    updatedAt: world.clock.now,
  }
}

/**
 * Starts (or restarts) the dyno's process: `starting` for dyno_boot, then `up` unless restarted meanwhile or
 * gone by `exitsAt` (a one-off dyno whose time_to_live ends before it has booted never comes up).
 */
function boot(world: World, app: App, dyno: Dyno, exitsAt?: number): void {
  dyno.state = 'starting'
  dyno.updatedAt = world.clock.now
  const boots = ++dyno.boots
  const upAt = world.clock.now + world.scenario.durations.dyno_boot
  if (exitsAt !== undefined && exitsAt <= upAt) return
  world.clock.schedule(upAt, () => {
    if (dyno.boots !== boots || !app.dynos.includes(dyno)) return
    dyno.state = 'up'
    dyno.updatedAt = world.clock.now
  })
}

function remove(world: World, app: App, dyno: Dyno, why: string): void {
  if (!app.dynos.includes(dyno)) return
  app.dynos = app.dynos.filter((d) => d !== dyno)
  world.journal.record('dyno-stop', `${dyno.name} ${why}`, { app })
}

/** The formation dynos of a type that are not shutting down, by number. */
function runningOfType(app: App, type: string): Dyno[] {
  return app.dynos
    .filter((d) => !d.oneOff && !d.stopping && d.type === type)
    .sort((a, b) => dynoNumber(a) - dynoNumber(b))
}

function dynoNumber(dyno: Dyno): number {
  return Number(dyno.name.slice(dyno.name.lastIndexOf('.') + 1))
}

/** The dynos the scenario's formation runs at time 0: already up. */
export function startInitialDynos(world: World, app: App): void {
  for (const f of app.formation) {
    if (f.type === 'release') continue
    for (let i = 1; i <= f.quantity; i++) {
      const dyno = newDyno(world, app, {
        name: `${f.type}.${i}`,
        type: f.type,
        size: f.size,
        command: formationCommand(f.type),
        oneOff: false,
      })
      dyno.state = 'up'
      dyno.createdAt = dyno.updatedAt = dyno.drainUntil = f.updatedAt
      app.dynos.push(dyno)
    }
  }
}

/** Starts or stops dynos so that the type runs `f.quantity` of them; a new size restarts the ones left. */
export function followFormation(world: World, app: App, f: Formation, resized: boolean): void {
  if (f.type === 'release') return
  const running = runningOfType(app, f.type)
  for (const dyno of running.slice(f.quantity).reverse()) stopFormationDyno(world, app, dyno)
  const kept = running.slice(0, f.quantity)
  if (resized)
    for (const dyno of kept) {
      dyno.size = f.size
      restartDyno(world, app, dyno)
    }
  const used = new Set(kept.map(dynoNumber))
  for (let n = 1; kept.length < f.quantity; n++) {
    if (used.has(n)) continue
    const dyno = newDyno(world, app, {
      name: `${f.type}.${n}`,
      type: f.type,
      size: f.size,
      command: formationCommand(f.type),
      oneOff: false,
    })
    app.dynos.push(dyno)
    kept.push(dyno)
    boot(world, app, dyno)
    world.journal.record('dyno-start', `${dyno.name} starting (${dyno.size}): ${dyno.command}`, { app })
  }
}

/**
 * SIGTERM: the dyno keeps writing for dyno_stop, then it is gone. It keeps the config it ran with: its writes go
 * to the add-on the app's writes_through attachment served when it was stopped, even if the app moves on.
 */
function stopFormationDyno(world: World, app: App, dyno: Dyno): void {
  dyno.stopping = true
  dyno.addonId = world.store.servingAddonOf(app)?.id ?? null
  dyno.updatedAt = world.clock.now
  world.clock.schedule(world.clock.now + world.scenario.durations.dyno_stop, () =>
    remove(world, app, dyno, 'stopped'),
  )
}

/**
 * Restarts a formation dyno: its old process keeps writing for dyno_stop while the new one boots. A one-off
 * dyno is never restarted: it stops.
 */
export function restartDyno(
  world: World,
  app: App,
  dyno: Dyno,
  ranWith: string | null = world.store.servingAddonOf(app)?.id ?? null,
): void {
  if (dyno.oneOff) return stopOneOff(world, app, dyno)
  if (dyno.stopping) return
  const processRunning = dyno.state === 'up' || world.clock.now < dyno.drainUntil
  if (processRunning) {
    // The process that is up ran with the config before this restart; one still booting is not the one that
    // drains (an earlier process still is, with the add-on it had).
    dyno.drainAddonId = dyno.state === 'up' ? ranWith : (dyno.drainAddonId ?? ranWith)
    // Heroku asks the process to stop taking requests and jobs (Dev Center, "Dyno Shutdown Behavior") but does
    // not say that the router stops sending them: the harsher case, a replaced web process served as long as
    // it runs (unless maintenance mode holds the requests back, see isWriting).
    dyno.drainUntil = Math.max(dyno.drainUntil, world.clock.now + world.scenario.durations.dyno_stop)
    world.clock.schedule(dyno.drainUntil, () => {}) // the integration must split where the old process stops writing
  }
  // The new process is another dyno under the same name: whoever tracked the old one by id loses it.
  dyno.id = world.dynoIds.uuid()
  dyno.createdAt = world.clock.now
  dyno.release = runningRelease(app)
  boot(world, app, dyno)
  world.journal.record('dyno-start', `${dyno.name} restarting`, { app })
}

/**
 * `ps:restart` without arguments, and every release that succeeds: each formation dyno, not one-off ones.
 * `ranWith`: the add-on the app served before the release (the old processes' config), when it moved.
 */
export function restartFormationDynos(
  world: World,
  app: App,
  ranWith: string | null = world.store.servingAddonOf(app)?.id ?? null,
): void {
  for (const dyno of app.dynos.filter((d) => !d.oneOff)) restartDyno(world, app, dyno, ranWith)
}

export interface OneOffRequest {
  command: string
  type?: string
  size?: string
  /** Seconds after which the dyno is killed, from its creation. */
  timeToLive?: number
  /** How long it runs once up; defaults to durations.one_off. */
  runSeconds?: number
}

/**
 * A one-off dyno (`heroku run`, Scheduler). It keeps the config of the release it started with, so it writes to
 * the add-on its app's writes_through attachment served at that moment, for its whole life.
 */
export function startOneOff(world: World, app: App, request: OneOffRequest): Dyno {
  const type = request.type ?? 'run'
  const prefix = type === 'scheduler' ? 'scheduler' : 'run'
  const defaultSize = app.space === null ? 'standard-1x' : 'private-s'
  const dyno = newDyno(world, app, {
    name: freeOneOffName(world, app, prefix),
    type,
    size: dynoSizeName(request.size ?? defaultSize),
    command: request.command,
    oneOff: true,
  })
  dyno.addonId = world.store.servingAddonOf(app)?.id ?? null
  app.dynos.push(dyno)
  const { dyno_boot, one_off } = world.scenario.durations
  let exitAt = world.clock.now + dyno_boot + (request.runSeconds ?? one_off)
  if (request.timeToLive !== undefined) exitAt = Math.min(exitAt, world.clock.now + request.timeToLive)
  boot(world, app, dyno, exitAt)
  world.clock.schedule(exitAt, () => remove(world, app, dyno, 'exited'))
  world.journal.record('dyno-start', `${dyno.name} starting (${dyno.size}): ${dyno.command}`, { app })
  return dyno
}

function freeOneOffName(world: World, app: App, prefix: string): string {
  for (;;) {
    const name = `${prefix}.${1000 + world.dynoIds.int(99000)}`
    if (!app.dynos.some((d) => d.name === name)) return name
  }
}

/**
 * SIGTERM, as for a formation dyno: a one-off dyno that is up keeps writing for dyno_stop (Heroku gives it 30 s
 * before SIGKILL); one still booting never runs its command. Then it is gone.
 */
export function stopOneOff(world: World, app: App, dyno: Dyno): void {
  if (dyno.stopping) return
  dyno.stopping = true
  dyno.boots++
  dyno.updatedAt = world.clock.now
  world.clock.schedule(world.clock.now + world.scenario.durations.dyno_stop, () =>
    remove(world, app, dyno, 'stopped'),
  )
}

/** `ps:stop`: a one-off dyno stops; a formation dyno is started again by Heroku, so it restarts. */
export function stopDyno(world: World, app: App, dyno: Dyno): void {
  if (dyno.oneOff) stopOneOff(world, app, dyno)
  else restartDyno(world, app, dyno)
}

/** By name or id; a running formation dyno wins over a same-named one that is shutting down. */
export function findDyno(app: App, key: string): Dyno | undefined {
  const matches = app.dynos.filter((d) => d.name === key || d.id === key)
  return matches.find((d) => !d.stopping) ?? matches[0]
}
