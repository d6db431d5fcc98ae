import { afterEach, describe, expect, it } from 'vitest'
import { startSimulator, type SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, state } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const scenarioWith = (faults: unknown[]) => ({
  apps: [
    {
      name: 'acme',
      databases: [
        { addon: 'postgresql-big-10002', plan: 'standard-0', version: '16', attachments: ['DATABASE'] },
      ],
    },
  ],
  faults,
})

async function requestLog(s: SimulatorHandle): Promise<{ method: string; path: string; status: number }[]> {
  return (await (await fetch(`${s.url}/__simulator/requests`)).json()) as {
    method: string
    path: string
    status: number
  }[]
}

async function injectFault(s: SimulatorHandle, fault: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${s.url}/__simulator/faults`, { method: 'POST', body: JSON.stringify(fault) })
  return { status: response.status, body: await response.json() }
}

describe('drop_after and delay_seconds faults', () => {
  it('drop_after: the add-on is created, but the client gets no answer', async () => {
    sim = await frozenSimulator(scenarioWith([{ method: 'POST', path: '/apps/*/addons', drop_after: true }]))
    const api = client(sim)
    await expect(
      api('POST', '/apps/acme/addons', {
        plan: { name: 'heroku-postgresql:standard-0' },
        config: {},
        attachment: {},
      }),
    ).rejects.toThrow()
    const addons = (await state(sim)).addons
    expect(addons).toHaveLength(2)
    expect(addons[1]).toMatchObject({ app: 'acme', state: 'provisioning' })
    const created = (await requestLog(sim)).filter((r) => r.path === '/apps/acme/addons')
    expect(created).toEqual([expect.objectContaining({ method: 'POST', status: 201 })])
    // Used up: the next create is answered.
    const next = await api('POST', '/apps/acme/addons', {
      plan: { name: 'heroku-postgresql:standard-0' },
      config: {},
      attachment: {},
    })
    expect(next.status).toBe(201)
  })

  it('delay_seconds: the change takes effect at once, the answer comes late, other requests go on', async () => {
    sim = await frozenSimulator(scenarioWith([]))
    const api = client(sim)
    expect((await injectFault(sim, { method: 'PATCH', path: '/apps/acme', delay_seconds: 1.5 })).status).toBe(
      201,
    )
    const started = Date.now()
    const slow = api('PATCH', '/apps/acme', { maintenance: true }).then((call) => ({
      call,
      ms: Date.now() - started,
    }))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const meanwhile = await api('GET', '/apps/acme')
    expect(meanwhile.status).toBe(200)
    expect(meanwhile.body).toMatchObject({ maintenance: true })
    expect(Date.now() - started).toBeLessThan(1000)
    const { call, ms } = await slow
    expect(call.status).toBe(200)
    expect(call.body).toMatchObject({ name: 'acme', maintenance: true })
    expect(ms).toBeGreaterThanOrEqual(1400)
    const logged = (await requestLog(sim)).filter((r) => !r.path.startsWith('/__simulator/'))
    expect(logged.map((r) => [r.method, r.status])).toEqual([
      ['PATCH', 200],
      ['GET', 200],
    ])
  })

  it('delay_seconds: a client that gave up meanwhile is dropped silently', async () => {
    sim = await frozenSimulator(scenarioWith([{ path: '/account', delay_seconds: 0.5 }]))
    const api = client(sim)
    const abort = new AbortController()
    const gone = fetch(`${sim.url}/account`, {
      headers: { Authorization: 'Bearer sim-heroku-token' },
      signal: abort.signal,
    })
    setTimeout(() => abort.abort(), 100)
    await expect(gone).rejects.toThrow()
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect((await api('GET', '/account')).status).toBe(200)
  })

  it('stops promptly with an answer still delayed', async () => {
    sim = await frozenSimulator(scenarioWith([{ path: '/account', delay_seconds: 30 }]))
    const pending = client(sim)('GET', '/account').catch(() => 'gone')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const started = Date.now()
    await sim.stop()
    sim = undefined
    expect(Date.now() - started).toBeLessThan(1000)
    expect(await pending).toBe('gone')
  })

  it('validates the new keys, naming the bad path', async () => {
    const bad = async (fault: unknown) =>
      startSimulator({ scenario: scenarioWith([fault]), speed: 0 }).then(
        async (s) => {
          await s.stop()
          return 'accepted'
        },
        (error: Error) => error.message,
      )
    expect(await bad({ path: '/x', delay_seconds: -1 })).toContain(
      'faults[0].delay_seconds: expected a non-negative number',
    )
    expect(await bad({ path: '/x', delay_seconds: '31' })).toContain(
      'faults[0].delay_seconds: expected a non-negative number',
    )
    expect(await bad({ path: '/x', drop_after: 'yes' })).toContain(
      'faults[0].drop_after: expected true or false',
    )
    expect(await bad({ path: '/x', drop_after: true, status: 500 })).toContain(
      'faults[0]: expected only one of "status", "drop", "drop_after" and "delay_seconds"',
    )
    expect(await bad({ path: '/x', drop_after: false })).toContain('faults[0]: expected "status"')
    expect(await bad({ path: '/x', delay_seconds: 31, times: 2, method: 'get' })).toBe('accepted')

    sim = await frozenSimulator(scenarioWith([]))
    expect(await injectFault(sim, { path: '/x', delay_seconds: -3 })).toEqual({
      status: 422,
      body: { id: 'invalid_fault', message: 'fault.delay_seconds: expected a non-negative number, got -3' },
    })
    expect(await injectFault(sim, [{ path: '/x', drop_after: true, times: 2 }])).toEqual({
      status: 201,
      body: { added: 1 },
    })
    const listed = (await (await fetch(`${sim.url}/__simulator/faults`)).json()) as { http: unknown[] }
    expect(listed.http).toEqual([
      expect.objectContaining({ path: '/x', drop_after: true, delay_seconds: null, times: 2, method: null }),
    ])
  })
})
