// Helpers for the report tests that talk to the simulator's GitHub routes.
import type { SimulatorHandle } from '../../simulator/index'

export const GITHUB_TOKEN = 'sim-github-token'

async function call(sim: SimulatorHandle, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${GITHUB_TOKEN}`,
      Accept: 'application/vnd.github+json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

/** Adds HTTP faults through `POST /__simulator/faults`. */
export async function addFaults(sim: SimulatorHandle, faults: object[]): Promise<void> {
  const response = await call(sim, 'POST', '/__simulator/faults', faults)
  if (response.status !== 201) throw new Error(`adding faults failed: ${await response.text()}`)
}

export interface LoggedRequest {
  method: string
  path: string
  status: number
}

/** The GitHub requests the simulator answered so far (status 0 = dropped). */
export async function githubRequests(sim: SimulatorHandle): Promise<LoggedRequest[]> {
  const all = (await (await call(sim, 'GET', '/__simulator/requests')).json()) as LoggedRequest[]
  return all
    .filter((request) => request.path.startsWith('/repos/'))
    .map(({ method, path, status }) => ({ method, path, status }))
}

/** Opens `count` issues straight through the simulator's API, not through the client under test. */
export async function seedIssues(
  sim: SimulatorHandle,
  repository: string,
  count: number,
  labels: string[],
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await call(sim, 'POST', `/repos/${repository}/issues`, {
      title: `Unrelated issue ${i}`,
      body: `Nothing to do with databases (${i}).`,
      labels,
    })
    if (response.status !== 201) throw new Error(`seeding issues failed: ${await response.text()}`)
  }
}

export async function rawList(sim: SimulatorHandle, path: string): Promise<Response> {
  return call(sim, 'GET', path)
}

export interface StoredIssue {
  repo: string
  number: number
  title: string
  body: string | null
  labels: string[]
  assignees: string[]
  state: string
}

export async function storedIssues(sim: SimulatorHandle, repository: string): Promise<StoredIssue[]> {
  const state = (await (await call(sim, 'GET', '/__simulator/state')).json()) as {
    github_issues: StoredIssue[]
  }
  return state.github_issues.filter((issue) => issue.repo === repository)
}
