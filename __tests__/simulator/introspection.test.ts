import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { countAt, newOrigin, sample } from '../../simulator/model/commits.js'
import { client, frozenSimulator, jump, state, type Api } from './helpers.js'

let sim: SimulatorHandle
let api: Api

beforeAll(async () => {
  sim = await frozenSimulator('standard-pg14')
  api = client(sim)
})
afterAll(() => sim.stop())

describe('introspection', () => {
  it('reports apps, add-ons and the clock without authentication', async () => {
    const s = (await state(sim)) as unknown as Record<string, unknown> & Awaited<ReturnType<typeof state>>
    expect(s.apps[0]).toMatchObject({
      name: 'acme-web',
      maintenance: false,
      config_var_names: ['DATABASE_URL'],
    })
    expect(s.addons[0]).toMatchObject({
      name: 'postgresql-curved-12345',
      plan: 'standard-0',
      version: '14.17',
      state: 'provisioned',
      following: null,
      attachments: ['acme-web::DATABASE'],
    })
    expect(s.clock).toMatchObject({ simulated: expect.any(Number), real: expect.any(Number) })
  })

  it('records the timeline with simulated and real times, and every request', async () => {
    await api('PATCH', '/apps/acme-web', { maintenance: true })
    await api('PATCH', '/apps/acme-web/formation', { updates: [{ type: 'worker', quantity: '0' }] })
    await api('POST', '/apps/acme-web/addons', {
      plan: 'heroku-postgresql:standard-0',
      config: {},
      attachment: {},
    })
    await jump(sim, 200)
    const events = (await (await fetch(`${sim.url}/__simulator/events`)).json()) as {
      type: string
      at_simulated: number
      at_real: string
    }[]
    const types = events.map((e) => e.type)
    expect(types).toEqual(
      expect.arrayContaining(['maintenance-on', 'formation', 'provisioning', 'provisioned']),
    )
    const provisioned = events.find((e) => e.type === 'provisioned')!
    const provisioning = events.find((e) => e.type === 'provisioning')!
    expect(provisioned.at_simulated - provisioning.at_simulated).toBeCloseTo(180, 3)
    expect(Date.parse(provisioned.at_real)).not.toBeNaN()
    const requests = (await (await fetch(`${sim.url}/__simulator/requests`)).json()) as {
      method: string
      path: string
      status: number
    }[]
    expect(requests).toEqual(
      expect.arrayContaining([
        { method: 'PATCH', path: '/apps/acme-web', status: 200, at: expect.any(String) },
      ]),
    )
  })
})

describe('commit counting', () => {
  it('interpolates an origin’s count between samples', () => {
    const origin = newOrigin('o', 0)
    origin.count = 100
    sample(origin, 10)
    origin.count = 100
    sample(origin, 20)
    expect(countAt(origin, 5)).toBeCloseTo(50)
    expect(countAt(origin, 15)).toBe(100)
    expect(countAt(origin, -1)).toBe(0)
  })
})
