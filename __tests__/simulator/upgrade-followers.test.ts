import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, infoValue, jump, state, type Api } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const LEADER = 'postgresql-rigid-40213'
const FOLLOWER = 'postgresql-amber-40214'
const RECREATING = "recreating the follower after its leader's version upgrade"

const get = async (api: Api, path: string) => (await api('GET', path)).body as Record<string, unknown>
const upgradeStatus = (api: Api, id: string) => get(api, `/client/v11/databases/${id}/upgrade/wait_status`)
const waitStatus = (api: Api, id: string) => get(api, `/client/v11/databases/${id}/wait_status`)
const info = (api: Api, id: string) => get(api, `/client/v11/databases/${id}`)

/** Prepares and runs the leader's upgrade to 17 on the frozen clock (prepare takes 600 s, run is refused 300 s more). */
async function upgradeLeader(api: Api): Promise<void> {
  expect(
    (await api('POST', `/client/v11/databases/${LEADER}/upgrade/prepare`, { version: '17' })).status,
  ).toBe(200)
  await jump(sim!, 900)
  expect((await api('POST', `/client/v11/databases/${LEADER}/upgrade/run`, {})).status).toBe(200)
}

describe('an in-place upgrade of a leader recreates its followers', () => {
  it('keeps the followers unavailable until they are recreated on the new version', async () => {
    sim = await frozenSimulator('premium-follower-pooler')
    const api = client(sim)
    await upgradeLeader(api)

    expect(await waitStatus(api, FOLLOWER)).toEqual({
      'waiting?': true,
      'error?': false,
      message: RECREATING,
    })
    const during = await info(api, FOLLOWER)
    expect(infoValue(during, 'Status')).toEqual(['Unavailable'])
    expect(during).toMatchObject({ 'waiting?': true, available_for_ingress: false })
    expect(infoValue(during, 'PG Version')).toEqual(['16.9'])

    await jump(sim, 420)
    expect(await upgradeStatus(api, LEADER)).toEqual({
      'waiting?': false,
      'error?': false,
      message: 'recreating followers',
      step: '7/7',
    })
    expect(infoValue(await info(api, LEADER), 'PG Version')).toEqual(['17.5'])
    expect((await waitStatus(api, FOLLOWER))['waiting?']).toBe(true)
    expect(infoValue(await info(api, FOLLOWER), 'PG Version')).toEqual(['16.9'])

    await jump(sim, 299)
    expect((await waitStatus(api, FOLLOWER)).message).toBe(RECREATING)
    await jump(sim, 1)
    expect(await waitStatus(api, FOLLOWER)).toMatchObject({ 'waiting?': false, message: 'available' })
    const after = await info(api, FOLLOWER)
    expect(infoValue(after, 'PG Version')).toEqual(['17.5'])
    expect(infoValue(after, 'Status')).toEqual(['Available'])
    expect(after).toMatchObject({ 'waiting?': false, available_for_ingress: true })
    expect((await state(sim)).addons.find((a) => a.name === FOLLOWER)?.following).toBe(LEADER)
  })

  it('brings the followers back on the old version when the leader’s upgrade fails', async () => {
    sim = await frozenSimulator('premium-follower-pooler')
    const api = client(sim)
    await api('POST', '/__simulator/faults', { type: 'upgrade-fails', addon: LEADER, step: 4 })
    await upgradeLeader(api)
    await jump(sim, 420)
    expect(await upgradeStatus(api, LEADER)).toMatchObject({ 'error?': true, step: '4/7' })
    expect((await waitStatus(api, FOLLOWER)).message).toBe(RECREATING)
    await jump(sim, 300)
    expect(await waitStatus(api, FOLLOWER)).toMatchObject({ 'waiting?': false, message: 'available' })
    expect(infoValue(await info(api, FOLLOWER), 'PG Version')).toEqual(['16.9'])
  })
})

describe('upgrade/wait_status while an upgrade is prepared', () => {
  it('waits while preparing, then reports the schedule without waiting', async () => {
    sim = await frozenSimulator('premium-follower-pooler')
    const api = client(sim)
    await api('POST', `/client/v11/databases/${LEADER}/upgrade/prepare`, {})
    expect(await upgradeStatus(api, LEADER)).toEqual({
      'waiting?': true,
      'error?': false,
      message: 'upgrade is being prepared',
    })
    expect(await waitStatus(api, FOLLOWER)).toMatchObject({ 'waiting?': false, message: 'available' })
    await jump(sim, 600)
    const prepared = await upgradeStatus(api, LEADER)
    expect(prepared['waiting?']).toBe(false)
    const scheduled =
      /^upgrade is scheduled on (\S+ \S+) UTC\. You could also run the upgrade immediately using `heroku pg:upgrade:run`\.$/.exec(
        String(prepared.message ?? ''),
      )
    expect(scheduled, String(prepared.message)).not.toBeNull()
    // The simulated clock starts at the real time: the schedule is the default window's first start, three
    // days after the scenario's start, in the future.
    expect(Date.parse(`${scheduled![1]!.replace(' ', 'T')}Z`)).toBeGreaterThan(Date.now() + 23 * 3600_000)
  })
})
