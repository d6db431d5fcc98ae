import { afterEach, describe, expect, it } from 'vitest'
import { HerokuApiError } from '../../src/heroku/errors'
import { rateBudgetFor } from '../../src/runtime/rate-budget'
import { createTransport } from '../../src/heroku/transport'
import type { SimulatorHandle } from '../../simulator/index.js'
import { API_KEY, client, frozenSimulator, GITHUB_TOKEN, jump, type Api, type Call } from './helpers.js'

const RATE_LIMITED = {
  id: 'rate_limit',
  message: 'Your account reached the API rate limit\nPlease wait a few minutes before making new requests',
}

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

async function started(): Promise<{ sim: SimulatorHandle; api: Api }> {
  sim = await frozenSimulator('standard-pg14')
  return { sim, api: client(sim) }
}

const remainingOf = (call: Call): number => Number(call.headers.get('ratelimit-remaining'))

/** Sends `count` requests, fifty at a time; returns the last answer. */
async function spend(api: Api, count: number): Promise<Call> {
  let last: Call | undefined
  for (let sent = 0; sent < count; sent += 50) {
    const batch = Array.from({ length: Math.min(50, count - sent) }, () => api('GET', '/account'))
    last = (await Promise.all(batch)).at(-1)
  }
  return last as Call
}

describe('the API rate limit', () => {
  it('counts every Platform and data API request against one budget of 4,500 per token', async () => {
    const { api } = await started()
    expect(remainingOf(await api('GET', '/account'))).toBe(4_499)
    expect(remainingOf(await api('GET', '/client/v11/databases/postgresql-curved-12345'))).toBe(4_498)
    expect(remainingOf(await api('GET', '/apps/no-such-app'))).toBe(4_497)
  })

  it('never counts introspection or GitHub paths, which carry no RateLimit-Remaining', async () => {
    const { sim, api } = await started()
    const introspection = await fetch(`${sim.url}/__simulator/state`)
    const github = await client(sim, `token ${GITHUB_TOKEN}`)('GET', '/repos/acme/web/issues')
    expect(introspection.headers.get('ratelimit-remaining')).toBeNull()
    expect(github.status).toBe(200)
    expect(github.headers.get('ratelimit-remaining')).toBeNull()
    expect(remainingOf(await api('GET', '/account'))).toBe(4_499)
  })

  it('answers 429 rate_limit once the budget is spent, without consuming a fault, and keeps other tokens apart', async () => {
    const { sim, api } = await started()
    expect(remainingOf(await spend(api, 4_500))).toBe(0)
    const other = await client(sim, 'Bearer another-token')('GET', '/account')
    expect(other.status).toBe(401)
    expect(remainingOf(other)).toBe(4_499)
    await fetch(`${sim.url}/__simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/account', status: 503 }),
    })

    const refused = await api('GET', '/account')
    expect(refused.status).toBe(429)
    expect(refused.body).toEqual(RATE_LIMITED)
    expect(remainingOf(refused)).toBe(0)
    expect(refused.headers.get('retry-after')).toBeNull()

    await jump(sim, 1)
    const faulted = await api('GET', '/account')
    expect(faulted.status).toBe(503)
    expect(remainingOf(faulted)).toBe(0)
    const log = (await (await fetch(`${sim.url}/__simulator/requests`)).json()) as {
      path: string
      status: number
    }[]
    const heroku = log.filter((r) => !r.path.startsWith('/__simulator/'))
    expect(heroku.slice(-3).map((r) => r.status)).toEqual([401, 429, 503])
  })

  it('regains about 75 requests a simulated minute, up to 4,500', async () => {
    const { sim, api } = await started()
    await spend(api, 4_500)
    expect((await api('GET', '/account')).status).toBe(429)

    await jump(sim, 60)
    const regained = await spend(api, 75)
    expect(regained.status).toBe(200)
    expect(remainingOf(regained)).toBe(0)
    expect((await api('GET', '/account')).status).toBe(429)

    await jump(sim, 2 * 3600)
    expect(remainingOf(await api('GET', '/account'))).toBe(4_499)
  })

  it('is what the action’s transport records for its waits to read', async () => {
    const { sim, api } = await started()
    let now = 0
    const http = createTransport({ baseUrl: sim.url, token: API_KEY, clock: clockAt(() => now) })
    const budget = rateBudgetFor(sim.url, API_KEY)
    await http.request({ method: 'GET', path: '/account' })
    expect(budget.remaining(now)).toBe(4_499)
    expect(budget.stretch(now)).toBe(1)

    await spend(api, 4_499)
    const error = await http
      .request({ method: 'GET', path: '/account', retry: false })
      .catch((e: unknown) => e)
    expect((error as HerokuApiError).status).toBe(429)
    expect(budget.remaining(now)).toBe(0)
    expect(budget.stretch(now)).toBe(60)
    now += 60_000
    expect(budget.remaining(now)).toBe(75)
  })
})

function clockAt(now: () => number) {
  return { now, random: () => 0.5, sleep: async () => {} }
}
