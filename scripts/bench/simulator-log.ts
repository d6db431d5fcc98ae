// What the benchmark reads back from the simulator: its events and its request log.

/** One entry of GET /__simulator/events. */
export interface SimEvent {
  type: string
  at_simulated: number
  /** ISO time, derived from the simulated time (exact at speed 1). */
  at_real: string
  app?: string
  addon?: string
  detail: string
}

/** One entry of GET /__simulator/requests; status 0 = dropped. */
export interface SimRequest {
  method: string
  path: string
  status: number
  at: string
}

export interface SimulatorLog {
  events: SimEvent[]
  /** Without the simulator's own /__simulator/ paths. */
  requests: SimRequest[]
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`)
  return (await response.json()) as T
}

export async function readSimulatorLog(url: string): Promise<SimulatorLog> {
  const [events, requests] = await Promise.all([
    getJson<SimEvent[]>(`${url}/__simulator/events`),
    getJson<SimRequest[]>(`${url}/__simulator/requests`),
  ])
  return { events, requests: requests.filter((request) => !isIntrospection(request.path)) }
}

export const isIntrospection = (path: string): boolean => path.startsWith('/__simulator/')
export const isGithub = (path: string): boolean => path.startsWith('/repos/')

export interface SimulatorStateSummary {
  lost_writes: number
  apps: Array<{ name: string; maintenance: boolean; database: string | null }>
  addons: Array<{ name: string; version: string }>
}

export function readState(url: string): Promise<SimulatorStateSummary> {
  return getJson<SimulatorStateSummary>(`${url}/__simulator/state`)
}
