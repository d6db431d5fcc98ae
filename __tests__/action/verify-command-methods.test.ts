// verify-command runs as a step of a method's window, or the run refuses it before changing anything: a check
// that could fail is never skipped in silence.
import { describe, expect, it } from 'vitest'
import { appAndDatabase, changesSent, cleanUpAfterEachTest, FAST, job, simulator } from './simulated'

cleanUpAfterEachTest()

describe('verify-command with a method that has no window', () => {
  it.each([
    ['plan-change', { method: 'plan-change', version: '14', plan: 'standard-2' }],
    ['auto choosing plan-change', { method: 'auto', version: '14', plan: 'standard-2' }],
  ])('%s: refused in preflight, nothing sent', async (_, inputs) => {
    const sim = await simulator()
    const main = await job(sim, { ...inputs, 'verify-command': 'exit 1' }).main(FAST)
    expect(main.outputs.status).toBe('failed')
    expect(main.record?.error).toMatch(
      /Input "verify-command" is set, but method plan-change has no step that runs it/,
    )
    expect(await changesSent(sim)).toEqual([])
    const { database } = await appAndDatabase(sim)
    expect(database.plan).toMatch(/standard-0$/)
  })

  it('without verify-command, plan-change still runs', async () => {
    const sim = await simulator()
    const main = await job(sim, { method: 'plan-change', version: '14', plan: 'standard-2' }).main(FAST)
    expect(main.outputs.status).toBe('succeeded')
  })
})
