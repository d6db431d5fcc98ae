import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator } from './helpers.js'

// Platform API lists come 200 items a page unless the Range asks for another `max` (at most 1,000): 206 Partial
// Content and a Next-Range header while more follow.

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

/** 250 apps, app-001 … app-250. */
const manyApps = {
  apps: Array.from({ length: 250 }, (_, i) => ({ name: `app-${String(i + 1).padStart(3, '0')}` })),
}

describe('paging of Platform API lists', () => {
  it('answers 200 items and a Next-Range by default, then the rest when the client sends it back', async () => {
    sim = await frozenSimulator(manyApps)
    const api = client(sim)
    const first = await api('GET', '/apps')
    expect(first.status).toBe(206)
    const page = first.body as { id: string; name: string }[]
    expect(page).toHaveLength(200)
    expect(page[0]?.name).toBe('app-001')
    const next = first.headers.get('next-range')
    expect(next).toBe(`id ]${page[199]!.id}..; max=200, order=asc`)
    const second = await api('GET', '/apps', undefined, { Range: next! })
    expect(second.status).toBe(200)
    expect(second.headers.get('next-range')).toBeNull()
    expect((second.body as { name: string }[]).map((a) => a.name)).toEqual(
      Array.from({ length: 50 }, (_, i) => `app-${201 + i}`),
    )
  })

  it('honours max up to 1,000, as heroku-client’s first `id ..; max=1000` asks', async () => {
    sim = await frozenSimulator(manyApps)
    const api = client(sim)
    const all = await api('GET', '/apps', undefined, { Range: 'id ..; max=1000' })
    expect(all.status).toBe(200)
    expect(all.body).toHaveLength(250)
    const capped = await api('GET', '/apps', undefined, { Range: 'id ..; max=5000' })
    expect(capped.body).toHaveLength(250)
    const small = await api('GET', '/apps', undefined, { Range: 'name ..; max=100' })
    expect(small.status).toBe(206)
    expect(small.headers.get('next-range')).toBe('name ]app-100..; max=100, order=asc')
  })

  it('pages releases by version, in either order', async () => {
    sim = await frozenSimulator({ apps: [{ name: 'acme' }] })
    const api = client(sim)
    for (let i = 0; i < 205; i++) await api('PATCH', '/apps/acme/config-vars', { COUNTER: String(i) })
    const first = await api('GET', '/apps/acme/releases')
    expect(first.status).toBe(206)
    expect(first.body).toHaveLength(200)
    // The scenario gives the app 2 releases; the 205 config changes make 207.
    const newest = await api('GET', '/apps/acme/releases', undefined, {
      Range: 'version ..; max=5, order=desc',
    })
    expect((newest.body as { version: number }[]).map((r) => r.version)).toEqual([207, 206, 205, 204, 203])
    expect(newest.headers.get('next-range')).toBe('version ]203..; max=5, order=desc')
  })

  it('does not page the Postgres data API', async () => {
    sim = await frozenSimulator({ apps: [{ name: 'acme' }] })
    const api = client(sim)
    const transfers = await api('GET', '/client/v11/apps/acme/transfers', undefined, {
      Range: 'id ..; max=1',
    })
    expect(transfers.status).toBe(200)
    expect(transfers.headers.get('next-range')).toBeNull()
  })
})
