import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, infoValue, jump, state, type Api } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

async function createFollower(api: Api): Promise<{ id: string; name: string }> {
  const created = await api('POST', '/apps/acme-web/addons', {
    plan: { name: 'heroku-postgresql:standard-0' },
    config: { follow: 'DATABASE_URL' },
    attachment: {},
  })
  expect(created.status).toBe(201)
  expect(created.body).toMatchObject({
    state: 'provisioning',
    plan: { name: 'heroku-postgresql:standard-0' },
  })
  return created.body as { id: string; name: string }
}

async function waitStatus(api: Api, id: string) {
  return (await api('GET', `/client/v11/databases/${id}/wait_status`)).body as {
    'waiting?': boolean
    message: string
  }
}

/** Steps of seeds 000/003 up to the upgraded follower, with or without stopping the worker and clock. */
async function followerUpgrade(
  scaleDown: boolean,
): Promise<{ api: Api; follower: { id: string; name: string } }> {
  sim = await frozenSimulator('standard-pg14')
  const api = client(sim)
  const follower = await createFollower(api)

  const provisioning = await api('GET', `/client/v11/databases/${follower.id}`)
  expect(provisioning.status).toBe(404)
  expect(provisioning.text).toBe('')
  expect(await waitStatus(api, follower.id)).toMatchObject({ 'waiting?': true, message: 'provisioning' })

  await jump(sim, 180)
  expect((await waitStatus(api, follower.id))['waiting?']).toBe(true)
  await jump(sim, 300)
  expect(await waitStatus(api, follower.id)).toMatchObject({ 'waiting?': false, message: 'available' })

  const info = (await api('GET', `/client/v11/databases/${follower.id}`)).body
  expect(infoValue(info, 'Following')).toHaveLength(1)
  const behind = Number(infoValue(info, 'Behind By')?.[0]?.split(' ')[0])
  expect(behind).toBeGreaterThan(0)
  expect((info as { following: string }).following).toMatch(/^postgres:\/\//)

  await api('PATCH', '/apps/acme-web', { maintenance: true })
  if (scaleDown)
    await api('PATCH', '/apps/acme-web/formation', {
      updates: [
        { type: 'worker', quantity: '0' },
        { type: 'clock', quantity: '0' },
      ],
    })
  // The stopped worker and clock write for their 30 s grace; the follower replays 5 s behind.
  await jump(sim, 35)
  const later = (await api('GET', `/client/v11/databases/${follower.id}`)).body
  if (scaleDown) expect(infoValue(later, 'Behind By')).toEqual(['0 commits'])
  else expect(infoValue(later, 'Behind By')?.[0]).not.toBe('0 commits')

  const run = await api('POST', `/client/v11/databases/${follower.id}/upgrade/run`, { version: '17' })
  expect(run.body).toEqual({
    message: 'Started the upgrade. You can monitor the progress with `heroku pg:upgrade:wait`.',
  })
  const during = (await api('GET', `/client/v11/databases/${follower.id}/upgrade/wait_status`)).body
  expect(during).toMatchObject({ 'waiting?': true, step: '1/7' })
  await jump(sim, 420)
  expect((await api('GET', `/client/v11/databases/${follower.id}/upgrade/wait_status`)).body).toMatchObject({
    'waiting?': false,
    step: '7/7',
  })
  const upgraded = (await api('GET', `/client/v11/databases/${follower.id}`)).body
  expect(infoValue(upgraded, 'PG Version')?.[0]).toMatch(/^17\./)
  expect(infoValue(upgraded, 'Following')).toBeUndefined()
  expect(infoValue(upgraded, 'Forked From')).toHaveLength(1)
  return { api, follower }
}

async function promote(api: Api, addonName: string) {
  const alias = await api('POST', '/addon-attachments', {
    addon: { name: 'postgresql-curved-12345' },
    app: { name: 'acme-web' },
    confirm: 'acme-web',
    namespace: null,
  })
  expect((alias.body as { name: string }).name).toMatch(/^HEROKU_POSTGRESQL_[A-Z]+$/)
  const promoted = await api('POST', '/addon-attachments', {
    addon: { name: addonName },
    app: { name: 'acme-web' },
    confirm: 'acme-web',
    name: 'DATABASE',
    namespace: null,
  })
  expect(promoted.status).toBe(201)
}

describe('follower lifecycle and the lost-writes oracle', () => {
  it('loses nothing when maintenance is on and the worker and clock are scaled down', async () => {
    const { api, follower } = await followerUpgrade(true)
    await promote(api, follower.name)
    const releases = (
      await api('GET', '/apps/acme-web/releases', undefined, { Range: 'version ..; max=5, order=desc' })
    ).body as { description: string; status: string }[]
    expect(releases[0]).toMatchObject({
      description: `Attach DATABASE (@ref:${follower.name})`,
      status: 'pending',
    })
    expect(releases[1]).toMatchObject({
      description: 'Detach DATABASE (@ref:postgresql-curved-12345)',
      status: 'pending',
    })
    await jump(sim!, 10)
    const settled = (
      await api('GET', '/apps/acme-web/releases', undefined, { Range: 'version ..; max=2, order=desc' })
    ).body as { status: string }[]
    expect(settled.map((r) => r.status)).toEqual(['succeeded', 'failed'])

    // The release restarted the web dynos: their old processes keep the old DATABASE_URL through their 30 s
    // grace, so maintenance stays on until they are gone (turned off sooner, they would serve and write there).
    await jump(sim!, 30)
    await api('PATCH', '/apps/acme-web/formation', {
      updates: [
        { type: 'worker', quantity: '1' },
        { type: 'clock', quantity: '1' },
      ],
    })
    await api('PATCH', '/apps/acme-web', { maintenance: false })
    await jump(sim!, 60)
    const s = await state(sim!)
    expect(s.lost_writes).toBe(0)
    expect(s.addons.find((a) => a.name === follower.name)?.attachments).toContain('acme-web::DATABASE')
  })

  it('counts lost writes when a worker keeps running through the switch', async () => {
    const { api, follower } = await followerUpgrade(false)
    await promote(api, follower.name)
    await jump(sim!, 30)
    expect((await state(sim!)).lost_writes).toBeGreaterThan(0)
  })

  it('a follower under the never-catches-up fault keeps waiting and stays behind', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    await fetch(`${sim.url}/__simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ type: 'follower-never-catches-up' }),
    })
    const follower = await createFollower(api)
    await api('PATCH', '/apps/acme-web', { maintenance: true })
    await api('PATCH', '/apps/acme-web/formation', {
      updates: [
        { type: 'worker', quantity: '0' },
        { type: 'clock', quantity: '0' },
      ],
    })
    await jump(sim, 5000)
    expect((await waitStatus(api, follower.id))['waiting?']).toBe(true)
    const info = (await api('GET', `/client/v11/databases/${follower.id}`)).body
    expect(infoValue(info, 'Behind By')?.[0]).not.toBe('0 commits')
  })

  it('pg:unfollow freezes the follower into a fork that the leader lists', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const follower = await createFollower(api)
    await jump(sim, 600)
    expect((await api('PUT', `/client/v11/databases/${follower.id}/unfollow`)).status).toBe(200)
    const info = (await api('GET', `/client/v11/databases/${follower.id}`)).body as {
      following: unknown
      forked_from: unknown
    }
    expect(info.following).toBeNull()
    expect(info.forked_from).toMatch(/^postgres:\/\//)
    const leader = (await api('GET', '/client/v11/databases/postgresql-curved-12345')).body
    expect(infoValue(leader, 'Forks')).toEqual([expect.stringMatching(/^postgres:\/\//)])
    expect(infoValue(leader, 'Followers')).toBeUndefined()
    const again = await api('PUT', `/client/v11/databases/${follower.id}/unfollow`)
    expect(again.status).toBe(422)
  })
})
