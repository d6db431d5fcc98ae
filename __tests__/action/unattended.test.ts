// Nothing left to fire unattended: a run that stops after Heroku prepared an upgrade or a plan change says
// when Heroku will run it by itself (summary, warning, output), and the simulator does run it then, with the
// app up, when nothing else does. With window-end set, a window that would start before it is moved.
import { describe, expect, it } from 'vitest'
import {
  appAndDatabase,
  cleanUpAfterEachTest,
  FAST,
  job,
  simulator,
  state,
  type Simulator,
} from './simulated'

cleanUpAfterEachTest()

const QUICK = { durations: { plan_change_prepare: 600, upgrade_prepare: 600 } }

/** The simulated clock, as `/__simulator/state` tells it (ISO). */
async function simulatedNow(sim: Simulator): Promise<number> {
  const current = (await state(sim)) as unknown as { clock: { simulated_time?: string; now?: string } }
  return Date.parse(current.clock.simulated_time ?? current.clock.now ?? '')
}

/** Moves the simulated clock to `offsetSeconds` after `at`. */
async function advanceTo(sim: Simulator, at: string, offsetSeconds: number): Promise<void> {
  const seconds = Math.ceil((Date.parse(at) - (await simulatedNow(sim))) / 1000) + offsetSeconds
  const response = await fetch(`${sim.url}/__simulator/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advance_seconds: seconds }),
  })
  expect(response.status).toBe(200)
}

describe('a prepared change is named with the time Heroku runs it by itself', () => {
  it.each([
    [
      'in-place',
      { method: 'in-place' },
      (d: { version: string; plan: string }) => d.version.startsWith('17.'),
    ],
    [
      'plan-change',
      { method: 'plan-change', version: '14', plan: 'standard-2' },
      (d: { version: string; plan: string }) => d.plan.endsWith('standard-2'),
    ],
  ])(
    '%s, phase prepare: the summary, a warning and heroku-runs-at say when; the simulator runs it then',
    async (_, inputs, changed) => {
      const sim = await simulator([], 600, 'standard-pg14', QUICK)
      const prepared = await job(sim, { ...inputs, phase: 'prepare' }).main(FAST)
      expect(prepared.outputs.status).toBe('prepared')
      const runsAt = prepared.outputs['heroku-runs-at'] ?? ''
      expect(runsAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      expect(Date.parse(runsAt)).toBeGreaterThan(await simulatedNow(sim))
      expect(prepared.summary).toContain('### Left for Heroku to run by itself')
      expect(prepared.summary).toContain(`at ${runsAt.slice(0, 16).replace('T', ' ')} UTC`)
      expect(prepared.summary).toMatch(/with the app up and every writer running/)
      expect(prepared.log).toMatch(/::warning::Heroku runs .* by itself at/)
      const { database: before } = await appAndDatabase(sim)
      expect(changed(before)).toBe(false)

      // Not before: five minutes ahead of that time nothing has started.
      await advanceTo(sim, runsAt, -300)
      const early = await appAndDatabase(sim)
      expect(changed(early.database)).toBe(false)
      expect(early.database.upgrade ?? 'none').not.toBe('running')
      // Then: past the start, and past the upgrade (420 simulated seconds) or the changeover it starts.
      await advanceTo(sim, runsAt, 900)
      const { app, database } = await appAndDatabase(sim)
      expect(changed(database)).toBe(true)
      // Heroku ran it with the app up: nobody put it into maintenance.
      expect(app.maintenance).toBe(false)
    },
  )
})

describe('window-end moves a maintenance window that would start before it', () => {
  it('in-place, phase prepare: the window is moved past window-end, and the run says so', async () => {
    const sim = await simulator([], 600, 'standard-pg14', QUICK)
    const now = await simulatedNow(sim)
    const windowEnd = new Date(now + 5 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const prepared = await job(sim, { method: 'in-place', phase: 'prepare', 'window-end': windowEnd }).main(
      FAST,
    )
    expect(prepared.outputs.status).toBe('prepared')
    expect(Date.parse(prepared.outputs['heroku-runs-at'] ?? '')).toBeGreaterThanOrEqual(Date.parse(windowEnd))
    expect(prepared.record?.preparedChange?.moved).toMatch(/started before window-end .* so it was moved to/)
    expect(prepared.summary).toMatch(/This run found that the maintenance window started before window-end/)
  })
})
