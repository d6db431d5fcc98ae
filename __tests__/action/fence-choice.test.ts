// Whether the window uses the write fence is decided in preflight, before any change: here the add-ons'
// hosts are the simulator's `.sim.invalid` names, which no runner reaches (the data plane's tests reach them).
import { describe, expect, it } from 'vitest'
import { changesSent, cleanUpAfterEachTest, FAST, job, simulator } from './simulated'

cleanUpAfterEachTest()

describe('the fence input', () => {
  it('on: refused before any change when the database cannot be reached, saying why and what is allowed', async () => {
    const sim = await simulator()
    const main = await job(sim, { fence: 'on' }).main(FAST)
    expect(main.outputs.status).toBe('failed')
    expect(main.summary).toContain("**Failed**: acme-web's DATABASE is still postgresql-curved-12345")
    expect(main.record?.error).toMatch(
      /^fence is "on", but the write fence cannot be used: postgresql-curved-12345 cannot be reached from this runner \(.*ENOTFOUND.*\)\. Allowed here: auto \(.*\) or off; on needs a runner that reaches the database .*\.$/,
    )
    expect(await changesSent(sim)).toEqual([])
  }, 30_000)

  it('auto: the plan says why the fence is not used, and the window has no fence step', async () => {
    const sim = await simulator()
    const main = await job(sim, { phase: 'plan' }).main(FAST)
    expect(main.outputs.status).toBe('planned')
    expect(main.log).toContain(
      'The write fence is not used: postgresql-curved-12345 cannot be reached from this runner',
    )
    expect(main.summary).not.toMatch(/write fence\)/)
  }, 30_000)

  it('off: not a word of it', async () => {
    const sim = await simulator()
    const main = await job(sim, { phase: 'plan', fence: 'off' }).main(FAST)
    expect(main.outputs.status).toBe('planned')
    expect(main.log).not.toContain('write fence')
  }, 30_000)
})

describe('window read-only', () => {
  it('auto picks a follower, and without a fence that can be used it is refused before any change', async () => {
    const sim = await simulator()
    const main = await job(sim, { window: 'read-only', method: 'auto' }).main(FAST)
    expect(main.outputs.status).toBe('failed')
    expect(main.log).toContain(
      'Method: follower (window read-only needs a new database (in-place would make postgresql-curved-12345 unreadable): a follower, caught up while the app is up)',
    )
    expect(main.record?.error).toMatch(
      /^Input "window" is "read-only", which needs the write fence on postgresql-curved-12345, and it cannot be used: postgresql-curved-12345 cannot be reached from this runner \(.*\)\. Without it web would keep writing to a database the app is leaving\. Use window: maintenance\.$/,
    )
    expect(main.log).not.toContain('The write fence is not used')
    expect(await changesSent(sim)).toEqual([])
  }, 30_000)

  it('refuses in place, which makes the database unreadable, naming what works instead', async () => {
    const sim = await simulator()
    const main = await job(sim, { window: 'read-only', method: 'in-place' }).main(FAST)
    expect(main.outputs.status).toBe('failed')
    expect(main.record?.error).toContain(
      'Input "window" is "read-only", but method in-place makes postgresql-curved-12345 unreadable while Heroku changes it, so web could serve nothing. Use a method that builds a new database (follower, copy or backup-restore), or window: maintenance.',
    )
    expect(await changesSent(sim)).toEqual([])
  }, 30_000)
})
