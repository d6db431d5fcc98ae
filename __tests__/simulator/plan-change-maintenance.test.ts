import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { maintenanceInfoEntries } from '../../simulator/model/maintenances.js'
import { client, infoValue, jump, type Api } from './helpers.js'
import {
  addonState,
  eventTypes,
  FIRST_DEFAULT_WINDOW,
  maintenanceOf,
  pinnedSimulator,
} from './maintenance-helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const DB = 'postgresql-curved-12345'
const PREPARE = 7200
const CHANGEOVER = 45

/** standard-pg14 at START with the default plan-change durations. */
async function start(): Promise<Api> {
  sim = await pinnedSimulator('standard-pg14', (s) => {
    const durations = s.durations as Record<string, number>
    delete durations.plan_change
    delete durations.plan_change_prepare
  })
  return client(sim)
}

const changePlan = (api: Api, plan = 'standard-2') =>
  api('PATCH', `/apps/acme-web/addons/${DB}`, { plan: { name: `heroku-postgresql:${plan}` } })
const config = async (api: Api) =>
  (await api('GET', '/apps/acme-web/config-vars')).body as Record<string, string>
const waitStatus = async (api: Api) =>
  (await api('GET', `/client/v11/databases/${DB}/wait_status`)).body as Record<string, unknown>

describe('a Standard plan change is a data maintenance', () => {
  it('answers the PATCH with the old plan and a message, then prepares while the database stays available', async () => {
    const api = await start()
    const patched = await changePlan(api)
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({
      plan: { name: 'heroku-postgresql:standard-0', price: { cents: 5000 } },
    })
    expect((patched.body as { provision_message: string }).provision_message).toContain(
      'Thursdays 11:00 to Thursdays 15:00 UTC',
    )
    expect(await maintenanceOf(api, DB)).toMatchObject({
      status: 'preparing',
      scheduled_for: null,
      reason: 'Plan change from heroku-postgresql:standard-0 to heroku-postgresql:standard-2',
      addon: {
        plan: 'standard-0',
        window: 'Thursdays 11:00 to Thursdays 15:00 UTC',
        kind: 'heroku-postgresql',
      },
      app: { name: 'acme-web' },
    })
    expect(await waitStatus(api)).toEqual({
      'waiting?': false,
      'error?': false,
      message: 'preparing the change to heroku-postgresql:standard-2',
    })
    const info = (await api('GET', `/client/v11/databases/${DB}`)).body
    expect(infoValue(info, 'Status')).toEqual(['Available'])
    expect(infoValue(info, 'Plan')).toEqual(['Standard 0'])

    const early = await api('POST', `/data/maintenances/v1/${DB}/run`)
    expect(early.status).toBe(422)
    expect((early.body as { message: string }).message).toMatch(/is not ready to run yet/)
    const again = await changePlan(api, 'standard-3')
    expect(again.status).toBe(422)
    expect((again.body as { message: string }).message).toMatch(
      /already has a plan change to heroku-postgresql:standard-2/,
    )
    const prepare = await api('POST', `/client/v11/databases/${DB}/upgrade/prepare`, { version: '17' })
    expect(prepare.status).toBe(422)
    expect((prepare.body as { message: string }).message).toMatch(
      /is scheduled for maintenance and can't be upgraded/,
    )
  })

  it('is ready after plan_change_prepare, scheduled for the next window start; run changes over read-only', async () => {
    const api = await start()
    const before = (await config(api)).DATABASE_URL
    const releasesBefore = ((await api('GET', '/apps/acme-web/releases')).body as unknown[]).length
    await changePlan(api)
    await jump(sim!, PREPARE - 1)
    expect((await maintenanceOf(api, DB)).status).toBe('preparing')
    await jump(sim!, 1)
    const ready = await maintenanceOf(api, DB)
    expect(ready).toMatchObject({
      status: 'ready',
      scheduled_for: '2026-03-05T11:00:00Z',
      required_by: '2026-03-19T11:00:00Z',
      window: 'Thursdays 11:00 to Thursdays 15:00 UTC',
    })
    expect(maintenanceInfoEntries(sim!.world, sim!.world.store.findAddon(DB)!)).toEqual([
      { name: 'Maintenance', values: ['scheduled for 2026-03-05 11:00 UTC'] },
      { name: 'Maintenance window', values: ['Thursdays 11:00 to Thursdays 15:00 UTC'] },
    ])
    expect((await waitStatus(api)).message).toBe(
      'change to heroku-postgresql:standard-2 scheduled for 2026-03-05 11:00:00 UTC; run heroku data:maintenances:run to change over sooner',
    )
    expect(await addonState(sim!, DB)).toMatchObject({
      plan: 'standard-0',
      maintenance: { status: 'ready', scheduled_for: '2026-03-05T11:00:00Z', target_plan: 'standard-2' },
    })

    const run = await api('POST', `/data/maintenances/v1/${DB}/run`)
    expect(run.status).toBe(200)
    expect(run.body).toMatchObject({ status: 'running', started_at: '2026-03-02T12:15:00Z' })
    expect(await waitStatus(api)).toEqual({ 'waiting?': true, 'error?': false, message: 'changing plan' })
    expect((await api('POST', `/data/maintenances/v1/${DB}/run`)).status).toBe(422)
    await jump(sim!, CHANGEOVER - 1)
    // The dynos kept writing and every write was refused: failed, not lost.
    const during = await addonState(sim!, DB)
    expect(during.plan).toBe('standard-0')
    expect(during.refused_writes).toBeGreaterThanOrEqual(26 * (CHANGEOVER - 1) - 1)

    await jump(sim!, 1)
    const done = await maintenanceOf(api, DB)
    expect(done).toMatchObject({
      status: 'completed',
      completed_at: '2026-03-02T12:15:45Z',
      duration_seconds: '45',
      addon: { plan: 'standard-2' },
    })
    const after = await addonState(sim!, DB)
    expect(after).toMatchObject({ plan: 'standard-2', version: '14.18' })
    expect((await api('GET', `/apps/acme-web/addons/${DB}`)).body).toMatchObject({
      plan: { name: 'heroku-postgresql:standard-2' },
    })
    expect(await waitStatus(api)).toMatchObject({ 'waiting?': false, message: 'available' })
    const url = (await config(api)).DATABASE_URL
    expect(url).not.toBe(before)
    expect(url).toMatch(/^postgres:\/\/u\w+:p\w+@ec2-[\d-]+\.compute-1\.sim\.invalid:5432\/d\w+$/)
    const releases = (await api('GET', '/apps/acme-web/releases')).body as { description: string }[]
    expect(releases).toHaveLength(releasesBefore + 1)
    expect(releases[releases.length - 1]!.description).toBe('Update DATABASE by heroku-postgresql')
    const types = await eventTypes(sim!)
    for (const type of [
      'plan-change-start',
      'maintenance-scheduled',
      'maintenance-started',
      'plan-change-end',
      'credentials-rotated',
      'maintenance-completed',
    ])
      expect(types).toContain(type)
    const state = (await (await fetch(`${sim!.url}/__simulator/state`)).json()) as { lost_writes: number }
    expect(state.lost_writes).toBe(0)
  })

  it('runs by itself at the window start when nobody ran it', async () => {
    const api = await start()
    await changePlan(api)
    await jump(sim!, FIRST_DEFAULT_WINDOW - 1)
    expect((await maintenanceOf(api, DB)).status).toBe('ready')
    await jump(sim!, 1)
    expect(await maintenanceOf(api, DB)).toMatchObject({
      status: 'running',
      started_at: '2026-03-05T11:00:00Z',
    })
    await jump(sim!, CHANGEOVER)
    expect(await addonState(sim!, DB)).toMatchObject({
      plan: 'standard-2',
      maintenance: { status: 'completed' },
    })
  })

  it('moves by whole weeks with schedule, no later than required_by and never into the past', async () => {
    const api = await start()
    const none = await api('POST', `/data/maintenances/v1/${DB}/schedule`, { delay_weeks: '1' })
    expect(none.status).toBe(422)
    await changePlan(api)
    await jump(sim!, PREPARE)
    const moved = await api('POST', `/data/maintenances/v1/${DB}/schedule`, { delay_weeks: '1' })
    expect(moved.body).toMatchObject({
      scheduled_for: '2026-03-12T11:00:00Z',
      previously_scheduled_for: '2026-03-05T11:00:00Z',
    })
    const tooLate = await api('POST', `/data/maintenances/v1/${DB}/schedule`, { delay_weeks: 2 })
    expect(tooLate.status).toBe(422)
    expect((tooLate.body as { message: string }).message).toMatch(/is required by 2026-03-19 11:00:00 UTC/)
    const past = await api('POST', `/data/maintenances/v1/${DB}/schedule`, { delay_weeks: '-2' })
    expect(past.status).toBe(422)
    const bad = await api('POST', `/data/maintenances/v1/${DB}/schedule`, { delay_weeks: 'soon' })
    expect(bad.body).toMatchObject({ id: 'invalid_params' })
    // The original window start passes without a run; the new one runs it.
    await jump(sim!, FIRST_DEFAULT_WINDOW - PREPARE + 60)
    expect((await maintenanceOf(api, DB)).status).toBe('ready')
    await jump(sim!, 7 * 86400 - 60)
    expect((await maintenanceOf(api, DB)).status).toBe('running')
  })

  it('keeps followers following the leader on its new server, and rotates every attachment’s URL', async () => {
    sim = await pinnedSimulator('premium-follower-pooler')
    const api = client(sim)
    const leader = 'postgresql-rigid-40213'
    const follower = 'postgresql-amber-40214'
    const shop = (await api('GET', '/apps/acme-shop/config-vars')).body as Record<string, string>
    const reports = (await api('GET', '/apps/acme-reports/config-vars')).body as Record<string, string>
    await api('PATCH', `/apps/acme-shop/addons/${leader}`, { plan: { name: 'heroku-postgresql:premium-2' } })
    await jump(sim, PREPARE)
    await api('POST', `/data/maintenances/v1/${leader}/run`)
    await jump(sim, 60)
    const shopAfter = (await api('GET', '/apps/acme-shop/config-vars')).body as Record<string, string>
    const reportsAfter = (await api('GET', '/apps/acme-reports/config-vars')).body as Record<string, string>
    for (const key of ['DATABASE_URL', 'DATABASE_CONNECTION_POOL_URL', 'ANALYST_URL'])
      expect(shopAfter[key]).not.toBe(shop[key])
    expect(shopAfter.HEROKU_POSTGRESQL_AMBER_URL).toBe(shop.HEROKU_POSTGRESQL_AMBER_URL)
    expect(reportsAfter.SHOP_DATABASE_URL).not.toBe(reports.SHOP_DATABASE_URL)
    const followerInfo = (await api('GET', `/client/v11/databases/${follower}`)).body as { following: string }
    expect(followerInfo.following).toBe(shopAfter.DATABASE_URL)
    expect(await addonState(sim, follower)).toMatchObject({ maintenance: { status: 'none' } })
  })

  it('leaves Essential plan changes quick and without a maintenance', async () => {
    sim = await pinnedSimulator('essential-pg15')
    const api = client(sim)
    const patched = await api('PATCH', '/apps/acme-small/addons/postgresql-silent-20481', {
      plan: { name: 'heroku-postgresql:essential-1' },
    })
    expect(patched.body).toMatchObject({ plan: { name: 'heroku-postgresql:essential-1' } })
    expect((patched.body as Record<string, unknown>).provision_message).toBeUndefined()
    const maintenance = await api('GET', '/data/maintenances/v1/postgresql-silent-20481')
    expect(maintenance.status).toBe(422)
    expect((maintenance.body as { message: string }).message).toMatch(
      /Essential databases have no maintenance/,
    )
  })
})
