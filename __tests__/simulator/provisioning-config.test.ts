import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, jump, state, type Api } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const withInclusion = { 'Accept-Inclusion': 'addon:plan,config_vars' }

async function view(api: Api, s: SimulatorHandle, addon: string) {
  const config = (await api('GET', '/apps/acme/config-vars')).body as Record<string, string>
  const rendered = (await api('GET', `/apps/acme/addons/${addon}`)).body as { config_vars: string[] }
  const listed = (await api('GET', '/apps/acme/addon-attachments', undefined, withInclusion)).body as {
    name: string
    addon: { name: string }
    config_vars: string[]
  }[]
  return {
    config: Object.keys(config),
    addonConfigVars: rendered.config_vars,
    attachmentConfigVars: listed.filter((a) => a.addon.name === addon).map((a) => [a.name, a.config_vars]),
    stateNames: (await state(s)).apps[0]?.config_var_names,
  }
}

describe('config vars of a provisioning add-on', () => {
  it('are hidden until it is provisioned, then appear everywhere', async () => {
    sim = await frozenSimulator({ apps: [{ name: 'acme', config_vars: { NODE_ENV: 'production' } }] })
    const api = client(sim)
    const created = await api('POST', '/apps/acme/addons', {
      plan: { name: 'heroku-postgresql:essential-0' },
      config: {},
      attachment: {},
    })
    expect(created.body).toMatchObject({ state: 'provisioning', config_vars: [] })
    const name = (created.body as { name: string }).name

    const during = await view(api, sim, name)
    expect(during.config).toEqual(['NODE_ENV'])
    expect(during.stateNames).toEqual(['NODE_ENV'])
    expect(during.addonConfigVars).toEqual([])
    expect(during.attachmentConfigVars).toEqual([
      ['DATABASE', []],
      [expect.stringMatching(/^HEROKU_POSTGRESQL_[A-Z]+$/), []],
    ])

    await jump(sim, 179)
    expect((await view(api, sim, name)).config).toEqual(['NODE_ENV'])
    await jump(sim, 1)

    const after = await view(api, sim, name)
    const colour = after.attachmentConfigVars[1]?.[0] as string
    expect(after.config).toEqual(['NODE_ENV', 'DATABASE_URL', `${colour}_URL`])
    expect(after.stateNames).toEqual(after.config)
    expect(after.addonConfigVars).toEqual(['DATABASE_URL', `${colour}_URL`])
    expect(after.attachmentConfigVars).toEqual([
      ['DATABASE', ['DATABASE_URL']],
      [colour, [`${colour}_URL`]],
    ])
    const config = (await api('GET', '/apps/acme/config-vars')).body as Record<string, string>
    expect(config.DATABASE_URL).toMatch(/^postgres:\/\//)
    expect(config[`${colour}_URL`]).toBe(config.DATABASE_URL)
  })

  it('an attachment added while provisioning gets its config var at the end too', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const created = (
      await api('POST', '/apps/acme-web/addons', {
        plan: { name: 'heroku-postgresql:standard-0' },
        config: {},
        attachment: { name: 'FOLLOWER' },
      })
    ).body as { name: string }
    const attached = await api('POST', '/addon-attachments', {
      addon: { name: created.name },
      app: { name: 'acme-web' },
      name: 'REPORTING',
    })
    expect(attached.status).toBe(201)
    const names = async () => (await state(sim!)).apps[0]?.config_var_names ?? []
    expect(await names()).not.toContain('FOLLOWER_URL')
    expect(await names()).not.toContain('REPORTING_URL')
    await jump(sim, 180)
    expect(await names()).toEqual(expect.arrayContaining(['DATABASE_URL', 'FOLLOWER_URL', 'REPORTING_URL']))
  })
})

describe('the release of a provisioned add-on', () => {
  it('sets the config vars in a release that runs the release phase, then restarts the dynos', async () => {
    sim = await frozenSimulator({
      durations: { release_phase: 10 },
      apps: [{ name: 'acme', release_phase: true, formation: [{ type: 'web', quantity: 1 }] }],
    })
    const api = client(sim)
    const releases = async () =>
      (
        (await api('GET', '/apps/acme/releases', undefined, { Range: 'version ..; order=desc' })).body as {
          description: string
          status: string
        }[]
      ).map((r) => `${r.description}: ${r.status}`)
    const created = (
      await api('POST', '/apps/acme/addons', {
        plan: { name: 'heroku-postgresql:essential-0' },
        config: {},
        attachment: {},
      })
    ).body as { name: string }
    // Attaching makes releases at once (without the config vars, which provisioning sets).
    expect((await releases()).slice(0, 2)).toEqual([
      expect.stringMatching(/^Attach HEROKU_POSTGRESQL_[A-Z]+ \(@ref:postgresql-[a-z]+-\d+\): pending$/),
      `Attach DATABASE (@ref:${created.name}): pending`,
    ])
    await jump(sim, 180)
    const [latest] = await releases()
    expect(latest).toMatch(/^Update DATABASE, HEROKU_POSTGRESQL_[A-Z]+ by heroku-postgresql: pending$/)
    const web = () =>
      api('GET', '/apps/acme/dynos/web.1').then((r) => r.body as { id: string; state: string })
    const before = await web()
    await jump(sim, 10)
    expect((await releases())[0]).toMatch(/: succeeded$/)
    const after = await web()
    expect(after.state).toBe('starting')
    expect(after.id).not.toBe(before.id)
    const config = (await api('GET', '/apps/acme/releases/v5/config-vars')).body as Record<string, string>
    expect(Object.keys(config)).toContain('DATABASE_URL')
  })
})
