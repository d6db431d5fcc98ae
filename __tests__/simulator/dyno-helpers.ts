import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SimulatorHandle } from '../../simulator/index.js'
import type { Api } from './helpers.js'

export interface ListedDyno {
  id: string
  name: string
  type: string
  size: string
  state: string
  command: string
  attach_url: null
  release: { id: string; version: number }
  app: { id: string; name: string }
  created_at: string
  updated_at: string
}

export async function listDynos(api: Api, app: string): Promise<ListedDyno[]> {
  const response = await api('GET', `/apps/${app}/dynos`)
  if (response.status !== 200) throw new Error(`GET /apps/${app}/dynos answered ${response.status}`)
  return response.body as ListedDyno[]
}

/** `name: state` of each listed dyno, sorted, e.g. `["web.1: up", "worker.2: starting"]`. */
export async function dynoStates(api: Api, app: string): Promise<string[]> {
  return (await listDynos(api, app)).map((d) => `${d.name}: ${d.state}`).sort()
}

export async function scale(
  api: Api,
  app: string,
  quantities: Record<string, number | string>,
): Promise<void> {
  const updates = Object.entries(quantities).map(([type, quantity]) => ({ type, quantity: String(quantity) }))
  const response = await api('PATCH', `/apps/${app}/formation`, { updates })
  if (response.status !== 200) throw new Error(`scaling ${app} answered ${response.status}`)
}

export function builtInScenario(name: string): Record<string, unknown> & { apps: Record<string, unknown>[] } {
  const path = join(process.cwd(), 'simulator', 'scenarios', `${name}.json`)
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> & {
    apps: Record<string, unknown>[]
  }
}

/**
 * The follower in `windowScenario` trails its leader by WINDOW seconds, so once it has caught up, its
 * `behind_by` is exactly the commits the app wrote during the last WINDOW simulated seconds.
 */
export const WINDOW = 1000

/** One app `acme` writing to `postgresql-leader-10001`, followed WINDOW seconds behind by `postgresql-window-10002`. */
export function windowScenario(app: Record<string, unknown>, top: Record<string, unknown> = {}): object {
  return {
    replication_lag_seconds: WINDOW,
    ...top,
    apps: [
      {
        name: 'acme',
        databases: [
          { addon: 'postgresql-leader-10001', plan: 'standard-0', version: '16', attachments: ['DATABASE'] },
          {
            addon: 'postgresql-window-10002',
            plan: 'standard-0',
            version: '16',
            following: 'postgresql-leader-10001',
            attachments: ['HEROKU_POSTGRESQL_WINDOW'],
          },
        ],
        ...app,
      },
    ],
  }
}

/** Commits `acme` wrote during the last WINDOW simulated seconds (see windowScenario). */
export async function writtenInWindow(sim: SimulatorHandle): Promise<number> {
  const state = (await (await fetch(`${sim.url}/__simulator/state`)).json()) as {
    addons: { name: string; behind_by: number }[]
  }
  const window = state.addons.find((a) => a.name === 'postgresql-window-10002')
  if (!window) throw new Error('windowScenario: no follower postgresql-window-10002')
  return window.behind_by
}

export async function events(
  sim: SimulatorHandle,
): Promise<{ type: string; detail: string; at_simulated: number }[]> {
  return (await (await fetch(`${sim.url}/__simulator/events`)).json()) as {
    type: string
    detail: string
    at_simulated: number
  }[]
}
