import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, infoValue, jump, state } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const create = (plan: string, config: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  plan: { name: `heroku-postgresql:${plan}` },
  config,
  attachment: {},
  ...extra,
})

describe('add-ons', () => {
  it('provisions a new database with a HEROKU_POSTGRESQL_<COLOR> attachment and the default version', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const created = await api('POST', '/apps/acme-web/addons', create('standard-0'))
    const addon = created.body as { id: string; name: string; state: string; config_vars: string[] }
    expect(addon.name).toMatch(/^postgresql-[a-z]+-\d{5}$/)
    expect(addon.config_vars).toEqual([])
    const polled = await api('GET', `/apps/acme-web/addons/${addon.name}`)
    expect(polled.body).toMatchObject({ state: 'provisioning' })
    await jump(sim, 180)
    const provisioned = (await api('GET', `/apps/acme-web/addons/${addon.name}`)).body
    expect(provisioned).toMatchObject({ state: 'provisioned' })
    addon.config_vars = (provisioned as { config_vars: string[] }).config_vars
    expect(addon.config_vars).toEqual([expect.stringMatching(/^HEROKU_POSTGRESQL_[A-Z]+_URL$/)])
    const info = (await api('GET', `/client/v11/databases/${addon.id}`)).body
    expect(infoValue(info, 'PG Version')).toEqual(['18.1'])
    // Attaching made a release at once; setting the config var when provisioned made another.
    const releases = (
      await api('GET', '/apps/acme-web/releases', undefined, { Range: 'version ..; max=2, order=desc' })
    ).body as { description: string }[]
    const attachment = addon.config_vars[0]?.replace(/_URL$/, '')
    expect(releases.map((r) => r.description)).toEqual([
      `Update ${attachment} by heroku-postgresql`,
      `Attach ${attachment} (@ref:${addon.name})`,
    ])
  })

  it('refuses unsupported versions, Essential followers, follower chains and private plans outside a space', async () => {
    sim = await frozenSimulator('premium-follower-pooler')
    const api = client(sim)
    expect((await api('POST', '/apps/acme-shop/addons', create('standard-0', { version: '9' }))).status).toBe(
      422,
    )
    expect(
      (await api('POST', '/apps/acme-shop/addons', create('essential-0', { follow: 'DATABASE_URL' }))).status,
    ).toBe(422)
    const chain = await api(
      'POST',
      '/apps/acme-shop/addons',
      create('premium-0', { follow: 'HEROKU_POSTGRESQL_AMBER' }),
    )
    expect(chain.status).toBe(422)
    expect((await api('POST', '/apps/acme-shop/addons', create('private-0'))).status).toBe(422)
  })

  it('asks for confirmation before a non-private plan in a Private Space', async () => {
    sim = await frozenSimulator('private-space-migration')
    const api = client(sim)
    const refused = await api('POST', '/apps/acme-ps/addons', create('standard-0'))
    expect(refused.status).toBe(423)
    expect(refused.body).toEqual({
      id: 'confirmation_required',
      message: 'This add-on is not automatically networked with this Private Space. ',
    })
    expect(
      (await api('POST', '/apps/acme-ps/addons', create('standard-0', {}, { confirm: 'acme-ps' }))).status,
    ).toBe(201)
    const follower = await api(
      'POST',
      '/apps/acme-ps/addons',
      create('private-0', { follow: 'postgresql-looking-24490' }),
    )
    expect(follower.status).toBe(201)
  })

  it('changes a Standard plan through a maintenance (prepare, run, changeover) and refuses leaving Essential', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const patched = await api('PATCH', '/apps/acme-web/addons/postgresql-curved-12345', {
      plan: { name: 'heroku-postgresql:standard-2' },
    })
    // The plan shown stays until the changeover; the replacement is prepared meanwhile (plan_change_prepare).
    expect(patched.body).toMatchObject({ plan: { name: 'heroku-postgresql:standard-0' } })
    const preparing = (await api('GET', '/client/v11/databases/postgresql-curved-12345/wait_status')).body
    expect(preparing).toMatchObject({
      'waiting?': false,
      message: 'preparing the change to heroku-postgresql:standard-2',
    })
    await jump(sim, 7200)
    expect((await api('POST', '/data/maintenances/v1/postgresql-curved-12345/run')).status).toBe(200)
    const waiting = (await api('GET', '/client/v11/databases/postgresql-curved-12345/wait_status')).body
    expect(waiting).toMatchObject({ 'waiting?': true, message: 'changing plan' })
    // standard-pg14 sets durations.plan_change to 60.
    await jump(sim, 60)
    expect(
      (await api('GET', '/client/v11/databases/postgresql-curved-12345/wait_status')).body,
    ).toMatchObject({ 'waiting?': false })
    expect((await api('GET', '/apps/acme-web/addons/postgresql-curved-12345')).body).toMatchObject({
      plan: { name: 'heroku-postgresql:standard-2' },
    })
    const toEssential = await api('PATCH', '/apps/acme-web/addons/postgresql-curved-12345', {
      plan: 'heroku-postgresql:essential-0',
    })
    expect(toEssential.status).toBe(422)
  })

  it('destroys by ids; the add-on then answers 404 and its config var is gone', async () => {
    sim = await frozenSimulator('premium-follower-pooler')
    const api = client(sim)
    const follower = (await api('GET', '/addons/postgresql-amber-40214')).body as {
      id: string
      app: { id: string }
    }
    const destroyed = await api('DELETE', `/apps/${follower.app.id}/addons/${follower.id}`, { force: false })
    expect(destroyed.body).toMatchObject({ state: 'deprovisioned' })
    const gone = await api('GET', `/apps/acme-shop/addons/${follower.id}`)
    expect(gone.status).toBe(404)
    expect(gone.body).toMatchObject({ id: 'not_found' })
    expect((await state(sim)).apps.find((a) => a.name === 'acme-shop')?.config_var_names).not.toContain(
      'HEROKU_POSTGRESQL_AMBER_URL',
    )
  })
})
