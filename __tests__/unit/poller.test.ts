import { describe, expect, it } from 'vitest'
import { CancelledError } from '../../src/runtime/clock'
import { FORECAST_MAX_INTERVAL_MS, poll, PollTimeoutError, windowInterval } from '../../src/runtime/poller'
import { fakeClock } from './fake-clock'

describe('poll', () => {
  it('starts fast and backs off toward the interval', async () => {
    const clock = fakeClock()
    let checks = 0
    const value = await poll({
      describe: 'the thing',
      timeoutMs: 600_000,
      interval: 5_000,
      clock,
      check: async () => (++checks === 6 ? { done: true, value: 'ready' } : { done: false }),
    })
    expect(value).toBe('ready')
    expect(clock.sleeps).toEqual([1_000, 1_500, 2_250, 3_375, 5_000])
  })

  it('polls every second while the check says it is nearly done', async () => {
    const clock = fakeClock()
    let checks = 0
    await poll({
      describe: 'the upgrade',
      timeoutMs: 600_000,
      interval: 5_000,
      clock,
      check: async () => {
        checks++
        if (checks === 7) return { done: true, value: true }
        return { done: false, nearlyDone: checks >= 4 }
      },
    })
    expect(clock.sleeps).toEqual([1_000, 1_500, 2_250, 1_000, 1_000, 1_000])
  })

  it('sleeps past the interval while progress puts the end far away, but every second once nearly done', async () => {
    const clock = fakeClock()
    const start = clock.now()
    let checks = 0
    await poll({
      describe: 'the catch-up',
      timeoutMs: 600_000,
      interval: 2_000,
      clock,
      rateBudget: { stretch: () => 1 },
      check: async () => {
        if (++checks === 8) return { done: true, value: true }
        const left = 1_000 - (clock.now() - start) / 100
        return { done: false, progress: { left }, nearlyDone: checks >= 5 }
      },
    })
    expect(clock.sleeps[0]).toBe(1_000)
    for (const sleep of clock.sleeps.slice(1, 4)) expect(sleep).toBe(FORECAST_MAX_INTERVAL_MS)
    expect(clock.sleeps.slice(4)).toEqual([1_000, 1_000, 1_000])
  })

  it('times out with a message naming what was awaited, for how long, and the last status', async () => {
    const clock = fakeClock()
    const statuses: string[] = []
    const error = await poll({
      describe: 'the follower postgresql-x to catch up',
      timeoutMs: 30_000,
      interval: 5_000,
      clock,
      onStatus: (status) => statuses.push(status),
      check: async () => ({ done: false, status: 'behind by 900 commits' }),
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PollTimeoutError)
    expect((error as Error).message).toBe(
      'Timed out after 30s waiting for the follower postgresql-x to catch up (last status: behind by 900 commits)',
    )
    // The status is printed once at once, and again once 60 s pass without a change (30 s here: once).
    expect(statuses).toEqual(['Waiting for the follower postgresql-x to catch up: behind by 900 commits'])
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(30_000)
  })

  it('stops at once when the run is cancelled', async () => {
    const clock = fakeClock()
    const controller = new AbortController()
    let checks = 0
    const error = await poll({
      describe: 'the upgrade',
      timeoutMs: 600_000,
      interval: 5_000,
      clock,
      signal: controller.signal,
      check: async () => {
        if (++checks === 3) controller.abort(new CancelledError('The run was cancelled (SIGTERM)'))
        return { done: false }
      },
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CancelledError)
    expect((error as Error).message).toBe('The run was cancelled (SIGTERM)')
    expect(checks).toBe(3)
  })

  it('lets a failing check end the wait', async () => {
    await expect(
      poll({
        describe: 'x',
        timeoutMs: 1_000,
        interval: 100,
        clock: fakeClock(),
        check: async () => Promise.reject(new Error('upgrade failed')),
      }),
    ).rejects.toThrow('upgrade failed')
  })
})

describe('windowInterval', () => {
  it('caps waits inside the maintenance window at two seconds', () => {
    expect(windowInterval(5_000)).toBe(2_000)
    expect(windowInterval(500)).toBe(500)
  })
})
