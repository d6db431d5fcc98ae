import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { builtInScenario, scale, WINDOW, windowScenario, writtenInWindow } from './dyno-helpers.js'
import { client, frozenSimulator, jump, state, type Api } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

describe('writes while maintenance is on', () => {
  it('web dynos keep writing for maintenance_write_seconds (default 5), then stop', async () => {
    sim = await frozenSimulator(
      windowScenario({ formation: [{ type: 'web', quantity: 2 }], writes_per_second: { web: 20 } }),
    )
    await client(sim)('PATCH', '/apps/acme', { maintenance: true })
    await jump(sim, WINDOW)
    expect(await writtenInWindow(sim)).toBe(20 * 5)
  })

  it('follows the maintenance_write_seconds key', async () => {
    sim = await frozenSimulator(
      windowScenario(
        { formation: [{ type: 'web', quantity: 2 }], writes_per_second: { web: 20 } },
        { maintenance_write_seconds: 12 },
      ),
    )
    const api = client(sim)
    await jump(sim, 100)
    await api('PATCH', '/apps/acme', { maintenance: true })
    await jump(sim, WINDOW)
    expect(await writtenInWindow(sim)).toBe(20 * 12)
    await api('PATCH', '/apps/acme', { maintenance: false })
    await jump(sim, WINDOW)
    expect(await writtenInWindow(sim)).toBe(20 * WINDOW)
  })

  it('workers keep writing whatever the maintenance mode', async () => {
    sim = await frozenSimulator(
      windowScenario({ formation: [{ type: 'worker', quantity: 1 }], writes_per_second: { worker: 3 } }),
    )
    await client(sim)('PATCH', '/apps/acme', { maintenance: true })
    await jump(sim, WINDOW)
    expect(await writtenInWindow(sim)).toBe(3 * WINDOW)
  })
})

/** pg:promote of the follower: unfollowed, the leader kept under an alias, the fork made DATABASE. */
async function moveDatabaseToFollower(api: Api): Promise<void> {
  await api('PUT', '/client/v11/databases/postgresql-window-10002/unfollow')
  const common = { app: { name: 'acme' }, confirm: 'acme', namespace: null }
  await api('POST', '/addon-attachments', { ...common, addon: { name: 'postgresql-leader-10001' } })
  await api('POST', '/addon-attachments', {
    ...common,
    addon: { name: 'postgresql-window-10002' },
    name: 'DATABASE',
  })
}

describe('writes while dynos stop and start', () => {
  const workers = (quantity: number) =>
    windowScenario({ formation: [{ type: 'worker', quantity }], writes_per_second: { worker: 10 } })

  it('a scaled-down worker keeps writing for dyno_stop seconds (default 30, Heroku’s SIGTERM grace)', async () => {
    sim = await frozenSimulator(workers(2))
    await scale(client(sim), 'acme', { worker: 0 })
    await jump(sim, WINDOW)
    expect(await writtenInWindow(sim)).toBe(10 * 30)
  })

  it('a scaled-down worker writes to the database it ran with, even after the app moves to another', async () => {
    sim = await frozenSimulator(workers(1))
    const api = client(sim)
    await scale(api, 'acme', { worker: 0 })
    await jump(sim, 10)
    // The follower becomes a fork and then DATABASE; the stopping worker keeps writing to the leader for the
    // rest of its 30 s.
    await moveDatabaseToFollower(api)
    await jump(sim, 100)
    const s = await state(sim)
    expect((s.apps[0] as unknown as { serving_database: string }).serving_database).toBe(
      'postgresql-window-10002',
    )
    // The follower, WINDOW s behind, held none of the worker's writes: all 30 s of them are missing. Had the
    // stopping worker followed DATABASE, only the 10 s before the unfollow would be.
    expect(s.lost_writes).toBe(10 * 30)
  })

  it('a dyno restarted by the release that moves DATABASE: its old process writes to the database it ran with', async () => {
    sim = await frozenSimulator(workers(1))
    const api = client(sim)
    await jump(sim, 10)
    // The follower becomes a fork and then DATABASE; the release restarts the running worker, whose old
    // process keeps writing to the leader through its 30 s grace (its config is the old one).
    await moveDatabaseToFollower(api)
    await jump(sim, 100)
    // Missing from the fork: the 10 s written before the move (the follower, WINDOW s behind, had none of
    // them) and the old process's 30 s. Had it followed DATABASE, only the first 10 s would be.
    expect((await state(sim)).lost_writes).toBe(10 * 10 + 10 * 30)
  })

  it('shares a type’s rate between its dynos: unchanged when all write, a third while two of three boot', async () => {
    sim = await frozenSimulator(workers(2))
    const api = client(sim)
    await scale(api, 'acme', { worker: 1 })
    await jump(sim, WINDOW)
    expect(await writtenInWindow(sim)).toBe(10 * WINDOW)
    await scale(api, 'acme', { worker: 3 })
    await jump(sim, WINDOW)
    expect(await writtenInWindow(sim)).toBe(Math.floor((10 / 3) * 10 + 10 * (WINDOW - 10)))
  })

  it('a restarted dyno’s old process writes for dyno_stop, the new one once booted', async () => {
    sim = await frozenSimulator({ ...workers(1), durations: { dyno_stop: 5 } })
    await client(sim)('DELETE', '/apps/acme/dynos/worker.1')
    await jump(sim, WINDOW)
    expect(await writtenInWindow(sim)).toBe(10 * (WINDOW - 10 + 5))
  })

  it('with the default 30 s grace, longer than the 10 s boot, a restarted dyno never stops writing', async () => {
    sim = await frozenSimulator(workers(1))
    await client(sim)('DELETE', '/apps/acme/dynos/worker.1')
    await jump(sim, WINDOW)
    expect(await writtenInWindow(sim)).toBe(10 * WINDOW)
  })
})

describe('one-off and scheduler dynos', () => {
  it('a one-off dyno writes writes_per_second.run once up, for durations.one_off', async () => {
    sim = await frozenSimulator(
      windowScenario({ formation: [{ type: 'web', quantity: 1 }], writes_per_second: { run: 2 } }),
    )
    await client(sim)('POST', '/apps/acme/dynos', { command: 'rake task', attach: false })
    await jump(sim, WINDOW)
    expect(await writtenInWindow(sim)).toBe(2 * 120)
  })

  it('scheduler dynos write writes_per_second.scheduler even in maintenance', async () => {
    sim = await frozenSimulator(
      windowScenario({
        formation: [{ type: 'web', quantity: 1 }],
        writes_per_second: { scheduler: 3 },
        scheduler: [{ every_seconds: 600, run_seconds: 90 }],
      }),
    )
    await client(sim)('PATCH', '/apps/acme', { maintenance: true })
    await jump(sim, WINDOW)
    // Runs at 0 and 600: each boots for 10 s, then writes for 90 s.
    expect(await writtenInWindow(sim)).toBe(3 * 90 * 2)
  })
})

/** acme-web of standard-pg14, with one-off dynos that write. */
function standardWithOneOffWrites(): object {
  const scenario = builtInScenario('standard-pg14')
  const app = scenario.apps[0] as { writes_per_second: Record<string, number> }
  app.writes_per_second.run = 2
  return scenario
}

/** Seed 001 by API: follower, maintenance, every process type scaled to 0, unfollow, promote. */
async function followerChangeover(api: Api, during: () => Promise<void>): Promise<string> {
  const follower = (
    await api('POST', '/apps/acme-web/addons', {
      plan: { name: 'heroku-postgresql:standard-0' },
      config: { follow: 'DATABASE_URL' },
      attachment: {},
    })
  ).body as { id: string; name: string }
  await jump(sim!, 480)
  await api('PATCH', '/apps/acme-web', { maintenance: true })
  await scale(api, 'acme-web', { web: 0, worker: 0, clock: 0 })
  await during()
  // The stopped dynos write for their 30 s grace, and the follower replays 5 s behind.
  await jump(sim!, 35)
  await api('PUT', `/client/v11/databases/${follower.id}/unfollow`)
  const common = { app: { name: 'acme-web' }, confirm: 'acme-web', namespace: null }
  await api('POST', '/addon-attachments', { ...common, addon: { name: 'postgresql-curved-12345' } })
  const promoted = await api('POST', '/addon-attachments', {
    ...common,
    addon: { name: follower.name },
    name: 'DATABASE',
  })
  expect(promoted.status).toBe(201)
  await jump(sim!, 10)
  await scale(api, 'acme-web', { web: 2, worker: 1, clock: 1 })
  await api('PATCH', '/apps/acme-web', { maintenance: false })
  await jump(sim!, 200)
  return follower.name
}

describe('a one-off dyno keeps the config it started with', () => {
  it('loses nothing when no one-off dyno runs through the changeover', async () => {
    sim = await frozenSimulator(standardWithOneOffWrites())
    const api = client(sim)
    const follower = await followerChangeover(api, async () => {})
    const s = await state(sim)
    expect((s.apps[0] as unknown as { serving_database: string }).serving_database).toBe(follower)
    expect(s.lost_writes).toBe(0)
  })

  it('keeps writing to the old database after the promote, and those writes are lost', async () => {
    sim = await frozenSimulator(standardWithOneOffWrites())
    const api = client(sim)
    let name = ''
    await followerChangeover(api, async () => {
      name = ((await api('POST', '/apps/acme-web/dynos', { command: 'rake task' })).body as { name: string })
        .name
    })
    // Up 10 s after it started, it wrote for 120 s; the follower replayed its first 20 s (unfollowed 35 s after
    // the start, 5 s of replication lag).
    expect((await api('GET', `/apps/acme-web/dynos/${name}`)).status).toBe(404)
    expect((await state(sim)).lost_writes).toBe(2 * (120 - 20))
  })

  it('a one-off dyno started after the promote writes to the new database', async () => {
    sim = await frozenSimulator(standardWithOneOffWrites())
    const api = client(sim)
    await followerChangeover(api, async () => {})
    await api('POST', '/apps/acme-web/dynos', { command: 'rake task' })
    await jump(sim, 200)
    expect((await state(sim)).lost_writes).toBe(0)
  })
})

describe('writes_through: an app writing through another attachment name', () => {
  it('acme-reports writes through SHOP_DATABASE and its writes follow that attachment', async () => {
    sim = await frozenSimulator('premium-follower-pooler')
    const api = client(sim)
    const reports = async () =>
      (await state(sim!)).apps.find((a) => a.name === 'acme-reports') as unknown as Record<string, unknown>
    expect(await reports()).toMatchObject({
      writes_through: 'SHOP_DATABASE',
      serving_database: 'postgresql-rigid-40213',
      dynos: [{ name: 'web.1', type: 'web', state: 'up' }],
    })

    // acme-shop moves to the follower after stopping its writers; acme-reports keeps writing to the old leader.
    await api('PATCH', '/apps/acme-shop', { maintenance: true })
    await scale(api, 'acme-shop', { web: 0, worker: 0 })
    await jump(sim, 35)
    await api('PUT', '/client/v11/databases/postgresql-amber-40214/unfollow')
    const promote = { addon: { name: 'postgresql-amber-40214' }, confirm: 'acme-shop' }
    await api('POST', '/addon-attachments', {
      ...promote,
      app: { name: 'acme-shop' },
      name: 'DATABASE',
      namespace: null,
    })
    await jump(sim, 60)
    // Nothing of acme-shop's is missing from amber, and rigid still holds all of acme-reports' writes.
    expect((await state(sim)).lost_writes).toBe(0)

    // Pointing SHOP_DATABASE at amber leaves behind what acme-reports wrote to rigid after what amber replayed
    // (unfollowed at 35 s with 5 s of lag, so from 30 s to 95 s).
    await api('POST', '/addon-attachments', {
      addon: { name: 'postgresql-amber-40214' },
      app: { name: 'acme-reports' },
      confirm: 'acme-reports',
      name: 'SHOP_DATABASE',
    })
    expect(await reports()).toMatchObject({ serving_database: 'postgresql-amber-40214' })
    expect((await state(sim)).lost_writes).toBe(5 * 65)
  })

  it('with a release phase, a pending Attach release leaves the dynos on the old add-on', async () => {
    const scenario = builtInScenario('premium-follower-pooler')
    ;(scenario.apps[1] as { release_phase: boolean }).release_phase = true
    sim = await frozenSimulator(scenario)
    const api = client(sim)
    await api('PUT', '/client/v11/databases/postgresql-amber-40214/unfollow')
    await api('POST', '/addon-attachments', {
      addon: { name: 'postgresql-amber-40214' },
      app: { name: 'acme-reports' },
      confirm: 'acme-reports',
      name: 'SHOP_DATABASE',
    })
    const reports = async () =>
      ((await state(sim!)).apps.find((a) => a.name === 'acme-reports') as unknown as Record<string, unknown>)
        .serving_database
    await jump(sim, 9)
    expect(await reports()).toBe('postgresql-rigid-40213')
    await jump(sim, 1)
    expect(await reports()).toBe('postgresql-amber-40214')
  })
})
