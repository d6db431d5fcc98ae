import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, jump, state } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const scenarioWith = (faults: unknown[]) => ({
  apps: [
    {
      name: 'acme',
      release_phase: true,
      databases: [
        { addon: 'postgresql-big-10002', plan: 'standard-0', version: '16', attachments: ['DATABASE'] },
      ],
    },
  ],
  faults,
})

describe('faults', () => {
  it('answers a declared status N times, then succeeds', async () => {
    sim = await frozenSimulator(
      scenarioWith([{ method: 'GET', path: '/apps/*', status: 429, times: 2, retry_after: 7 }]),
    )
    const api = client(sim)
    for (let i = 0; i < 2; i++) {
      const limited = await api('GET', '/apps/acme')
      expect(limited.status).toBe(429)
      expect(limited.headers.get('retry-after')).toBe('7')
      expect(limited.body).toEqual({
        id: 'rate_limit',
        message:
          'Your account reached the API rate limit\nPlease wait a few minutes before making new requests',
      })
    }
    expect((await api('GET', '/apps/acme')).status).toBe(200)
  })

  it('accepts faults injected while running, with a custom body', async () => {
    sim = await frozenSimulator(scenarioWith([]))
    const api = client(sim)
    const injected = await fetch(`${sim.url}/__simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ method: 'POST', path: '/client/v11/databases/*/upgrade/run', status: 503 }),
    })
    expect(injected.status).toBe(201)
    const failed = await api('POST', '/client/v11/databases/postgresql-big-10002/upgrade/run', {})
    expect(failed.status).toBe(503)
    expect(failed.body).toMatchObject({ id: 'service_unavailable' })
    const bad = await fetch(`${sim.url}/__simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/x' }),
    })
    expect(bad.status).toBe(422)
  })

  it('drops the connection without answering', async () => {
    sim = await frozenSimulator(scenarioWith([{ path: '/account', drop: true }]))
    const api = client(sim)
    await expect(api('GET', '/account')).rejects.toThrow()
    expect((await api('GET', '/account')).status).toBe(200)
    const requests = (await (await fetch(`${sim.url}/__simulator/requests`)).json()) as {
      path: string
      status: number
    }[]
    expect(requests.filter((r) => r.path === '/account').map((r) => r.status)).toEqual([0, 200])
  })

  it('ends a provisioning deprovisioned under provision-fails', async () => {
    sim = await frozenSimulator(scenarioWith([{ type: 'provision-fails' }]))
    const api = client(sim)
    const created = (
      await api('POST', '/apps/acme/addons', {
        plan: 'heroku-postgresql:standard-0',
        config: {},
        attachment: {},
      })
    ).body as { id: string; name: string }
    await jump(sim, 200)
    const gone = await api('GET', `/apps/acme/addons/${created.name}`)
    expect(gone.status).toBe(404)
    const wait = (await api('GET', `/client/v11/databases/${created.id}/wait_status`)).body
    expect(wait).toMatchObject({ 'error?': true })
    expect((await state(sim)).addons.map((a) => a.name)).not.toContain(created.name)
  })

  it('fails the Attach release of a promote under attach-release-fails', async () => {
    sim = await frozenSimulator(scenarioWith([{ type: 'attach-release-fails' }]))
    const api = client(sim)
    const created = (
      await api('POST', '/apps/acme/addons', {
        plan: 'heroku-postgresql:standard-0',
        config: {},
        attachment: {},
      })
    ).body as { name: string }
    await jump(sim, 200)
    // As pg:promote does: an alias first, since the old database's only attachment cannot be replaced.
    await api('POST', '/addon-attachments', {
      addon: { name: 'postgresql-big-10002' },
      app: { name: 'acme' },
      confirm: 'acme',
      namespace: null,
    })
    await jump(sim, 20)
    await api('POST', '/addon-attachments', {
      addon: { name: created.name },
      app: { name: 'acme' },
      confirm: 'acme',
      name: 'DATABASE',
      namespace: null,
    })
    await jump(sim, 20)
    const releases = (
      await api('GET', '/apps/acme/releases', undefined, { Range: 'version ..; max=2, order=desc' })
    ).body as {
      description: string
      status: string
    }[]
    expect(releases.map((r) => [r.description.split(' ')[0], r.status])).toEqual([
      ['Attach', 'failed'],
      ['Detach', 'failed'],
    ])
    const app = (await state(sim)).apps[0] as unknown as { database: string; serving_database: string }
    expect(app.database).toBe(created.name)
    expect(app.serving_database).toBe('postgresql-big-10002')
  })
})
