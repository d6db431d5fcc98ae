import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { validateScenario } from '../../simulator/scenario/validate.js'
import { client, frozenSimulator, infoValue, jump, type Api } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const LEADER = 'postgresql-curved-12345'

const create = (api: Api, config: Record<string, unknown>) =>
  api('POST', '/apps/acme-web/addons', {
    plan: { name: 'heroku-postgresql:standard-0' },
    config,
    attachment: {},
  })

const forkFollow = async (api: Api, id: string) =>
  infoValue((await api('GET', `/client/v11/databases/${id}`)).body, 'Fork/Follow')

const NOT_READY = (name: string) =>
  `${name} is not ready to be followed or forked yet: it became a fork (forked, unfollowed, or upgraded from a follower) a short while ago. Wait until heroku pg:info shows "Fork/Follow: Available" for it, then try again.`

/** A follower of acme-web's DATABASE, provisioned and caught up (frozen clock). */
async function caughtUpFollower(api: Api): Promise<{ id: string; name: string }> {
  const created = await create(api, { follow: 'DATABASE_URL' })
  expect(created.status).toBe(201)
  await jump(sim!, 480)
  return created.body as { id: string; name: string }
}

describe('a fresh fork cannot be followed or forked for durations.follow_cooldown', () => {
  it('after pg:unfollow: Fork/Follow is Temporarily Unavailable and follow and fork are refused', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    expect(await forkFollow(api, LEADER)).toEqual(['Available'])
    const follower = await caughtUpFollower(api)
    expect((await api('PUT', `/client/v11/databases/${follower.id}/unfollow`)).status).toBe(200)

    expect(await forkFollow(api, follower.id)).toEqual(['Temporarily Unavailable'])
    for (const config of [{ follow: follower.name }, { fork: follower.name }]) {
      const refused = await create(api, config)
      expect(refused.status).toBe(422)
      expect(refused.body).toEqual({ id: 'unprocessable_entity', message: NOT_READY(follower.name) })
    }
    await jump(sim, 599)
    expect(await forkFollow(api, follower.id)).toEqual(['Temporarily Unavailable'])
    await jump(sim, 1)
    expect(await forkFollow(api, follower.id)).toEqual(['Available'])
    expect((await create(api, { follow: follower.name })).status).toBe(201)
  })

  it('after a fork is provisioned, counted from the end of provisioning', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const fork = (await create(api, { fork: 'DATABASE_URL' })).body as { id: string; name: string }
    await jump(sim, 180)
    expect(await forkFollow(api, fork.id)).toEqual(['Temporarily Unavailable'])
    expect((await create(api, { follow: fork.name })).status).toBe(422)
    await jump(sim, 600)
    expect(await forkFollow(api, fork.id)).toEqual(['Available'])
    expect((await create(api, { follow: fork.name })).status).toBe(201)
  })

  it('after a follower’s upgrade, counted from the end of the upgrade', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const follower = await caughtUpFollower(api)
    await api('POST', `/client/v11/databases/${follower.id}/upgrade/run`, { version: '17' })
    await jump(sim, 420)
    expect(
      infoValue((await api('GET', `/client/v11/databases/${follower.id}`)).body, 'PG Version')?.[0],
    ).toMatch(/^17\./)
    await jump(sim, 599)
    expect(await forkFollow(api, follower.id)).toEqual(['Temporarily Unavailable'])
    expect((await create(api, { follow: follower.name })).status).toBe(422)
    await jump(sim, 1)
    expect(await forkFollow(api, follower.id)).toEqual(['Available'])
  })

  it('takes its length from the scenario', async () => {
    sim = await frozenSimulator({
      apps: [
        {
          name: 'acme-web',
          databases: [{ addon: LEADER, plan: 'standard-0', version: '16', attachments: ['DATABASE'] }],
        },
      ],
      durations: { follow_cooldown: 60 },
    })
    const api = client(sim)
    const follower = await caughtUpFollower(api)
    await api('PUT', `/client/v11/databases/${follower.id}/unfollow`)
    await jump(sim, 60)
    expect(await forkFollow(api, follower.id)).toEqual(['Available'])
  })
})

describe('what else cannot be followed or forked', () => {
  it('a follower cannot be forked', async () => {
    sim = await frozenSimulator('premium-follower-pooler')
    const api = client(sim)
    const refused = await api('POST', '/apps/acme-shop/addons', {
      plan: { name: 'heroku-postgresql:premium-0' },
      config: { fork: 'HEROKU_POSTGRESQL_AMBER_URL' },
      attachment: {},
    })
    expect(refused.status).toBe(422)
    expect((refused.body as { message: string }).message).toBe(
      'postgresql-amber-40214 is a follower; forks can only be made of databases that are not followers.',
    )
  })

  it('a database in the middle of an upgrade', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    await api('POST', `/client/v11/databases/${LEADER}/upgrade/prepare`, { version: '17' })
    // Prepared after upgrade_prepare (600 s); run accepts it upgrade_run_ready_after (300 s) later.
    await jump(sim, 900)
    expect((await api('POST', `/client/v11/databases/${LEADER}/upgrade/run`, {})).status).toBe(200)
    const refused = await create(api, { follow: 'DATABASE_URL' })
    expect(refused.status).toBe(422)
    expect((refused.body as { message: string }).message).toBe(
      `${LEADER} is in the middle of a version upgrade and cannot be followed until the upgrade is complete.`,
    )
  })
})

describe('the follow_cooldown scenario key', () => {
  it('defaults to 600 simulated seconds and must be a non-negative number', () => {
    expect(validateScenario({}, 'test').durations.follow_cooldown).toBe(600)
    expect(validateScenario({ durations: { follow_cooldown: 0 } }, 'test').durations.follow_cooldown).toBe(0)
    expect(() => validateScenario({ durations: { follow_cooldown: -1 } }, 'test')).toThrow(
      'durations.follow_cooldown: expected a non-negative number',
    )
  })
})
