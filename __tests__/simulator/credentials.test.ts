import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, jump } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

interface CredentialJson {
  name: string
  state: string
  database: string
  host: string
  port: number
  credentials: { user: string; password?: string; state: string }[]
}

describe('named credentials', () => {
  it('creates one that is provisioning for durations.credential_create, then active and listed', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const created = await api('POST', '/postgres/v0/databases/postgresql-curved-12345/credentials', {
      name: 'reporter',
    })
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({ name: 'reporter', state: 'provisioning', credentials: [] })

    const one = async () =>
      (await api('GET', '/postgres/v0/databases/postgresql-curved-12345/credentials/reporter'))
        .body as CredentialJson
    expect((await one()).credentials).toEqual([])
    await jump(sim, 30)
    const active = await one()
    expect(active).toMatchObject({ name: 'reporter', state: 'active', port: 5432 })
    expect(active.credentials).toEqual([
      {
        user: expect.stringMatching(/^u/),
        password: expect.stringMatching(/^p/),
        state: 'active',
        connections: 0,
      },
    ])

    const list = (await api('GET', '/postgres/v0/databases/postgresql-curved-12345/credentials'))
      .body as CredentialJson[]
    expect(list.map((c) => `${c.name} ${c.state}`)).toEqual(['default active', 'reporter active'])
    expect(list[1]?.credentials[0]).not.toHaveProperty('password')
    const events = (await (await fetch(`${sim.url}/__simulator/events`)).json()) as {
      type: string
      detail: string
    }[]
    expect(events.filter((e) => e.type === 'credential-created').map((e) => e.detail)).toEqual([
      'postgresql-curved-12345 credential reporter',
    ])
  })

  it('shows the default credential with its password, and 404s an unknown one', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const config = (await api('GET', '/apps/acme-web/config-vars')).body as Record<string, string>
    const url = new URL(config.DATABASE_URL!)
    const call = await api('GET', '/postgres/v0/databases/postgresql-curved-12345/credentials/default')
    expect(call.body).toMatchObject({
      name: 'default',
      state: 'active',
      database: url.pathname.slice(1),
      host: url.hostname,
      credentials: [{ user: url.username, password: url.password, state: 'active' }],
    })
    const missing = await api('GET', '/postgres/v0/databases/postgresql-curved-12345/credentials/nobody')
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({
      id: 'not_found',
      message: "Couldn't find that credential.",
      resource: 'credential',
    })
  })

  it('refuses Essential databases, followers, a taken name and a bad name', async () => {
    sim = await frozenSimulator('essential-pg15')
    const essential = await client(sim)(
      'POST',
      '/postgres/v0/databases/postgresql-silent-20481/credentials',
      {
        name: 'reporter',
      },
    )
    expect(essential.status).toBe(422)
    expect((essential.body as { message: string }).message).toMatch(/Essential-tier/)
    await sim.stop()

    sim = await frozenSimulator('premium-follower-pooler')
    const api = client(sim)
    const follower = await api('POST', '/postgres/v0/databases/postgresql-amber-40214/credentials', {
      name: 'x',
    })
    expect(follower.status).toBe(422)
    expect((follower.body as { message: string }).message).toMatch(/follower/)
    const taken = await api('POST', '/postgres/v0/databases/postgresql-rigid-40213/credentials', {
      name: 'analyst',
    })
    expect(taken.status).toBe(422)
    expect((taken.body as { message: string }).message).toBe(
      'The credential analyst already exists on postgresql-rigid-40213.',
    )
    const bad = await api('POST', '/postgres/v0/databases/postgresql-rigid-40213/credentials', {
      name: 'Bad Name',
    })
    expect(bad.status).toBe(422)
    expect(bad.body).toMatchObject({ id: 'invalid_params' })
    const none = await api('POST', '/postgres/v0/databases/postgresql-rigid-40213/credentials', {})
    expect(none.status).toBe(422)
    const list = (await api('GET', '/postgres/v0/databases/postgresql-rigid-40213/credentials'))
      .body as CredentialJson[]
    expect(list.map((c) => c.name)).toEqual(['default', 'analyst'])
  })
})

describe('data links', () => {
  it('lists none, and 404s an unknown database', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const links = await api('GET', '/client/v11/databases/postgresql-curved-12345/links')
    expect(links.status).toBe(200)
    expect(links.body).toEqual([])
    expect((await api('GET', '/client/v11/databases/postgresql-nope-00000/links')).status).toBe(404)
  })
})
