import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSimulator } from '../../simulator/index'
import { expect } from 'vitest'
import type { HerokuTarget } from './heroku-cli'

const scenarioDirectory = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '../..'),
  'simulator/scenarios',
)

export const CONFORMANCE_API_KEY = 'conformance-heroku-token'

/**
 * Simulated seconds per real second, and durations short enough that each step takes well under a
 * second of real time. The release phase finishes before `pg:promote` first looks at it, because
 * the CLI would otherwise sleep 5 real seconds before looking again.
 */
const FAST_CLOCK = {
  speed: 100,
  durations: {
    provision: 30,
    follower_catch_up: 30,
    upgrade: 60,
    upgrade_prepare: 10,
    promote: 2,
    release_phase: 0.1,
    copy_mb_per_s: 2000,
    plan_change_prepare: 30,
    plan_change: 30,
    upgrade_run_ready_after: 10,
  },
}

export interface RunningSimulator {
  target: HerokuTarget
  stop(): Promise<void>
}

type ScenarioJson = Record<string, unknown>

/** Starts a built-in scenario on a free port, on the fast clock, with the conformance API key. */
export async function startFastScenario(
  name: string,
  adjust: (scenario: ScenarioJson) => void = () => {},
): Promise<RunningSimulator> {
  const scenario = JSON.parse(readFileSync(join(scenarioDirectory, `${name}.json`), 'utf8')) as ScenarioJson
  scenario.api_key = CONFORMANCE_API_KEY
  scenario.speed = FAST_CLOCK.speed
  scenario.durations = { ...(scenario.durations as object | undefined), ...FAST_CLOCK.durations }
  adjust(scenario)
  const simulator = await startSimulator({ scenario })
  return {
    target: { url: simulator.url, apiKey: CONFORMANCE_API_KEY },
    stop: () => simulator.stop(),
  }
}

// What GET /__simulator/state reports, as far as the conformance tests read it.
export interface SimulatorAddon {
  name: string
  plan: string
  version: string
  state: string
  following: string | null
  /** `app::NAME` */
  attachments: string[]
}

export interface SimulatorApp {
  name: string
  maintenance: boolean
  formation: Array<{ type: string; quantity: number; size: string }>
  config_var_names: string[]
}

export interface SimulatorState {
  apps: SimulatorApp[]
  addons: SimulatorAddon[]
  lost_writes: number
}

export async function simulatorState(url: string): Promise<SimulatorState> {
  const response = await fetch(`${url}/__simulator/state`)
  expect(response.status).toBe(200)
  return (await response.json()) as SimulatorState
}

export function addonIn(state: SimulatorState, name: string): SimulatorAddon | undefined {
  return state.addons.find((addon) => addon.name === name)
}

interface RecordedRequest {
  method: string
  path: string
  status: number
}

async function recordedRequests(url: string): Promise<RecordedRequest[]> {
  const response = await fetch(`${url}/__simulator/requests`)
  expect(response.status).toBe(200)
  return (await response.json()) as RecordedRequest[]
}

/** Resolves once the simulator has answered a request whose path matches, e.g. a CLI's first poll. */
export async function requestSeen(url: string, path: RegExp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if ((await recordedRequests(url)).some((request) => path.test(request.path))) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`the simulator saw no request matching ${path} within ${timeoutMs} ms`)
}

/** Moves the simulated clock forward, running everything that falls due. */
export async function advanceClock(url: string, seconds: number): Promise<void> {
  const response = await fetch(`${url}/__simulator/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advance_seconds: seconds }),
  })
  expect(response.status).toBe(200)
}
