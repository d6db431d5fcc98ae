import { findDyno } from './dynos.js'
import type { App, Dyno } from './types.js'
import type { World } from './world.js'

// How GET /apps/:app/dynos shows dynos. A dyno that got SIGTERM (scaled away, or a stopped one-off dyno) runs,
// and writes, for durations.dyno_stop before it exits. Heroku's logs say "State changed from up to down" at once,
// and whether the API still lists it is not documented: the scenario's stopping_dynos_listed picks `up` (listed as
// it was), `down`, or `hidden` (the default: not listed, nor found by name or id, while it still writes).

export type ListedState = Dyno['state'] | 'down'

/** The state the API shows for the dyno, or null when it does not list it. */
export function listedState(world: World, dyno: Dyno): ListedState | null {
  if (!dyno.stopping) return dyno.state
  const mode = world.scenario.stopping_dynos_listed
  if (mode === 'hidden') return null
  return mode === 'down' ? 'down' : dyno.state
}

/** The dynos the API lists for the app, with the state it shows. */
export function listedDynos(world: World, app: App): { dyno: Dyno; state: ListedState }[] {
  const listed: { dyno: Dyno; state: ListedState }[] = []
  for (const dyno of app.dynos) {
    const state = listedState(world, dyno)
    if (state !== null) listed.push({ dyno, state })
  }
  return listed
}

/** A listed dyno by name or id (a running dyno wins over a same-named one shutting down). */
export function findListedDyno(world: World, app: App, key: string): Dyno | undefined {
  const found = findDyno(app, key)
  if (found && listedState(world, found) !== null) return found
  return undefined
}
