import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { builtInScenario, dynoStates, events, listDynos, scale, type ListedDyno } from './dyno-helpers.js'
import { client, frozenSimulator, jump, state } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

/** The body `heroku run:detached -a acme-web -- rake task` sends. */
const RUN_DETACHED = { attach: false, command: 'rake task', env: { TERM: 'dumb' } }

async function startOneOff(body: Record<string, unknown> = RUN_DETACHED): Promise<ListedDyno> {
  const api = client(sim!)
  const created = await api('POST', '/apps/acme-web/dynos', body)
  expect(created.status).toBe(201)
  return created.body as ListedDyno
}

describe('GET /apps/:app/dynos', () => {
  it('lists the formation dynos with the Platform API fields', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const dynos = await listDynos(api, 'acme-web')
    expect(dynos.map((d) => `${d.name}: ${d.state}`)).toEqual([
      'web.1: up',
      'web.2: up',
      'worker.1: up',
      'clock.1: up',
    ])
    const releases = (await api('GET', '/apps/acme-web/releases')).body as { id: string; version: number }[]
    const current = releases[releases.length - 1]!
    expect(dynos[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'web.1',
      type: 'web',
      size: 'Standard-2X',
      state: 'up',
      command: 'npm start',
      attach_url: null,
      release: { id: current.id, version: current.version },
      app: { id: expect.any(String), name: 'acme-web' },
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    })
  })

  it('finds one dyno by name or id, and answers 404 for an unknown one', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const [web1] = await listDynos(api, 'acme-web')
    expect((await api('GET', '/apps/acme-web/dynos/web.1')).body).toEqual(web1)
    expect((await api('GET', `/apps/acme-web/dynos/${web1!.id}`)).body).toEqual(web1)
    const missing = await api('GET', '/apps/acme-web/dynos/web.9')
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({ id: 'not_found', message: "Couldn't find that dyno.", resource: 'dyno' })
  })
})

describe('formation dynos', () => {
  it('boots new dynos: starting for dyno_boot seconds, then up', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    await scale(api, 'acme-web', { worker: 3 })
    expect(await dynoStates(api, 'acme-web')).toContain('worker.3: starting')
    expect((await dynoStates(api, 'acme-web')).filter((d) => d.startsWith('worker.'))).toEqual([
      'worker.1: up',
      'worker.2: starting',
      'worker.3: starting',
    ])
    await jump(sim, 9.9)
    expect(await dynoStates(api, 'acme-web')).toContain('worker.2: starting')
    await jump(sim, 0.1)
    expect(await dynoStates(api, 'acme-web')).toContain('worker.2: up')
    expect(await dynoStates(api, 'acme-web')).toContain('worker.3: up')
    expect((await events(sim)).filter((e) => e.type === 'dyno-start').map((e) => e.detail)).toEqual([
      'worker.2 starting (Standard-1X): npm run worker',
      'worker.3 starting (Standard-1X): npm run worker',
    ])
  })

  it('hides a scaled-away dyno at once by default while it still runs for dyno_stop (30 s)', async () => {
    sim = await frozenSimulator({ apps: [{ name: 'acme', formation: [{ type: 'worker', quantity: 2 }] }] })
    const api = client(sim)
    const [, worker2] = await listDynos(api, 'acme')
    await scale(api, 'acme', { worker: 1 })
    expect(await dynoStates(api, 'acme')).toEqual(['worker.1: up'])
    expect((await api('GET', '/apps/acme/dynos/worker.2')).status).toBe(404)
    expect((await api('GET', `/apps/acme/dynos/${worker2!.id}`)).status).toBe(404)
    // It still runs: /__simulator/state shows it until it exits.
    const running = async () => ((await state(sim!)).apps[0] as unknown as { dynos: unknown[] }).dynos.length
    await jump(sim, 29)
    expect(await running()).toBe(2)
    await jump(sim, 1)
    expect(await running()).toBe(1)
    expect((await events(sim)).filter((e) => e.type === 'dyno-stop').map((e) => e.detail)).toEqual([
      'worker.2 stopped',
    ])
  })

  it('lists a scaled-away dyno as down under stopping_dynos_listed "down"', async () => {
    sim = await frozenSimulator({
      stopping_dynos_listed: 'down',
      apps: [{ name: 'acme', formation: [{ type: 'worker', quantity: 2 }] }],
    })
    const api = client(sim)
    await scale(api, 'acme', { worker: 1 })
    expect(await dynoStates(api, 'acme')).toEqual(['worker.1: up', 'worker.2: down'])
    expect((await api('GET', '/apps/acme/dynos/worker.2')).body).toMatchObject({ state: 'down' })
    await jump(sim, 30)
    expect(await dynoStates(api, 'acme')).toEqual(['worker.1: up'])
  })

  it('keeps a scaled-away dyno listed as up for dyno_stop seconds under stopping_dynos_listed "up"', async () => {
    sim = await frozenSimulator({
      stopping_dynos_listed: 'up',
      durations: { dyno_stop: 20 },
      apps: [{ name: 'acme', formation: [{ type: 'worker', quantity: 2 }] }],
    })
    const api = client(sim)
    await scale(api, 'acme', { worker: 0 })
    expect(await dynoStates(api, 'acme')).toEqual(['worker.1: up', 'worker.2: up'])
    await jump(sim, 19)
    expect(await dynoStates(api, 'acme')).toEqual(['worker.1: up', 'worker.2: up'])
    await jump(sim, 1)
    expect(await dynoStates(api, 'acme')).toEqual([])
    expect((await events(sim)).filter((e) => e.type === 'dyno-stop').map((e) => e.detail)).toEqual([
      'worker.2 stopped',
      'worker.1 stopped',
    ])
  })

  it('restarts every formation dyno on DELETE /apps/:app/dynos, and one dyno by name', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const oneOff = await startOneOff()
    await jump(sim, 10)
    expect((await api('DELETE', '/apps/acme-web/dynos')).status).toBe(202)
    expect(await dynoStates(api, 'acme-web')).toEqual(
      [
        'clock.1: starting',
        `${oneOff.name}: up`,
        'web.1: starting',
        'web.2: starting',
        'worker.1: starting',
      ].sort(),
    )
    await jump(sim, 10)
    expect((await dynoStates(api, 'acme-web')).every((d) => d.endsWith(': up'))).toBe(true)
    expect((await api('DELETE', '/apps/acme-web/dynos/web.2')).status).toBe(202)
    expect(await dynoStates(api, 'acme-web')).toContain('web.2: starting')
    expect(await dynoStates(api, 'acme-web')).toContain('web.1: up')
  })

  it('shows every dyno and the writes_through attachment in /__simulator/state', async () => {
    sim = await frozenSimulator('standard-pg14')
    await scale(client(sim), 'acme-web', { clock: 0, worker: 2 })
    const app = (await state(sim)).apps[0] as unknown as Record<string, unknown>
    expect(app.writes_through).toBe('DATABASE')
    expect(app.serving_database).toBe('postgresql-curved-12345')
    expect(app.dynos).toEqual([
      { name: 'web.1', type: 'web', state: 'up' },
      { name: 'web.2', type: 'web', state: 'up' },
      { name: 'worker.1', type: 'worker', state: 'up' },
      { name: 'clock.1', type: 'clock', state: 'up' },
      { name: 'worker.2', type: 'worker', state: 'starting' },
    ])
  })
})

describe('one-off dynos', () => {
  it('starts what heroku run:detached sends: run.<digits>, starting, up, then exits after durations.one_off', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const dyno = await startOneOff()
    expect(dyno).toMatchObject({
      name: expect.stringMatching(/^run\.\d{4,5}$/),
      type: 'run',
      size: 'Standard-1X',
      state: 'starting',
      command: 'rake task',
      attach_url: null,
      app: { name: 'acme-web' },
    })
    await jump(sim, 10)
    expect((await api('GET', `/apps/acme-web/dynos/${dyno.name}`)).body).toMatchObject({ state: 'up' })
    await jump(sim, 119)
    expect(await dynoStates(api, 'acme-web')).toContain(`${dyno.name}: up`)
    await jump(sim, 1)
    expect((await api('GET', `/apps/acme-web/dynos/${dyno.name}`)).status).toBe(404)
    const dynoEvents = (await events(sim)).filter((e) => e.type.startsWith('dyno-')).map((e) => e.detail)
    expect(dynoEvents).toEqual([`${dyno.name} starting (Standard-1X): rake task`, `${dyno.name} exited`])
  })

  it('takes type, size and time_to_live', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const dyno = await startOneOff({
      command: 'bin/migrate',
      type: 'worker',
      size: 'performance-l',
      time_to_live: 30,
    })
    expect(dyno).toMatchObject({
      name: expect.stringMatching(/^run\.\d+$/),
      type: 'worker',
      size: 'Performance-L',
    })
    await jump(sim, 29)
    expect((await api('GET', `/apps/acme-web/dynos/${dyno.id}`)).body).toMatchObject({ state: 'up' })
    await jump(sim, 1)
    expect((await api('GET', `/apps/acme-web/dynos/${dyno.id}`)).status).toBe(404)
  })

  it('refuses a dyno without a command', async () => {
    sim = await frozenSimulator('standard-pg14')
    const refused = await client(sim)('POST', '/apps/acme-web/dynos', { attach: false })
    expect(refused.status).toBe(422)
  })

  it('hides a stopped one-off dyno at once by default, while it still runs for its 30 s grace', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const dyno = await startOneOff()
    await jump(sim, 10)
    expect((await api('POST', `/apps/acme-web/dynos/${dyno.name}/actions/stop`)).status).toBe(202)
    expect((await listDynos(api, 'acme-web')).map((d) => d.name)).not.toContain(dyno.name)
    expect((await api('GET', `/apps/acme-web/dynos/${dyno.name}`)).status).toBe(404)
    expect((await api('DELETE', `/apps/acme-web/dynos/${dyno.name}`)).status).toBe(404)
    await jump(sim, 29)
    expect((await events(sim)).filter((e) => e.type === 'dyno-stop')).toEqual([])
    await jump(sim, 1)
    expect((await events(sim)).filter((e) => e.type === 'dyno-stop').map((e) => e.detail)).toEqual([
      `${dyno.name} stopped`,
    ])
  })

  it('stops on POST .../actions/stop and on DELETE after the SIGTERM grace; one still booting never comes up', async () => {
    sim = await frozenSimulator({ ...builtInScenario('standard-pg14'), stopping_dynos_listed: 'up' })
    const api = client(sim)
    const first = await startOneOff()
    const second = await startOneOff()
    expect(first.name).not.toBe(second.name)
    await jump(sim, 10)
    const booting = await startOneOff()
    expect((await api('POST', `/apps/acme-web/dynos/${first.name}/actions/stop`)).status).toBe(202)
    expect((await api('DELETE', `/apps/acme-web/dynos/${second.id}`)).status).toBe(202)
    expect((await api('DELETE', `/apps/acme-web/dynos/${booting.id}`)).status).toBe(202)
    const oneOffs = async () =>
      (await listDynos(api, 'acme-web')).filter((d) => d.type === 'run').map((d) => `${d.name} ${d.state}`)
    expect(await oneOffs()).toEqual([`${first.name} up`, `${second.name} up`, `${booting.name} starting`])
    await jump(sim, 29)
    expect(await oneOffs()).toEqual([`${first.name} up`, `${second.name} up`, `${booting.name} starting`])
    await jump(sim, 1)
    expect(await oneOffs()).toEqual([])
    expect((await api('POST', `/apps/acme-web/dynos/${first.name}/actions/stop`)).status).toBe(404)
    const stops = (await events(sim)).filter((e) => e.type === 'dyno-stop').map((e) => e.detail)
    expect(stops).toEqual([`${first.name} stopped`, `${second.name} stopped`, `${booting.name} stopped`])
  })
})

describe('Heroku Scheduler', () => {
  it('starts a scheduler dyno at first_at_seconds and every every_seconds, each up for run_seconds', async () => {
    sim = await frozenSimulator('scheduler-app')
    const api = client(sim)
    const schedulerDynos = async () =>
      (await listDynos(api, 'acme-web')).filter((d) => d.type === 'scheduler').map((d) => d.state)
    await api('PATCH', '/apps/acme-web', { maintenance: true })
    await jump(sim, 299)
    expect(await schedulerDynos()).toEqual([])
    await jump(sim, 1)
    const [started] = (await listDynos(api, 'acme-web')).filter((d) => d.type === 'scheduler')
    expect(started).toMatchObject({
      name: expect.stringMatching(/^scheduler\.\d{4,5}$/),
      state: 'starting',
      command: 'rake reports:nightly',
    })
    await jump(sim, 10)
    expect(await schedulerDynos()).toEqual(['up'])
    await jump(sim, 90)
    expect(await schedulerDynos()).toEqual([])
    await jump(sim, 500)
    expect(await schedulerDynos()).toEqual(['starting'])
  })
})
