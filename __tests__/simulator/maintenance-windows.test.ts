import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { describeWindow, defaultWindow, parseTimeOfDay } from '../../simulator/scenario/file/weekly-window.js'
import { validateScenario } from '../../simulator/scenario/validate.js'
import { client, infoValue, jump, type Api } from './helpers.js'
import { addonState, FIRST_DEFAULT_WINDOW, maintenanceOf, pinnedSimulator } from './maintenance-helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const DB = 'postgresql-curved-12345'
const windowPath = `/data/maintenances/v1/${DB}/window`
const upgradeStatus = async (api: Api) =>
  (await api('GET', `/client/v11/databases/${DB}/upgrade/wait_status`)).body as Record<string, unknown>

describe('maintenance windows', () => {
  it('words windows as Heroku shows them and reads times as the CLI sends them', () => {
    expect(describeWindow({ day: 4, minute: 22 * 60 })).toBe('Thursdays 22:00 to Fridays 02:00 UTC')
    expect(describeWindow({ day: 6, minute: 21 * 60 + 30 })).toBe('Saturdays 21:30 to Sundays 01:30 UTC')
    expect(parseTimeOfDay('1:30PM')).toBe(13 * 60 + 30)
    expect(parseTimeOfDay('12:00 am')).toBe(0)
    expect(parseTimeOfDay('13:15')).toBeNull()
    expect(parseTimeOfDay('24:00')).toBeNull()
    // Three days after the start, on the next whole hour.
    expect(defaultWindow(Date.parse('2026-03-02T10:15:00Z'))).toEqual({ day: 4, minute: 11 * 60 })
    expect(defaultWindow(Date.parse('2026-03-07T23:00:00Z'))).toEqual({ day: 2, minute: 23 * 60 })
    expect(defaultWindow(Date.parse('2026-03-07T23:30:00Z'))).toEqual({ day: 3, minute: 0 })
  })

  it('takes the scenario’s maintenance_window, and validates it with every problem at once', async () => {
    sim = await pinnedSimulator('standard-pg14', (s) => {
      const app = (s.apps as Record<string, unknown>[])[0] as { databases: Record<string, unknown>[] }
      app.databases[0]!.maintenance_window = { day_of_week: 'Sunday', time_of_day: '9:30PM' }
    })
    const api = client(sim)
    expect((await api('GET', windowPath)).body).toEqual({
      window: 'Sundays 21:30 to Mondays 01:30 UTC',
      day_of_week: 'sunday',
      time_of_day: '21:30',
      duration_hours: 4,
    })
    expect(sim.scenario.apps[0]!.databases[0]!.maintenance_window).toEqual({
      day_of_week: 'sunday',
      time_of_day: '21:30',
    })
    const bad = {
      apps: [
        {
          name: 'acme',
          databases: [
            {
              addon: 'postgresql-a-1',
              plan: 'standard-0',
              version: '16',
              maintenance_window: { day_of_week: 'funday', time_of_day: '25:00', length: 4 },
            },
            {
              addon: 'postgresql-b-2',
              plan: 'essential-0',
              version: '16',
              maintenance_window: { day_of_week: 'monday', time_of_day: '02:00' },
            },
          ],
        },
      ],
    }
    let message = ''
    try {
      validateScenario(bad, 'test')
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain(
      'apps[0].databases[0].maintenance_window.day_of_week: expected a day of the week',
    )
    expect(message).toContain(
      'apps[0].databases[0].maintenance_window.time_of_day: expected a UTC time of day',
    )
    expect(message).toContain('apps[0].databases[0].maintenance_window.length: unknown key')
    expect(message).toContain(
      'apps[0].databases[1].maintenance_window: expected no maintenance_window on an Essential-tier plan',
    )
  })

  it('updates through POST …/window, refusing a bad day and time together', async () => {
    sim = await pinnedSimulator('standard-pg14')
    const api = client(sim)
    expect((await api('GET', windowPath)).body).toMatchObject({
      window: 'Thursdays 11:00 to Thursdays 15:00 UTC',
    })
    const refused = await api('POST', windowPath, { day_of_week: 'funday', time_of_day: '13:15' })
    expect(refused.status).toBe(422)
    expect(refused.body).toEqual({
      id: 'invalid_params',
      message:
        'Invalid maintenance window: day_of_week: expected a day of the week, like "thursday", got "funday"; time_of_day: expected a UTC time of day on the hour or half hour, like "22:00" or "1:30PM", got "13:15".',
    })
    const set = await api('POST', windowPath, { day_of_week: 'tuesday', time_of_day: '1:30PM' })
    expect(set.body).toMatchObject({ window: 'Tuesdays 13:30 to Tuesdays 17:30 UTC', time_of_day: '13:30' })
    expect((await maintenanceOf(api, DB)).addon.window).toBe('Tuesdays 13:30 to Tuesdays 17:30 UTC')
    expect((await addonState(sim, DB)).maintenance.window).toBe('Tuesdays 13:30 to Tuesdays 17:30 UTC')
  })

  it('answers 404 for an unknown add-on and 422 for Essential databases', async () => {
    sim = await pinnedSimulator('essential-pg15')
    const api = client(sim)
    expect((await api('GET', '/data/maintenances/v1/postgresql-nope-1/window')).body).toEqual({
      id: 'not_found',
      message: "Couldn't find that add on.",
      resource: 'add_on',
    })
    for (const [method, path] of [
      ['GET', '/data/maintenances/v1/postgresql-silent-20481/window'],
      ['POST', '/data/maintenances/v1/postgresql-silent-20481/run'],
      ['GET', '/data/maintenances/v1/postgresql-silent-20481/history?limit=5'],
    ] as const)
      expect((await api(method, path)).status).toBe(422)
    expect((await api('GET', '/data/maintenances/v1/apps/acme-small')).body).toEqual({ maintenances: [] })
  })

  it('lists an app’s databases with their maintenance, and the history newest first', async () => {
    sim = await pinnedSimulator('premium-follower-pooler')
    const api = client(sim)
    const apps = (await api('GET', '/data/maintenances/v1/apps/acme-shop')).body as {
      maintenances: { addon: { name: string }; status: string }[]
    }
    expect(apps.maintenances.map((m) => [m.addon.name, m.status])).toEqual([
      ['postgresql-rigid-40213', 'none'],
      ['postgresql-amber-40214', 'none'],
    ])
    const leader = 'postgresql-rigid-40213'
    expect((await api('POST', `/data/maintenances/v1/${leader}/run`)).body).toEqual({
      id: 'unprocessable_entity',
      message: `${leader} has no maintenance to run.`,
    })
    for (const plan of ['premium-2', 'premium-3']) {
      await api('PATCH', `/apps/acme-shop/addons/${leader}`, { plan: { name: `heroku-postgresql:${plan}` } })
      await jump(sim, 7200)
      await api('POST', `/data/maintenances/v1/${leader}/run`)
      await jump(sim, 60)
    }
    const history = (await api('GET', `/data/maintenances/v1/${leader}/history/?limit=5`)).body as {
      maintenances: { reason: string; status: string }[]
    }
    expect(history.maintenances.map((m) => m.reason)).toEqual([
      'Plan change from heroku-postgresql:premium-2 to heroku-postgresql:premium-3',
      'Plan change from heroku-postgresql:premium-0 to heroku-postgresql:premium-2',
    ])
    expect((await api('GET', `/data/maintenances/v1/${leader}/history?limit=1`)).body).toMatchObject({
      maintenances: [{ status: 'completed' }],
    })
    expect((await api('GET', `/data/maintenances/v1/${leader}/history?limit=21`)).status).toBe(422)
  })
})

describe('a prepared in-place upgrade and the maintenance window', () => {
  it('says it is scheduled before run accepts it, for the next window start', async () => {
    sim = await pinnedSimulator('standard-pg14')
    const api = client(sim)
    await api('POST', `/client/v11/databases/${DB}/upgrade/prepare`, { version: '17' })
    await jump(sim, 600)
    expect(await upgradeStatus(api)).toEqual({
      'waiting?': false,
      'error?': false,
      message:
        'upgrade is scheduled on 2026-03-05 11:00:00 UTC. You could also run the upgrade immediately using `heroku pg:upgrade:run`.',
    })
    const notYet = await api('POST', `/client/v11/databases/${DB}/upgrade/run`, {})
    expect(notYet.status).toBe(400)
    expect((notYet.body as { message: string }).message).toMatch(/^Your database is not ready for upgrade/)
    await jump(sim, 299)
    expect((await api('POST', `/client/v11/databases/${DB}/upgrade/run`, {})).status).toBe(400)
    await jump(sim, 1)
    expect((await api('POST', `/client/v11/databases/${DB}/upgrade/run`, {})).status).toBe(200)
  })

  it('runs by itself at the window start, with the app up and its writes refused meanwhile', async () => {
    sim = await pinnedSimulator('standard-pg14')
    const api = client(sim)
    await api('POST', `/client/v11/databases/${DB}/upgrade/prepare`, { version: '17' })
    expect(await addonState(sim, DB)).toMatchObject({
      upgrade: 'scheduled',
      upgrade_scheduled_for: '2026-03-05T11:00:00Z',
    })
    await jump(sim, FIRST_DEFAULT_WINDOW - 1)
    expect((await addonState(sim, DB)).upgrade).toBe('scheduled')
    const refusedBefore = (await addonState(sim, DB)).refused_writes
    await jump(sim, 1)
    expect(await upgradeStatus(api)).toMatchObject({ 'waiting?': true, step: '1/7' })
    await jump(sim, 60)
    expect((await addonState(sim, DB)).refused_writes - refusedBefore).toBeGreaterThanOrEqual(26 * 60 - 1)
    await jump(sim, 360)
    const state = await addonState(sim, DB)
    expect(state).toMatchObject({ upgrade: 'done', version: '17.5' })
    expect(infoValue((await api('GET', `/client/v11/databases/${DB}`)).body, 'PG Version')).toEqual(['17.5'])
    const lost = (await (await fetch(`${sim.url}/__simulator/state`)).json()) as { lost_writes: number }
    expect(lost.lost_writes).toBe(0)
  })

  it('follows the window when it changes, and a canceled upgrade never runs', async () => {
    sim = await pinnedSimulator('standard-pg14')
    const api = client(sim)
    await api('POST', `/client/v11/databases/${DB}/upgrade/prepare`, { version: '17' })
    await api('POST', windowPath, { day_of_week: 'monday', time_of_day: '09:00' })
    expect((await addonState(sim, DB)).upgrade_scheduled_for).toBe('2026-03-09T09:00:00Z')
    await jump(sim, FIRST_DEFAULT_WINDOW + 60)
    expect((await addonState(sim, DB)).upgrade).toBe('scheduled')
    await api('POST', `/client/v11/databases/${DB}/upgrade/cancel`, {})
    await jump(sim, 7 * 86400)
    expect(await addonState(sim, DB)).toMatchObject({ upgrade: null, version: '14.17' })
  })
})
