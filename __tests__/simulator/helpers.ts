import { startSimulator, type SimulatorHandle } from '../../simulator/index.js'

export const API_KEY = 'sim-heroku-token'
export const GITHUB_TOKEN = 'sim-github-token'

export interface Call {
  status: number
  headers: Headers
  body: unknown
  text: string
}

/** Starts a simulator whose clock only moves when a test jumps it (speed 0 = manual clock). */
export async function frozenSimulator(scenario: string | object = 'standard-pg14'): Promise<SimulatorHandle> {
  return startSimulator({ scenario, speed: 0 })
}

export function client(sim: SimulatorHandle, auth: string | null = `Bearer ${API_KEY}`) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Call> => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: {
        Accept: 'application/vnd.heroku+json; version=3',
        ...(auth ? { Authorization: auth } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    let parsed: unknown = text
    if (text !== '' && (response.headers.get('content-type') ?? '').startsWith('application/json'))
      parsed = JSON.parse(text)
    return { status: response.status, headers: response.headers, body: parsed, text }
  }
}

export type Api = ReturnType<typeof client>

export async function jump(sim: SimulatorHandle, seconds: number): Promise<void> {
  const response = await fetch(`${sim.url}/__simulator/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advance_seconds: seconds }),
  })
  if (response.status !== 200) throw new Error(`clock jump failed: ${response.status}`)
}

export interface StateAddon {
  name: string
  id: string
  app: string
  plan: string
  version: string
  state: string
  following: string | null
  attachments: string[]
}

export interface SimState {
  apps: {
    name: string
    maintenance: boolean
    formation: { type: string; quantity: number }[]
    config_var_names: string[]
  }[]
  addons: StateAddon[]
  github_issues: { number: number; title: string; labels: string[]; state: string; html_url: string }[]
  lost_writes: number
}

export async function state(sim: SimulatorHandle): Promise<SimState> {
  const response = await fetch(`${sim.url}/__simulator/state`)
  return (await response.json()) as SimState
}

export function infoValue(info: unknown, name: string): string[] | undefined {
  const entries = (info as { info: { name: string; values: string[] }[] }).info
  return entries.find((e) => e.name === name)?.values
}
