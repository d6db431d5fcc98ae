import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, jump } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

interface PlanJson {
  id: string
  name: string
  human_name: string
  price: { cents: number; unit: string }
  state: string
  default: boolean
  installable_inside_private_network: boolean
  installable_outside_private_network: boolean
  compliance: string[] | null
}

const notInstallable = (plan: string) => ({
  id: 'invalid_params',
  message: `Couldn't find either the add-on service or the add-on plan of "heroku-postgresql:${plan}".`,
})

describe('Heroku Postgres plans', () => {
  it('lists the installable plans with price, default and where they install', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const listed = await api('GET', '/addon-services/heroku-postgresql/plans')
    expect(listed.status).toBe(200)
    const plans = listed.body as PlanJson[]
    const names = plans.map((p) => p.name)
    for (const name of ['essential-0', 'essential-1', 'essential-2', 'standard-0', 'standard-2', 'premium-0'])
      expect(names).toContain(`heroku-postgresql:${name}`)
    for (const name of ['private-0', 'shield-0', 'premium-l-9'])
      expect(names).toContain(`heroku-postgresql:${name}`)
    expect(names).not.toContain('heroku-postgresql:mini')
    expect(new Set(plans.map((p) => p.id)).size).toBe(plans.length)
    expect(plans.filter((p) => p.default).map((p) => p.name)).toEqual(['heroku-postgresql:essential-0'])
    const byName = (name: string) => plans.find((p) => p.name === `heroku-postgresql:${name}`)
    expect(byName('standard-0')).toMatchObject({
      human_name: 'Standard 0',
      price: { cents: 5000, unit: 'month' },
      state: 'public',
      default: false,
      installable_inside_private_network: false,
      installable_outside_private_network: true,
      compliance: null,
    })
    expect(byName('private-0')).toMatchObject({
      installable_inside_private_network: true,
      installable_outside_private_network: false,
      compliance: null,
    })
    expect(byName('shield-0')).toMatchObject({
      installable_inside_private_network: true,
      installable_outside_private_network: false,
      compliance: ['HIPAA', 'PCI'],
    })
  })

  it('answers one plan by name, prefixed name or id; 404 for an unknown service or plan', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const one = await api('GET', '/addon-services/heroku-postgresql/plans/standard-0')
    expect(one.body).toMatchObject({ name: 'heroku-postgresql:standard-0' })
    const id = (one.body as PlanJson).id
    expect(
      (await api('GET', '/addon-services/heroku-postgresql/plans/heroku-postgresql:standard-0')).body,
    ).toEqual(one.body)
    expect((await api('GET', `/addon-services/heroku-postgresql/plans/${id}`)).body).toEqual(one.body)
    const service = await api('GET', '/addon-services/heroku-redis/plans')
    expect(service.status).toBe(404)
    expect(service.body).toEqual({
      id: 'not_found',
      message: "Couldn't find that add-on service.",
      resource: 'addon_service',
    })
    expect((await api('GET', '/addon-services/heroku-postgresql/plans/standard-1')).status).toBe(404)
    // The add-on's plan carries the catalogue's id.
    const addon = (await api('GET', '/apps/acme-web/addons/postgresql-curved-12345')).body as {
      plan: { id: string }
    }
    expect(addon.plan.id).toBe(id)
  })

  it('refuses to create an add-on on a plan not in the list, and creates nothing', async () => {
    sim = await frozenSimulator('private-space-migration')
    const api = client(sim)
    for (const plan of ['heroku-postgresql:standard-1', 'standard-1']) {
      const refused = await api('POST', '/apps/acme-ps/addons', {
        plan: { name: plan },
        config: {},
        attachment: {},
      })
      expect(refused.status).toBe(422)
      expect(refused.body).toEqual(notInstallable('standard-1'))
    }
    const legacy = await api('POST', '/apps/acme-cr/addons', {
      plan: 'heroku-postgresql:mini',
      attachment: {},
    })
    expect(legacy.body).toEqual(notInstallable('mini'))
    const other = await api('POST', '/apps/acme-cr/addons', { plan: 'heroku-redis:mini', attachment: {} })
    expect(other.body).toEqual({
      id: 'invalid_params',
      message: 'Couldn\'t find either the add-on service or the add-on plan of "heroku-redis:mini".',
    })
    const addons = (await api('GET', '/addons')).body as unknown[]
    expect(addons).toHaveLength(1)
  })

  it('refuses a plan change to a plan not in the list and keeps the plan', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const refused = await api('PATCH', '/apps/acme-web/addons/postgresql-curved-12345', {
      plan: { name: 'heroku-postgresql:premium-1' },
    })
    expect(refused.status).toBe(422)
    expect(refused.body).toEqual(notInstallable('premium-1'))
    await jump(sim, 120)
    expect((await api('GET', '/apps/acme-web/addons/postgresql-curved-12345')).body).toMatchObject({
      plan: { name: 'heroku-postgresql:standard-0' },
    })
    const changed = await api('PATCH', '/apps/acme-web/addons/postgresql-curved-12345', {
      plan: { name: 'heroku-postgresql:standard-2' },
    })
    // Accepted: a maintenance changes the plan later, so the add-on still shows (and bills) standard-0.
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({
      plan: { name: 'heroku-postgresql:standard-0', price: { cents: 5000 } },
    })
    expect((await api('GET', '/data/maintenances/v1/postgresql-curved-12345')).body).toMatchObject({
      status: 'preparing',
      reason: 'Plan change from heroku-postgresql:standard-0 to heroku-postgresql:standard-2',
    })
  })
})
