import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import {
  followerLevelAllowed,
  levelsBelow,
  smallestPlanFor,
  storageLimitGb,
} from '../../simulator/model/plans.js'
import { client, frozenSimulator, infoValue, type Api } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const GB = 1024 ** 3

/** acme-web with one leader of the given plan and data size (MB), nothing else. */
function leaderScenario(plan: string, dataSizeMb = 512, space: string | null = null) {
  return {
    apps: [
      {
        name: 'acme-web',
        space,
        databases: [
          {
            addon: 'postgresql-curved-12345',
            plan,
            version: '16.9',
            attachments: ['DATABASE'],
            data_size_mb: dataSizeMb,
          },
        ],
      },
    ],
  }
}

const create = (api: Api, plan: string, config: Record<string, unknown>) =>
  api('POST', '/apps/acme-web/addons', {
    plan: { name: `heroku-postgresql:${plan}` },
    config,
    attachment: {},
    confirm: 'acme-web',
  })

const message = (body: unknown) => (body as { message: string }).message

describe('plan levels of a follower', () => {
  it('reproduces the follower table Heroku publishes for Standard plans', () => {
    // Leader → smallest follower Heroku allows.
    const table: [string, string][] = [
      ['0', '0'],
      ['2', '0'],
      ['3', '2'],
      ['4', '3'],
      ['5', '3'],
      ['6', '3'],
      ['7', '3'],
      ['8', '4'],
    ]
    for (const [leader, smallest] of table) {
      expect(smallestPlanFor('standard', 0, `standard-${leader}`)).toBe(`standard-${smallest}`)
    }
    expect(smallestPlanFor('standard', 0, 'standard-10')).toBe('standard-6')
  })

  it('counts at most 4 levels below, and 1 below for the burstable -0 and -2 plans', () => {
    expect(levelsBelow('standard-8', 'standard-4')).toBe(4)
    expect(followerLevelAllowed('standard-8', 'standard-4')).toBe(true)
    expect(followerLevelAllowed('standard-8', 'standard-3')).toBe(false)
    expect(followerLevelAllowed('standard-2', 'standard-0')).toBe(true)
    expect(followerLevelAllowed('standard-3', 'standard-0')).toBe(false)
    expect(followerLevelAllowed('standard-3', 'standard-2')).toBe(true)
    expect(followerLevelAllowed('standard-4', 'standard-2')).toBe(false)
    expect(followerLevelAllowed('standard-0', 'standard-10')).toBe(true)
  })

  it('counts the L and XL variants as levels of their own outside Standard', () => {
    expect(levelsBelow('premium-7', 'premium-6')).toBe(3)
    expect(levelsBelow('standard-7', 'premium-5')).toBe(4)
    expect(followerLevelAllowed('standard-7', 'premium-4')).toBe(false)
    expect(followerLevelAllowed('standard-0', 'private-0')).toBe(true)
  })

  it('has Heroku’s storage limits per plan size, the same in every tier', () => {
    expect(storageLimitGb('standard-0')).toBe(64)
    expect(storageLimitGb('standard-2')).toBe(256)
    expect(storageLimitGb('premium-3')).toBe(512)
    expect(storageLimitGb('private-4')).toBe(768)
    expect(storageLimitGb('shield-5')).toBe(1024)
    expect(storageLimitGb('standard-6')).toBe(1536)
    expect(storageLimitGb('standard-7')).toBe(2048)
    expect(storageLimitGb('essential-0')).toBe(1)
  })

  it('refuses a standard-0 follower of a standard-3 leader, naming the smallest plan allowed', async () => {
    sim = await frozenSimulator(leaderScenario('standard-3'))
    const api = client(sim)
    const refused = await create(api, 'standard-0', { follow: 'DATABASE_URL' })
    expect(refused.status).toBe(422)
    expect(refused.body).toEqual({
      id: 'unprocessable_entity',
      message:
        "Database followers are not supported more than 1 levels below this leader's plan. Please provision at least a standard-2 plan.",
    })
    expect((await create(api, 'standard-2', { follow: 'DATABASE_URL' })).status).toBe(201)
    expect((await create(api, 'standard-8', { follow: 'DATABASE_URL' })).status).toBe(201)
  })

  it('refuses a follower 5 levels below, and lets a fork be on any plan that holds the data', async () => {
    sim = await frozenSimulator(leaderScenario('standard-8'))
    const api = client(sim)
    const refused = await create(api, 'standard-3', { follow: 'DATABASE_URL' })
    expect(refused.status).toBe(422)
    expect(message(refused.body)).toBe(
      "Database followers are not supported more than 4 levels below this leader's plan. Please provision at least a standard-4 plan.",
    )
    expect((await create(api, 'standard-4', { follow: 'DATABASE_URL' })).status).toBe(201)
    expect((await create(api, 'standard-0', { fork: 'DATABASE_URL' })).status).toBe(201)
  })

  it('refuses a follower or fork whose plan cannot hold the leader’s data', async () => {
    sim = await frozenSimulator(leaderScenario('standard-2', 100 * 1024))
    const api = client(sim)
    const info = (await api('GET', '/client/v11/databases/postgresql-curved-12345')).body as {
      num_bytes: number
    }
    expect(info.num_bytes).toBeGreaterThan(64 * GB)
    for (const config of [{ follow: 'DATABASE_URL' }, { fork: 'DATABASE_URL' }]) {
      const refused = await create(api, 'standard-0', config)
      expect(refused.status).toBe(422)
      expect(message(refused.body)).toMatch(
        /^heroku-postgresql:standard-0 is too small for the data of postgresql-curved-12345: it holds 100\.\d GB, more than the 64 GB that heroku-postgresql:standard-0 can store\. The smallest plan that can (follow|hold) it is heroku-postgresql:standard-2\.$/,
      )
    }
    expect((await create(api, 'standard-2', { follow: 'DATABASE_URL' })).status).toBe(201)
  })

  it('names the smallest plan that both fits the data and is close enough to the leader', async () => {
    sim = await frozenSimulator(leaderScenario('standard-5', 600 * 1024))
    const api = client(sim)
    const refused = await create(api, 'standard-3', { follow: 'DATABASE_URL' })
    expect(refused.status).toBe(422)
    expect(message(refused.body)).toContain(
      'more than the 512 GB that heroku-postgresql:standard-3 can store.',
    )
    expect(message(refused.body)).toMatch(
      /The smallest plan that can follow it is heroku-postgresql:standard-4\.$/,
    )
  })

  it('applies the levels across tiers: a private plan following a standard leader', async () => {
    sim = await frozenSimulator(leaderScenario('standard-3', 512, 'acme-space'))
    const api = client(sim)
    const refused = await create(api, 'private-0', { follow: 'DATABASE_URL' })
    expect(refused.status).toBe(422)
    expect(message(refused.body)).toMatch(/Please provision at least a private-2 plan\.$/)
    expect((await create(api, 'private-2', { follow: 'DATABASE_URL' })).status).toBe(201)
  })

  it('words the refusal as Heroku does: a private-0 follower of a private-4 leader', async () => {
    sim = await frozenSimulator(leaderScenario('private-4', 512, 'acme-space'))
    const refused = await create(client(sim), 'private-0', { follow: 'DATABASE_URL' })
    expect(refused.status).toBe(422)
    expect(refused.body).toEqual({
      id: 'unprocessable_entity',
      message:
        "Database followers are not supported more than 1 levels below this leader's plan. Please provision at least a private-3 plan.",
    })
  })

  it('shows the plan’s storage limit in pg:info, in TB from 1 TB up', async () => {
    sim = await frozenSimulator(leaderScenario('standard-6'))
    const info = (await client(sim)('GET', '/client/v11/databases/postgresql-curved-12345')).body
    expect(infoValue(info, 'Data Size')?.[0]).toMatch(/^\d+\.\d MB \/ 1\.5 TB \(In compliance\)$/)
  })
})

describe('the Postgres version of a new database', () => {
  it('answers like the add-on provider for a version outside the supported ones', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const refused = await create(api, 'standard-0', { version: '14' })
    expect(refused.status).toBe(422)
    expect(refused.body).toEqual({
      id: 'unprocessable_entity',
      message:
        'We tried to create heroku-postgresql:standard-0, but received an error from the add-on provider. Try the request again, or log a support ticket and include this message: Unsupported version: 14. We support the following versions: 15, 16, 17, 18',
    })
    expect((await create(api, 'standard-0', { version: '15' })).status).toBe(201)
  })

  it('lists the scenario’s supported versions', async () => {
    sim = await frozenSimulator({
      versions: { supported: ['16', '17'] },
      apps: [{ name: 'acme-web' }],
    })
    const refused = await create(client(sim), 'essential-0', { version: '18' })
    expect(message(refused.body)).toMatch(
      /Unsupported version: 18\. We support the following versions: 16, 17$/,
    )
  })

  it('lets a follower of a database on an unsupported version keep that version', async () => {
    sim = await frozenSimulator('standard-pg14')
    const created = await create(client(sim), 'standard-0', { follow: 'DATABASE_URL', version: '14' })
    expect(created.status).toBe(201)
  })
})
