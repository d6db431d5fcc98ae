// The three ways teams run the action: plan (read-only, for an approver), prepare (app up) then switch
// (another job or workflow run, finding prepare's work from Heroku alone), and the guards of the window.
import { describe, expect, it } from 'vitest'
import { systemClock, type Clock } from '../../src/runtime/clock'
import {
  appAndDatabase,
  changesSent,
  cleanUpAfterEachTest,
  expectNoSecrets,
  FAST,
  job,
  simulator,
  type Simulator,
} from './simulated'

cleanUpAfterEachTest()

const OLD = 'postgresql-curved-12345'

const mutating = changesSent
const acmeWeb = (sim: Simulator) => appAndDatabase(sim)

describe('phase plan', () => {
  it.each([
    ['follower', {}],
    ['in-place', {}],
    ['copy', {}],
    ['backup-restore', {}],
    ['plan-change', { version: '14', plan: 'standard-2' }],
  ] as const)(
    '%s: changes nothing, and the summary is a plan an approver can decide from',
    async (method, inputs) => {
      const sim = await simulator()
      const result = await job(sim, { method, phase: 'plan', ...inputs }).main(FAST)
      expect(result.record?.error).toBeUndefined()
      expect(result.outputs.status).toBe('planned')
      expect(result.failed).toBe(false)
      expect(await mutating(sim)).toEqual([])
      expect(result.outputs['plan-id']).toMatch(/^p2(-[0-9a-f]{4}){7}$/)
      expect(Number(result.outputs['estimated-downtime-seconds'])).toBeGreaterThan(0)
      expect(result.summary).toContain('**Planned**: nothing was changed on acme-web.')
      expect(result.summary).toContain('### Plan')
      expect(result.summary).toContain(`Plan id \`${result.outputs['plan-id']}\``)
      expect(result.summary).toContain('### Method')
      const planned = result.record!.plan!.steps
      expect(planned.length).toBeGreaterThan(0)
      for (const step of planned) expect(result.summary).toContain(step.title)
      if (method !== 'plan-change') expect(result.summary).toContain('| switch (window) |')
      expectNoSecrets(result)
    },
  )

  it('lists every blocking finding in the plan and fails, still changing nothing', async () => {
    const sim = await simulator()
    const result = await job(sim, {
      method: 'in-place',
      phase: 'plan',
      plan: 'standard-2',
      'scale-down': 'sidekiq',
    }).main(FAST)
    expect(result.outputs.status).toBe('failed')
    expect(result.summary).toContain('**Blocking findings**')
    expect(result.summary).toContain('The method "in-place" keeps the plan')
    expect(result.summary).toContain('Input "scale-down" names process types')
    expect(await mutating(sim)).toEqual([])
  })
})

describe('plan-id', () => {
  it('a run with the approved plan-id goes ahead', async () => {
    const sim = await simulator()
    const planned = await job(sim, { method: 'copy', phase: 'plan' }).main(FAST)
    const run = await job(sim, { method: 'copy', 'plan-id': planned.outputs['plan-id']! }).main(FAST)
    expect(run.record?.error).toBeUndefined()
    expect(run.outputs.status).toBe('succeeded')
    expect((await acmeWeb(sim)).current.lost_writes).toBe(0)
  })

  it('refuses before any change when the database changed since the plan, naming what changed', async () => {
    const sim = await simulator()
    const planned = await job(sim, { phase: 'plan' }).main(FAST)
    const before = (await mutating(sim)).length
    // Someone scales the worker after the approval.
    await fetch(`${sim.url}/apps/acme-web/formation`, {
      method: 'PATCH',
      headers: {
        Authorization: 'Bearer sim-heroku-token',
        'Content-Type': 'application/json',
        Accept: 'application/vnd.heroku+json; version=3',
      },
      body: JSON.stringify({ updates: [{ type: 'worker', quantity: '3' }] }),
    })
    const run = await job(sim, { 'plan-id': planned.outputs['plan-id']! }).main(FAST)
    expect(run.outputs.status).toBe('failed')
    expect(run.log).toContain(`Input "plan-id" is ${planned.outputs['plan-id']}, but the plan made now is`)
    expect(run.log).toMatch(/since it was approved, the formation \(now [^)]*worker=3:/)
    expect((await mutating(sim)).length).toBe(before + 1)
  })
})

describe('prepare, then switch in another workflow run', () => {
  it.each(['follower', 'in-place'] as const)(
    '%s: prepare keeps the app up and stops; switch finds its work on Heroku and finishes',
    async (method) => {
      const sim = await simulator()
      const prepared = await job(sim, { method, phase: 'prepare' }, { GITHUB_RUN_ID: '7001' }).main(FAST)
      expect(prepared.record?.error).toBeUndefined()
      expect(prepared.outputs.status).toBe('prepared')
      expect(prepared.record?.windowOpenedAt).toBeUndefined()
      expect(prepared.summary).toContain('**Prepared**')
      const afterPrepare = await acmeWeb(sim)
      expect(afterPrepare.app.maintenance).toBe(false)
      expect(afterPrepare.database.name).toBe(OLD)

      const switched = await job(sim, { method, phase: 'switch' }, { GITHUB_RUN_ID: '7002' }).main(FAST)
      expect(switched.record?.error).toBeUndefined()
      expect(switched.outputs.status).toBe('succeeded')
      const after = await acmeWeb(sim)
      expect(after.database.version).toMatch(/^17\./)
      expect(after.current.lost_writes).toBe(0)
      const sent = await mutating(sim)
      if (method === 'follower') {
        expect(switched.log).toContain(
          'Taking over acme-web-upgrade-7001, which the prepare phase of workflow run 7001 made.',
        )
        expect(sent.filter((r) => r.method === 'POST' && r.path === '/apps/acme-web/addons')).toHaveLength(1)
        expect(after.database.name).toBe('acme-web-upgrade-7001')
      } else {
        expect(sent.filter((r) => r.path.endsWith('/upgrade/prepare'))).toHaveLength(1)
        expect(switched.record?.steps.find((s) => s.name === 'prepare-upgrade')?.title).toContain(
          'prepared earlier',
        )
      }
    },
  )
})

describe('the window’s guards', () => {
  it('window-end: the window is not opened when the estimate would pass it; the message gives both', async () => {
    const sim = await simulator()
    const end = new Date(Date.now() + 5 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const result = await job(sim, { method: 'in-place', 'window-end': end }).main(FAST)
    expect(result.outputs.status).toBe('failed')
    expect(result.log).toMatch(
      /The window is expected to take about 10m, and window-end \(.*\) is [45]m\d*s? away, so it is not opened/,
    )
    expect(await mutating(sim)).toEqual([])
  })

  it('max-downtime below the estimate: refused before any change', async () => {
    const sim = await simulator()
    const result = await job(sim, { method: 'follower', 'max-downtime': '15m' }).main(FAST)
    expect(result.outputs.status).toBe('failed')
    expect(result.log).toContain(
      'The window is expected to take about 25m, more than max-downtime (15m), so it is not opened.',
    )
    expect(await mutating(sim)).toEqual([])
  })

  it('max-downtime reached mid-window before the point of no return: rolled back, the app as it was', async () => {
    // The action's clock runs at the simulator's speed, so that Heroku's figures (25 minutes for a follower
    // changeover) and the simulated durations are on one time scale.
    const SPEED = 600
    const started = Date.now()
    const clock: Clock = {
      now: () => started + (Date.now() - started) * SPEED,
      random: () => Math.random(),
      sleep: (ms, signal) => systemClock.sleep(ms / SPEED, signal),
    }
    // The follower's upgrade takes an hour: longer than the 30 minutes allowed.
    const sim = await simulator([], SPEED, 'standard-pg14', { durations: { upgrade: 3600 } })
    const before = await acmeWeb(sim)
    const result = await job(sim, {
      method: 'follower',
      'max-downtime': '30m',
      'poll-interval': '60s',
      'catch-up-timeout': '10h',
      'upgrade-timeout': '10h',
      'lag-timeout': '2h',
    }).main({
      ...FAST,
      clock,
      retryPolicy: { baseDelayMs: 20 * SPEED, maxDelayMs: 200 * SPEED, maxTotalMs: 20_000 * SPEED },
    })
    expect(result.outputs.status).toBe('rolled-back')
    expect(result.record?.error).toContain(
      'The window reached max-downtime (30m) before the point of no return',
    )
    const after = await acmeWeb(sim)
    expect(after.database.name).toBe(OLD)
    expect(after.app.formation).toEqual(before.app.formation)
    expect(after.app.maintenance).toBe(false)
    expect(after.current.lost_writes).toBe(0)
    expect(result.summary).toContain('**Rolled back**')
  })
})
