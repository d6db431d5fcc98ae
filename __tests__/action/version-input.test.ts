// A major version changes only when asked: an empty version keeps it when a plan is given, and `latest`
// asks for the newest explicitly. Read from what phase plan decides, before anything changes.
import { describe, expect, it } from 'vitest'
import { changesSent, cleanUpAfterEachTest, FAST, job, simulator } from './simulated'

cleanUpAfterEachTest()

describe('version', () => {
  it.each([
    [
      'plan only: the version is kept',
      { version: '', plan: 'standard-2' },
      'plan-change',
      /PG 14 kept, plan → heroku-postgresql:standard-2/,
      /Target: PG 14, kept \(version is empty and plan is set: a plan change keeps the major version\), on standard-2/,
    ],
    [
      'plan and latest: the newest, with the plan',
      { version: 'latest', plan: 'standard-2' },
      'follower',
      /PG 14 → newest, plan → heroku-postgresql:standard-2/,
      /Target: the newest PG Heroku supports, on standard-2/,
    ],
    [
      'neither: the newest',
      { version: '', plan: '' },
      'in-place',
      /PG 14 → newest, plan unchanged/,
      /Target: the newest PG Heroku supports, on standard-0/,
    ],
  ])('%s', async (_, inputs, method, title, target: RegExp) => {
    const sim = await simulator()
    const planned = await job(sim, { method: 'auto', phase: 'plan', ...inputs }).main(FAST)
    expect(planned.outputs.status).toBe('planned')
    expect(planned.outputs.method).toBe(method)
    expect(planned.record?.steps[0]?.title).toMatch(title)
    expect(await changesSent(sim)).toEqual([])
    expect(planned.summary).toMatch(target)
  })
})
