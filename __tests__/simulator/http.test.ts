import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { API_KEY, client, frozenSimulator, type Api } from './helpers.js'

let sim: SimulatorHandle
let api: Api

beforeAll(async () => {
  sim = await frozenSimulator('standard-pg14')
  api = client(sim)
})
afterAll(() => sim.stop())

const basic = (user: string, token: string) => `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`

describe('authentication', () => {
  it.each([
    ['missing', null],
    ['wrong bearer', 'Bearer not-the-key'],
    ['wrong basic', basic('', 'not-the-key')],
  ])('answers 401 with Heroku’s body for a %s token', async (_label, auth) => {
    const call = await client(sim, auth)('GET', '/apps/acme-web')
    expect(call.status).toBe(401)
    expect(call.body).toEqual({ id: 'unauthorized', message: 'Invalid credentials provided.' })
    expect(call.headers.get('content-type')).toMatch(/^application\/json/)
  })

  it('accepts Bearer and Basic (any user part)', async () => {
    for (const auth of [`Bearer ${API_KEY}`, basic('', API_KEY), basic('someone@example.com', API_KEY)]) {
      const call = await client(sim, auth)('GET', '/apps/acme-web')
      expect(call.status).toBe(200)
      expect((call.body as { name: string }).name).toBe('acme-web')
    }
  })

  it('sends a Request-Id and JSON content type on every response', async () => {
    const call = await api('GET', '/account')
    expect(call.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(Number(call.headers.get('ratelimit-remaining'))).toBeLessThan(4500)
    expect(call.headers.get('content-type')).toMatch(/^application\/json/)
  })

  it('ignores Range on endpoints that do not return lists', async () => {
    const call = await api(
      'POST',
      '/actions/addon-attachments/resolve',
      { addon_attachment: 'DATABASE_URL', app: 'acme-web' },
      {
        Range: 'id ..; max=1000',
      },
    )
    expect(call.status).toBe(200)
  })
})

describe('apps, maintenance, formation, config vars', () => {
  it('turns maintenance on and off', async () => {
    expect((await api('PATCH', '/apps/acme-web', { maintenance: true })).status).toBe(200)
    expect(((await api('GET', '/apps/acme-web')).body as { maintenance: boolean }).maintenance).toBe(true)
    await api('PATCH', '/apps/acme-web', { maintenance: false })
    expect(((await api('GET', '/apps/acme-web')).body as { maintenance: boolean }).maintenance).toBe(false)
  })

  it('scales with string quantities, signs and sizes, and lists a release process type', async () => {
    const call = await api('PATCH', '/apps/acme-web/formation', {
      updates: [
        { type: 'worker', quantity: '+2' },
        { type: 'clock', quantity: '0', size: 'standard-2x' },
      ],
    })
    expect(call.body).toEqual([
      expect.objectContaining({ type: 'worker', quantity: 3 }),
      expect.objectContaining({ type: 'clock', quantity: 0, size: 'Standard-2X' }),
    ])
    await api('PATCH', '/apps/acme-web/formation', { updates: [{ type: 'worker', quantity: '-2' }] })
    const formation = (await api('GET', '/apps/acme-web/formation')).body as {
      type: string
      quantity: number
    }[]
    expect(formation.find((f) => f.type === 'worker')?.quantity).toBe(1)
    expect(formation.map((f) => f.type)).toContain('release')
    await api('PATCH', '/apps/acme-web/formation', { updates: [{ type: 'clock', quantity: 1 }] })
  })

  it('sets and unsets config vars; DATABASE_URL is a postgres URL', async () => {
    const set = await api('PATCH', '/apps/acme-web/config-vars', { FOO: 'bar' })
    expect(set.body).toMatchObject({ FOO: 'bar' })
    const unset = await api('PATCH', '/apps/acme-web/config-vars', { FOO: null })
    expect(unset.body).not.toHaveProperty('FOO')
    expect((unset.body as Record<string, string>).DATABASE_URL).toMatch(
      /^postgres:\/\/[^:]+:[^@]+@[^:]+:5432\/\w+$/,
    )
  })
})

describe('releases', () => {
  it.each(['version ..; max=2, order=desc', 'version ..; order=desc,max=2'])(
    'honours Range "%s" newest first',
    async (range) => {
      const call = await api('GET', '/apps/acme-web/releases', undefined, { Range: range })
      const versions = (call.body as { version: number }[]).map((r) => r.version)
      expect(versions).toHaveLength(2)
      expect(versions[0]).toBeGreaterThan(versions[1] as number)
      const all = ((await api('GET', '/apps/acme-web/releases')).body as { version: number }[]).map(
        (r) => r.version,
      )
      expect(versions[0]).toBe(Math.max(...all))
    },
  )

  it('lists oldest first without a Range and fetches one release by id', async () => {
    const list = (await api('GET', '/apps/acme-web/releases')).body as { id: string; version: number }[]
    expect(list[0]!.version).toBeLessThan(list[list.length - 1]!.version)
    const one = await api('GET', `/apps/acme-web/releases/${list[0]!.id}`)
    expect(one.body).toMatchObject({ version: list[0]!.version, status: 'succeeded' })
  })

  it('pages with Next-Range when max is smaller than the list', async () => {
    const call = await api('GET', '/apps/acme-web/releases', undefined, { Range: 'version ..; max=1' })
    expect(call.status).toBe(206)
    expect(call.headers.get('next-range')).toMatch(/^version \]\d+\.\.; max=1/)
  })
})

describe('resolvers', () => {
  it('resolves DATABASE_URL with plan and config vars when asked', async () => {
    const call = await api(
      'POST',
      '/actions/addon-attachments/resolve',
      { addon_attachment: 'DATABASE_URL', app: 'acme-web' },
      { 'Accept-Inclusion': 'addon:plan,config_vars', Accept: 'application/vnd.heroku+json; version=3.sdk' },
    )
    expect(call.status).toBe(200)
    expect(call.body).toEqual([
      expect.objectContaining({
        name: 'DATABASE',
        namespace: null,
        config_vars: ['DATABASE_URL'],
        addon: expect.objectContaining({
          name: 'postgresql-curved-12345',
          plan: expect.objectContaining({ name: 'heroku-postgresql:standard-0' }),
        }),
      }),
    ])
  })

  it('leaves plan and config_vars out without Accept-Inclusion', async () => {
    const call = await api('GET', '/apps/acme-web/addon-attachments')
    const first = (call.body as Record<string, unknown>[])[0]!
    expect(first).not.toHaveProperty('config_vars')
    expect(first.addon).not.toHaveProperty('plan')
  })

  it('answers a no-match with the exact 404 bodies', async () => {
    const attachment = await api('POST', '/actions/addon-attachments/resolve', {
      addon_attachment: 'NOPE',
      app: 'acme-web',
    })
    expect(attachment.status).toBe(404)
    expect(attachment.body).toEqual({
      id: 'not_found',
      message: "Couldn't find that add on attachment.",
      resource: 'add_on attachment',
    })
    const app = await api('POST', '/actions/addon-attachments/resolve', {
      addon_attachment: 'DATABASE',
      app: 'no-app',
    })
    expect(app.body).toEqual({ id: 'not_found', message: "Couldn't find that app.", resource: 'app' })
    const addon = await api('POST', '/actions/addons/resolve', { addon: 'postgresql-none-1', app: null })
    expect(addon.status).toBe(404)
    expect(addon.body).toEqual({ id: 'not_found', message: "Couldn't find that add on.", resource: 'add_on' })
  })

  it('resolves an add-on by name with plan and service', async () => {
    const call = await api('POST', '/actions/addons/resolve', {
      addon: 'postgresql-curved-12345',
      app: 'acme-web',
    })
    expect(call.body).toEqual([
      expect.objectContaining({
        name: 'postgresql-curved-12345',
        addon_service: expect.objectContaining({ name: 'heroku-postgresql' }),
        state: 'provisioned',
      }),
    ])
  })

  it('answers an unknown endpoint with a JSON not_found', async () => {
    const call = await api('GET', '/no/such/endpoint')
    expect(call.status).toBe(404)
    expect(call.body).toMatchObject({ id: 'not_found' })
  })
})
