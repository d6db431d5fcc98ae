// Whatever can still write to the old database during the window: process types left running, web
// dynos behind maintenance mode, one-off and Scheduler dynos, and other apps attached to the database.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { appState, cleanUpAfterEachTest, FAST, job, requestsOf, simulator, state } from './simulated'

const OLD = 'postgresql-curved-12345'
cleanUpAfterEachTest()

describe('writers left running during the window', () => {
  it.each([
    ['none', /acme-web process types left running \(web=2:\S+, worker=1:\S+, clock=1:\S+\)/],
    ['web,worker', /acme-web process types left running \(clock=1:\S+\)/],
  ])(
    'scale-down %s: the window is bounded by lag-timeout, rolls back and names the writers',
    async (scaleDown, named) => {
      const sim = await simulator()
      const before = (await appState(sim)).app
      const main = await job(sim, { 'scale-down': scaleDown, 'lag-timeout': '3s' }).main(FAST)
      expect(main.outputs.status).toBe('rolled-back')
      expect(main.record?.error).toMatch(/lag-timeout is 3s/)
      expect(main.record?.error).toMatch(named)
      expect(main.log).toMatch(/scale-down leaves .* running during the window/)
      const { app, current } = await appState(sim)
      expect(app.formation).toEqual(before.formation)
      expect(app.maintenance).toBe(false)
      expect(app.database).toBe(OLD)
      expect(current.lost_writes).toBe(0)
    },
  )

  it('scales web down too, and turns maintenance off only once web dynos are up again', async () => {
    const sim = await simulator()
    const main = await job(sim).main(FAST)
    expect(main.outputs.status).toBe('succeeded')
    const events = (await (await fetch(`${sim.url}/__simulator/events`)).json()) as Array<{
      at_simulated: number
      type: string
      detail: string
    }>
    const webUp = events.find((e) => e.type === 'formation' && /^web 0:\S+ → 2:/.test(e.detail))
    const off = [...events].reverse().find((e) => e.type === 'maintenance-off')
    expect(webUp).toBeDefined()
    expect(off!.at_simulated).toBeGreaterThanOrEqual(webUp!.at_simulated + 10)
    expect((await state(sim)).lost_writes).toBe(0)
  })
})

describe('one-off dynos, which maintenance mode does not stop', () => {
  it('a Scheduler job that starts during the window is stopped before it runs; no write lost', async () => {
    const app = {
      ...JSON.parse(
        readFileSync(new URL('../../simulator/scenarios/scheduler-app.json', import.meta.url), 'utf8'),
      ).apps[0],
      scheduler: [{ every_seconds: 30, run_seconds: 20, first_at_seconds: 0 }],
    }
    const sim = await simulator([], 10, 'scheduler-app', {
      apps: [app],
      // A job boots for 30 simulated seconds (3 s here): time enough, even on a loaded machine, to be seen
      // while still starting and stopped before it writes.
      durations: { provision: 10, follower_catch_up: 10, upgrade: 60, release_phase: 5, dyno_boot: 30 },
    })
    const before = (await appState(sim)).app
    const main = await job(sim).main(FAST)
    expect(main.outputs.status).toBe('succeeded')
    expect(main.record?.warnings.join('\n')).toMatch(
      /acme-web scheduler\.\d+ started (during the window|while the app was down) and was stopped/,
    )
    const after = await appState(sim)
    expect(after.current.lost_writes).toBe(0)
    expect(after.app.formation).toEqual(before.formation)
    expect(after.app.serving_database).toBe(after.app.database)
  }, 60_000)
})

describe('the watch on one-off dynos', () => {
  const scheduled = (job: Record<string, number>) => ({
    ...JSON.parse(
      readFileSync(new URL('../../simulator/scenarios/scheduler-app.json', import.meta.url), 'utf8'),
    ).apps[0],
    scheduler: [job],
  })
  const events = async (sim: Awaited<ReturnType<typeof simulator>>) =>
    (await (await fetch(`${sim.url}/__simulator/events`)).json()) as Array<{ type: string; at_real: string }>
  const at = (list: Array<{ type: string; at_real: string }>, type: string) =>
    Date.parse(list.find((event) => event.type === type)!.at_real)

  it('in-place keeps none: a Scheduler job during the upgrade can only reach the database being upgraded; no write lost', async () => {
    const sim = await simulator([], 10, 'scheduler-app', {
      apps: [scheduled({ every_seconds: 20, run_seconds: 60, first_at_seconds: 0 })],
      durations: { upgrade_prepare: 10, upgrade_run_ready_after: 10, upgrade: 80, dyno_boot: 2 },
    })
    const main = await job(sim, { method: 'in-place' }).main(FAST)
    expect(main.outputs.status).toBe('succeeded')
    const list = await events(sim)
    const started = at(list, 'upgrade-start')
    const ended = at(list, 'upgrade-end')
    const jobs = list.filter(
      (event) =>
        event.type === 'dyno-start' &&
        Date.parse(event.at_real) > started &&
        Date.parse(event.at_real) < ended,
    )
    expect(jobs.length).toBeGreaterThan(0)
    const requests = (await (await fetch(`${sim.url}/__simulator/requests`)).json()) as Array<{
      method: string
      path: string
      at: string
    }>
    const looks = requests.filter((request) => {
      const t = Date.parse(request.at)
      return request.path.endsWith('/dynos') && t > started + 100 && t < ended
    })
    expect(looks).toEqual([])
    expect((await state(sim)).lost_writes).toBe(0)
  }, 60_000)

  it('looks at the dynos every 5 s while a follower upgrades, however often it asks for the status', async () => {
    const sim = await simulator([], 10, 'standard-pg14', {
      durations: { provision: 10, follower_catch_up: 10, upgrade: 100, release_phase: 5 },
    })
    const main = await job(sim, { 'poll-interval': '2s' }).main(FAST)
    expect(main.outputs.status).toBe('succeeded')
    const list = await events(sim)
    const started = at(list, 'upgrade-start')
    const ended = at(list, 'upgrade-end')
    const requests = (await (await fetch(`${sim.url}/__simulator/requests`)).json()) as Array<{
      path: string
      at: string
    }>
    const during = (suffix: string) =>
      requests.filter((request) => {
        const t = Date.parse(request.at)
        return request.path.endsWith(suffix) && t > started && t < ended
      }).length
    // 10 s of upgrade at one look per 5 s: 3 at most; the status is asked more often near the end.
    expect(during('/dynos')).toBeLessThanOrEqual(3)
    expect(during('/dynos')).toBeGreaterThanOrEqual(2)
    expect(during('/upgrade/wait_status')).toBeGreaterThan(during('/dynos'))
    expect((await state(sim)).lost_writes).toBe(0)
  }, 60_000)
})

describe('another app attached to the database', () => {
  it("refuses another app's database as the target, before any change", async () => {
    const sim = await simulator([], 600, 'premium-follower-pooler')
    const main = await job(sim, {
      app: 'acme-reports',
      confirm: 'acme-reports',
      database: 'SHOP_DATABASE',
    }).main(FAST)
    expect(main.outputs.status).toBe('failed')
    expect(main.record?.error).toMatch(/acme-reports has no DATABASE attachment/)
    expect((await requestsOf(sim)).filter((r) => r.method !== 'GET' && !r.path.includes('/resolve'))).toEqual(
      [],
    )
  })

  it('stops the other app during the window and moves its attachment with DATABASE: no write lost', async () => {
    const sim = await simulator([], 600, 'premium-follower-pooler')
    const reportsBefore = (await state(sim)).apps.find((a) => a.name === 'acme-reports')!
    const main = await job(sim, { app: 'acme-shop', confirm: 'acme-shop' }).main(FAST)
    expect(main.outputs.status).toBe('succeeded')
    const after = await state(sim)
    const shop = after.apps.find((a) => a.name === 'acme-shop')!
    const reports = after.apps.find((a) => a.name === 'acme-reports')!
    const created = after.addons.find((a) => a.name === shop.database)!
    expect(created.attachments).toContain('acme-reports::SHOP_DATABASE')
    expect(reports.serving_database).toBe(created.name)
    expect(reports.formation).toEqual(reportsBefore.formation)
    expect(reports.maintenance).toBe(reportsBefore.maintenance)
    expect(after.lost_writes).toBe(0)
    expect(main.log).toMatch(/acme-reports: maintenance on, web=0/)
  })
})
