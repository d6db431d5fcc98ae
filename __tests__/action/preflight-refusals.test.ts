// What preflight refuses with zero changes sent: a target plan that cannot hold the data, an in-place switch
// with no prepared upgrade to run.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { changesSent, cleanUpAfterEachTest, FAST, job, simulator } from './simulated'

cleanUpAfterEachTest()

const standard = JSON.parse(
  readFileSync(new URL('../../simulator/scenarios/standard-pg14.json', import.meta.url), 'utf8'),
) as { apps: Array<{ databases: Array<Record<string, unknown>> } & Record<string, unknown>> }

/** standard-pg14 with its database on `plan` holding `mb` megabytes. */
function sized(plan: string, mb: number): Record<string, unknown> {
  const app = standard.apps[0]!
  return { apps: [{ ...app, databases: [{ ...app.databases[0], plan, data_size_mb: mb }] }] }
}

describe('a target plan smaller than the data', () => {
  it.each([
    [
      'copy',
      { method: 'copy', plan: 'essential-0' },
      'standard-0',
      2048,
      /"essential-0", which holds 1 GB, and postgresql-curved-12345 holds 2 GB/,
    ],
    [
      'backup-restore',
      { method: 'backup-restore', plan: 'essential-0' },
      'standard-0',
      2048,
      /"essential-0", which holds 1 GB/,
    ],
    [
      'plan-change',
      { method: 'plan-change', version: '14', plan: 'standard-0' },
      'standard-2',
      146 * 1024,
      /"standard-0", which holds 64 GB, and postgresql-curved-12345 holds 146 GB/,
    ],
    [
      'follower',
      { method: 'follower', plan: 'standard-0' },
      'standard-2',
      146 * 1024,
      /"standard-0", which holds 64 GB/,
    ],
  ])('%s: refused in preflight, nothing sent', async (_, inputs, plan, mb, message) => {
    const sim = await simulator([], 600, 'standard-pg14', sized(plan, mb))
    const main = await job(sim, inputs).main(FAST)
    expect(main.outputs.status).toBe('failed')
    expect(main.record?.error).toMatch(message)
    expect(main.record?.error).toMatch(/Over Plan Capacity/)
    expect(await changesSent(sim)).toEqual([])
  })
})

describe('in-place, phase switch', () => {
  it('with no prepared upgrade: refused in preflight, nothing sent, the window never opened', async () => {
    const sim = await simulator()
    const main = await job(sim, { method: 'in-place', phase: 'switch' }).main(FAST)
    expect(main.outputs.status).toBe('failed')
    expect(main.record?.error).toMatch(/has none on Heroku\. Run phase prepare first/)
    expect(await changesSent(sim)).toEqual([])
  })
})
