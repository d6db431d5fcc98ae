// verify-command runs as a step of a method's window, or the run refuses it before changing anything: a check
// that could fail is never skipped in silence.
import { describe, expect, it } from 'vitest'
import { appAndDatabase, changesSent, cleanUpAfterEachTest, FAST, job, simulator } from './simulated'

cleanUpAfterEachTest()

/** The replacement is prepared in 60 simulated seconds (0.1 s here) instead of Heroku's hours. */
const QUICK_PREPARE = { durations: { plan_change_prepare: 60 } }

describe('verify-command and plan-change', () => {
  it.each([
    ['plan-change', { method: 'plan-change', version: '15', plan: 'essential-1' }],
    ['auto choosing plan-change', { method: 'auto', version: '15', plan: 'essential-1' }],
  ])('Essential, %s: no window to run it in, refused in preflight, nothing sent', async (_, inputs) => {
    const sim = await simulator([], 600, 'essential-pg15')
    const main = await job(sim, {
      ...inputs,
      app: 'acme-small',
      confirm: 'acme-small',
      'verify-command': 'exit 1',
    }).main(FAST)
    expect(main.outputs.status).toBe('failed')
    expect(main.record?.error).toMatch(
      /Input "verify-command" is set, but method plan-change has no step that runs it/,
    )
    expect(await changesSent(sim)).toEqual([])
    const { database } = await appAndDatabase(sim, 'acme-small')
    expect(database.plan).toMatch(/essential-0$/)
  })

  it('Standard: the check runs in the changeover window; a failed one is reported after the change it cannot undo', async () => {
    const sim = await simulator([], 600, 'standard-pg14', QUICK_PREPARE)
    const before = (await appAndDatabase(sim)).app
    const main = await job(sim, {
      method: 'plan-change',
      version: '14',
      plan: 'standard-2',
      'verify-command': 'echo "checking $HEROKU_APP"; exit 1',
    }).main(FAST)
    expect(main.log).toContain('checking acme-web')
    expect(main.record?.verifyCommand?.verdict).toBe('failed')
    expect(main.outputs.status).toBe('failed')
    expect(main.summary).toMatch(/\*\*Failed after the plan change\*\*: .* on standard-2/)
    const { app, database } = await appAndDatabase(sim)
    expect(database.plan).toMatch(/standard-2$/)
    expect(app.maintenance).toBe(false)
    expect(app.formation).toEqual(before.formation)
  })
})
