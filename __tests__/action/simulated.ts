// Starts the simulator and builds jobs that point the action at it.
import { readFileSync } from 'node:fs'
import { startSimulator } from '../../simulator/index'
import { afterEach, expect } from 'vitest'
import { ActionJob, type StepResult } from './harness'

export type Simulator = Awaited<ReturnType<typeof startSimulator>>

export interface SimState {
  apps: Array<{
    name: string
    maintenance: boolean
    formation: Array<{ type: string; quantity: number; size: string }>
    database: string | null
    serving_database?: string | null
    dynos?: Array<{ name: string; type: string; state: string }>
  }>
  addons: Array<{
    id: string
    name: string
    app: string
    plan: string
    version: string
    state: string
    following: string | null
    upgrade: string | null
    attachments: string[]
  }>
  github_issues: Array<{ number: number; title: string; body?: string; html_url?: string }>
  lost_writes: number
}

const scenarioFile = (name: string): URL => new URL(`../../simulator/scenarios/${name}.json`, import.meta.url)

export const SIM_TOKEN = 'sim-heroku-token'
export const GITHUB_TOKEN = 'sim-github-token'
export const FAST = {
  retryPolicy: { baseDelayMs: 20, maxDelayMs: 200, maxTotalMs: 20_000 },
  githubRetryDelayMs: 10,
}

/** Starts a built-in scenario; `overrides` replaces top-level keys (`durations` is merged key by key). */
export async function simulator(
  faults: unknown[] = [],
  speed = 600,
  name = 'standard-pg14',
  overrides: Record<string, unknown> = {},
): Promise<Simulator> {
  const base = JSON.parse(readFileSync(scenarioFile(name), 'utf8')) as Record<string, unknown>
  const durations = { ...(base.durations as object), ...(overrides.durations as object) }
  const scenario = { ...base, ...overrides, durations, faults }
  const started = await startSimulator({ scenario, speed })
  startedSimulators.push(started)
  return started
}

const startedSimulators: Simulator[] = []
const createdJobs: ActionJob[] = []

/** Stops every simulator started and removes every job's files created by a test, after that test. */
export function cleanUpAfterEachTest(): void {
  afterEach(async () => {
    for (const started of startedSimulators.splice(0)) await started.stop()
    for (const created of createdJobs.splice(0)) created.cleanup()
  })
}

export async function state(sim: Simulator): Promise<SimState> {
  const response = await fetch(`${sim.url}/__simulator/state`)
  return (await response.json()) as SimState
}

export async function addFault(sim: Simulator, fault: unknown): Promise<void> {
  const response = await fetch(`${sim.url}/__simulator/faults`, {
    method: 'POST',
    body: JSON.stringify(fault),
    headers: { 'Content-Type': 'application/json' },
  })
  if (!response.ok) throw new Error(`fault refused: ${await response.text()}`)
}

/** The inputs every test job starts from: acme-web to PG 17, fast polls, short deadlines. */
export const DEFAULT_INPUTS: Readonly<Record<string, string>> = {
  'heroku-api-key': SIM_TOKEN,
  app: 'acme-web',
  confirm: 'acme-web',
  // The follower method's tests; each other method's tests name theirs.
  method: 'follower',
  version: '17',
  'github-token': GITHUB_TOKEN,
  'poll-interval': '200ms',
  'catch-up-timeout': '60s',
  'upgrade-timeout': '60s',
}

export function job(
  sim: Simulator,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): ActionJob {
  const created = new ActionJob(
    { ...DEFAULT_INPUTS, ...inputs },
    {
      HEROKU_API_URL: sim.url,
      HEROKU_DATA_API_URL: sim.url,
      GITHUB_API_URL: sim.url,
      GITHUB_REPOSITORY: 'acme/web',
      ...env,
    },
  )
  createdJobs.push(created)
  return created
}

export function expectNoSecrets(...results: StepResult[]): void {
  for (const result of results) {
    const everything = [
      result.log.replace(/::add-mask::.*\n/g, ''),
      result.summary,
      JSON.stringify(result.outputs),
      JSON.stringify(result.state),
    ].join('\n')
    expect(everything).not.toContain(SIM_TOKEN)
    expect(everything).not.toContain(GITHUB_TOKEN)
    expect(everything).not.toMatch(/postgres:\/\//)
  }
}

export async function appState(s: Simulator) {
  const current = await state(s)
  return { current, app: current.apps.find((a) => a.name === 'acme-web')! }
}

export interface LoggedRequest {
  method: string
  path: string
  status: number
}

/** Every request the simulator received, in order (`GET /__simulator/requests`). */
export async function requestsOf(sim: Simulator): Promise<LoggedRequest[]> {
  return (await (await fetch(`${sim.url}/__simulator/requests`)).json()) as LoggedRequest[]
}

/** Polls `condition` every 10 ms; fails naming `what` after `timeoutMs`. */
export async function until(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** The app, the simulator's whole state, and the add-on the app's DATABASE points at. */
export async function appAndDatabase(sim: Simulator, name = 'acme-web') {
  const current = await state(sim)
  const app = current.apps.find((a) => a.name === name)!
  const database = current.addons.find((a) => a.name === app.database)!
  return { current, app, database }
}

/** Every request that could change something on Heroku (resolves are POSTs that change nothing). */
export async function changesSent(sim: Simulator): Promise<LoggedRequest[]> {
  return (await requestsOf(sim)).filter(
    (r) => r.method !== 'GET' && !r.path.startsWith('/actions/') && !r.path.startsWith('/repos/'),
  )
}
