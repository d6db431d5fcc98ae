import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { dynoStates } from './dyno-helpers.js'
import { client, frozenSimulator, state } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

interface FormationEntry {
  id: string
  type: string
  quantity: number
  size: string
  dyno_size: { id: string; name: string }
}

async function formation(sim: SimulatorHandle, app = 'acme-web'): Promise<string[]> {
  const entries = (await client(sim)('GET', `/apps/${app}/formation`)).body as FormationEntry[]
  return entries.map((f) => `${f.type}=${f.quantity}:${f.size}`)
}

const STANDARD_BEFORE = [
  'web=2:Standard-2X',
  'worker=1:Standard-1X',
  'clock=1:Standard-1X',
  'release=0:Standard-1X',
]

describe('PATCH /apps/:app/formation (batch)', () => {
  it('refuses an unknown process type with 404 and applies no part of the batch', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const dynosBefore = await dynoStates(api, 'acme-web')
    const call = await api('PATCH', '/apps/acme-web/formation', {
      updates: [
        { type: 'web', quantity: '0' },
        { type: 'urgent', quantity: '0' },
      ],
    })
    expect(call.status).toBe(404)
    expect(call.body).toEqual({
      id: 'not_found',
      message: "Couldn't find that process type (urgent).",
      resource: 'formation',
    })
    expect(await formation(sim)).toEqual(STANDARD_BEFORE)
    expect(await dynoStates(api, 'acme-web')).toEqual(dynosBefore)
    const events = (await (await fetch(`${sim.url}/__simulator/events`)).json()) as { type: string }[]
    expect(events.filter((e) => e.type === 'formation')).toEqual([])
  })

  it('refuses an unknown dyno size with 422 naming the sizes, and applies no part of the batch', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const call = await api('PATCH', '/apps/acme-web/formation', {
      updates: [
        { type: 'worker', quantity: '3' },
        { type: 'web', quantity: '1', size: 'Hobby' },
      ],
    })
    expect(call.status).toBe(422)
    expect(call.body).toEqual({
      id: 'invalid_params',
      message:
        'No such size as Hobby. Available dyno sizes are Eco, Basic, Standard-1X, Standard-2X, Performance-M, Performance-L, Performance-L-RAM, Performance-XL and Performance-2XL.',
    })
    expect(await formation(sim)).toEqual(STANDARD_BEFORE)
  })

  it('refuses Private sizes outside a space and Standard sizes inside one', async () => {
    sim = await frozenSimulator('private-space-migration')
    const api = client(sim)
    const outside = await api('PATCH', '/apps/acme-cr/formation', {
      updates: [{ type: 'web', quantity: '1', size: 'Private-S' }],
    })
    expect(outside.status).toBe(422)
    expect((outside.body as { message: string }).message).toMatch(/^No such size as Private-S\. /)
    const inside = await api('PATCH', '/apps/acme-ps/formation', {
      updates: [{ type: 'worker', quantity: '1', size: 'standard-2x' }],
    })
    expect(inside.status).toBe(422)
    expect((inside.body as { message: string }).message).toMatch(
      /^No such size as standard-2x\. Available dyno sizes are Private-S, Shield-S, /,
    )
    const fine = await api('PATCH', '/apps/acme-ps/formation', {
      updates: [{ type: 'worker', quantity: '2', size: 'private-l' }],
    })
    expect(fine.status).toBe(200)
    expect(await formation(sim, 'acme-ps')).toContain('worker=2:Private-L')
  })

  it('takes dyno_size as a name, {name} or {id}, and size as the CLI and the action send it', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const byName = await api('PATCH', '/apps/acme-web/formation', {
      updates: [{ type: 'worker', quantity: 1, dyno_size: 'performance-m' }],
    })
    expect(byName.status).toBe(200)
    const [worker] = byName.body as FormationEntry[]
    expect(worker).toMatchObject({ type: 'worker', quantity: 1, size: 'Performance-M' })
    expect(worker?.dyno_size).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Performance-M' })

    const byObject = await api('PATCH', '/apps/acme-web/formation', {
      updates: [
        { type: 'clock', dyno_size: { name: 'Standard-2X' } },
        { type: 'worker', dyno_size: { id: worker?.dyno_size.id } },
      ],
    })
    expect(byObject.status).toBe(200)
    expect((byObject.body as FormationEntry[]).map((f) => `${f.type}:${f.size}`)).toEqual([
      'clock:Standard-2X',
      'worker:Performance-M',
    ])

    // The action's own body: a string quantity and the size it read before.
    const asTheActionSends = await api('PATCH', '/apps/acme-web/formation', {
      updates: [
        { type: 'web', quantity: '0', size: 'Standard-2X' },
        { type: 'worker', quantity: '+1', size: 'standard-1x' },
      ],
    })
    expect(asTheActionSends.status).toBe(200)
    expect(await formation(sim)).toEqual([
      'web=0:Standard-2X',
      'worker=2:Standard-1X',
      'clock=1:Standard-2X',
      'release=0:Standard-1X',
    ])
  })

  it('accepts a formation id as the type', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const entries = (await api('GET', '/apps/acme-web/formation')).body as FormationEntry[]
    const clock = entries.find((f) => f.type === 'clock')!
    const call = await api('PATCH', '/apps/acme-web/formation', {
      updates: [{ type: clock.id, quantity: '0' }],
    })
    expect(call.status).toBe(200)
    expect(((await state(sim)).apps[0]?.formation ?? []).find((f) => f.type === 'clock')?.quantity).toBe(0)
  })
})

describe('PATCH /apps/:app/formation/:type', () => {
  it('updates one type, and refuses an unknown one or an unknown size', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const ok = await api('PATCH', '/apps/acme-web/formation/worker', {
      quantity: 2,
      dyno_size: 'Standard-2X',
    })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ type: 'worker', quantity: 2, size: 'Standard-2X' })
    const unknownType = await api('PATCH', '/apps/acme-web/formation/urgent', { quantity: 1 })
    expect(unknownType.status).toBe(404)
    expect((unknownType.body as { message: string }).message).toBe(
      "Couldn't find that process type (urgent).",
    )
    const unknownSize = await api('PATCH', '/apps/acme-web/formation/web', { quantity: 5, size: '3X' })
    expect(unknownSize.status).toBe(422)
    expect(await formation(sim)).toEqual([
      'web=2:Standard-2X',
      'worker=2:Standard-2X',
      'clock=1:Standard-1X',
      'release=0:Standard-1X',
    ])
  })
})

describe('POST /apps/:app/dynos size', () => {
  it('refuses an unknown size for a one-off dyno', async () => {
    sim = await frozenSimulator('standard-pg14')
    const call = await client(sim)('POST', '/apps/acme-web/dynos', { command: 'rake task', size: 'Free' })
    expect(call.status).toBe(422)
    expect((call.body as { message: string }).message).toMatch(/^No such size as Free\. /)
  })
})
