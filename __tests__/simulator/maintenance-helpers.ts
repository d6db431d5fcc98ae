// Shared by the data-maintenance tests: a built-in scenario pinned to a known start time on a frozen clock, and
// readers for the maintenance endpoints and the state's add-on entries.
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSimulator, type SimulatorHandle } from '../../simulator/index.js'
import type { Api } from './helpers.js'

const scenarios = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'simulator/scenarios')

/** Monday 2 March 2026, 10:15 UTC: the default window is then Thursdays 11:00 to 15:00 UTC. */
export const START = '2026-03-02T10:15:00Z'
/** Seconds from START to the first default window start, Thursday 5 March 11:00 UTC. */
export const FIRST_DEFAULT_WINDOW = 3 * 86400 + 45 * 60

/** A built-in scenario, started at START on a manual clock, after `adjust`. */
export async function pinnedSimulator(
  name: string,
  adjust: (scenario: Record<string, unknown>) => void = () => {},
): Promise<SimulatorHandle> {
  const scenario = JSON.parse(readFileSync(join(scenarios, `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >
  scenario.start_time = START
  adjust(scenario)
  return startSimulator({ scenario, speed: 0 })
}

export interface MaintenanceBody {
  addon: { name: string; plan: string; window: string; attachments: string[]; kind: string }
  app: { name: string }
  status: string
  scheduled_for: string | null
  previously_scheduled_for: string | null
  required_by: string | null
  started_at: string | null
  completed_at: string | null
  duration_seconds: string | null
  window: string | null
  reason: string | null
}

export const maintenanceOf = async (api: Api, addon: string) =>
  (await api('GET', `/data/maintenances/v1/${addon}`)).body as MaintenanceBody

export interface AddonState {
  name: string
  plan: string
  version: string
  upgrade: string | null
  upgrade_scheduled_for: string | null
  refused_writes: number
  maintenance: {
    status: string
    scheduled_for: string | null
    window: string | null
    target_plan: string | null
  }
}

export async function addonState(sim: SimulatorHandle, name: string): Promise<AddonState> {
  const state = (await (await fetch(`${sim.url}/__simulator/state`)).json()) as {
    addons: AddonState[]
  }
  return state.addons.find((a) => a.name === name) as AddonState
}

export async function eventTypes(sim: SimulatorHandle): Promise<string[]> {
  const events = (await (await fetch(`${sim.url}/__simulator/events`)).json()) as { type: string }[]
  return events.map((e) => e.type)
}
