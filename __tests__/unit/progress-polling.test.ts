import { describe, expect, it, vi } from 'vitest'
import type { Clock } from '../../src/runtime/clock'
import type { StepDeps } from '../../src/steps/deps'
import { pollCadence } from '../../src/inputs/policy'
import { RateBudget, type RateBudgetView } from '../../src/runtime/rate-budget'
import type { DatabaseInfo, WaitStatus } from '../../src/heroku/types'
import { waitForLag, waitForUpgrade } from '../../src/steps/database-waits'
import { FORECAST_MAX_INTERVAL_MS, poll, type PollResult } from '../../src/runtime/poller'
import { RateLimiter } from '../../simulator/http/rate-limit'
import { fakeClock } from './fake-clock'

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: () => {},
}))

const MINUTE = 60_000
const follower = { id: 'addon-1', name: 'postgresql-new-1' }
const comfortable: RateBudgetView = { stretch: () => 1 }

const UPGRADE_TIMEOUT_MS = 3 * 60 * MINUTE

function contextWith(clock: Clock, data: object, pollIntervalMs = 5_000): StepDeps {
  return {
    poll: pollCadence(pollIntervalMs),
    clock,
    signal: new AbortController().signal,
    log: () => {},
    api: { data },
  } as unknown as StepDeps
}

/** An upgrade of `steps` steps, each `stepMs[i]` long, as upgrade/wait_status and the database show it. */
function simulatedUpgrade(clock: Clock, stepMs: number[], startedAgoMs = 0) {
  const startAt = clock.now() - startedAgoMs
  const endAt = startAt + stepMs.reduce((a, b) => a + b, 0)
  let requests = 0
  const stepAt = (t: number): number => {
    let end = startAt
    for (const [i, ms] of stepMs.entries()) if (t < (end += ms)) return i + 1
    return stepMs.length
  }
  const data = {
    upgradeWaitStatus: async (): Promise<WaitStatus> => {
      requests++
      const now = clock.now()
      if (now >= endAt) return { 'waiting?': false, message: 'available' }
      return { 'waiting?': true, message: 'upgrading', step: `${stepAt(now)}/${stepMs.length}` }
    },
    getDatabase: async (): Promise<DatabaseInfo> => {
      requests++
      return { following: null, postgres_version: '17.6' }
    },
  }
  return { data, endAt, requests: () => requests }
}

async function runUpgrade(stepMs: number[], startedAgoMs = 0) {
  const clock = fakeClock()
  const upgrade = simulatedUpgrade(clock, stepMs, startedAgoMs)
  const context = contextWith(clock, upgrade.data)
  const waitedFrom = clock.now()
  await waitForUpgrade(context, follower, 16, UPGRADE_TIMEOUT_MS)
  return {
    requests: upgrade.requests(),
    waitedMs: clock.now() - waitedFrom,
    lateMs: clock.now() - upgrade.endAt,
    longestSleep: Math.max(...clock.sleeps),
  }
}

describe('a wait that reports progress', () => {
  it('follows a 30-minute upgrade of 7 equal steps with far fewer than one request per 2 s, and notices its end within a second', async () => {
    const run = await runUpgrade(Array(7).fill((30 * MINUTE) / 7))
    expect(run.requests).toBeLessThanOrEqual(900)
    expect(run.requests).toBeLessThanOrEqual(400)
    expect(run.lateMs).toBeGreaterThanOrEqual(0)
    expect(run.lateMs).toBeLessThanOrEqual(1_000)
  })

  it('costs a handful of requests per step at one step a minute', async () => {
    const run = await runUpgrade(Array(7).fill(MINUTE))
    expect(run.requests / 7).toBeLessThanOrEqual(15)
    expect(run.lateMs).toBeLessThanOrEqual(1_000)
  })

  it('joins an upgrade already under way (a resumed run) without missing its end', async () => {
    const run = await runUpgrade(Array(7).fill((30 * MINUTE) / 7), 11 * MINUTE)
    expect(run.requests).toBeLessThanOrEqual(run.waitedMs / 2_000)
    expect(run.lateMs).toBeLessThanOrEqual(1_000)
  })

  it('stays within ten seconds of the end when the steps are uneven, and never sleeps longer than that', async () => {
    const run = await runUpgrade([5, 5, 3, 1, 1, 1, 0.2].map((m) => m * MINUTE))
    expect(run.requests).toBeLessThanOrEqual(run.waitedMs / 2_000)
    expect(run.lateMs).toBeLessThanOrEqual(FORECAST_MAX_INTERVAL_MS)
    expect(run.longestSleep).toBeLessThanOrEqual(FORECAST_MAX_INTERVAL_MS)
  })

  it('follows a lag that shrinks steadily and notices when it is low enough within a second', async () => {
    const clock = fakeClock()
    const start = clock.now()
    const lagAt = (t: number) => Math.max(0, Math.round(60_000 - ((t - start) / 1000) * 100))
    let checks = 0
    const data = {
      waitStatus: async (): Promise<WaitStatus> => {
        checks++
        return { 'waiting?': false, message: 'available' }
      },
      getDatabase: async (): Promise<DatabaseInfo> => ({
        following: 'the old database',
        info: [{ name: 'Behind By', values: [`${lagAt(clock.now())} commits`] }],
      }),
    }
    const lag = await waitForLag(contextWith(clock, data), follower, 200, 60 * MINUTE, 'catch up')
    const reachedAt = start + ((60_000 - 200) / 100) * 1000
    expect(lag).toBeLessThanOrEqual(200)
    expect(clock.now() - reachedAt).toBeLessThanOrEqual(1_000)
    expect(checks).toBeLessThanOrEqual(130)
  })

  it('still accepts a lag that stopped shrinking (replication delay of a busy leader) within seconds', async () => {
    const clock = fakeClock()
    const lags = [3_000, 3_100, 2_950, 3_050]
    let checks = 0
    const data = {
      waitStatus: async (): Promise<WaitStatus> => ({ 'waiting?': false }),
      getDatabase: async (): Promise<DatabaseInfo> => ({
        following: 'the old database',
        info: [{ name: 'Behind By', values: [`${lags[checks++ % lags.length]} commits`] }],
      }),
    }
    const start = clock.now()
    expect(await waitForLag(contextWith(clock, data), follower, 200, 60 * MINUTE, 'catch up')).toBe(2_950)
    expect(clock.now() - start).toBeLessThanOrEqual(5_000)
  })

  it('backs off as before when a step cannot be read', async () => {
    const clock = fakeClock()
    let checks = 0
    await poll({
      describe: 'x',
      timeoutMs: MINUTE,
      interval: 2_000,
      clock,
      rateBudget: comfortable,
      check: async (): Promise<PollResult<true>> =>
        ++checks === 5 ? { done: true, value: true } : { done: false, progress: undefined },
    })
    expect(clock.sleeps).toEqual([1_000, 1_500, 2_000, 2_000])
  })
})

describe('a low API budget', () => {
  it('stretches every sleep in proportion once under a tenth of 4,500 is left', async () => {
    const sleepsWith = async (remaining: string) => {
      const clock = fakeClock()
      const budget = new RateBudget()
      budget.record(remaining, clock.now())
      let checks = 0
      await poll({
        describe: 'x',
        timeoutMs: 60 * MINUTE,
        interval: 2_000,
        clock,
        rateBudget: budget,
        check: async () => {
          // Each answer says the budget is where it was: other runs spend what it regains.
          budget.record(remaining, clock.now())
          return ++checks === 4 ? { done: true, value: true } : { done: false }
        },
      })
      return clock.sleeps
    }
    expect(await sleepsWith('4000')).toEqual([1_000, 1_500, 2_000])
    expect(await sleepsWith('450')).toEqual([1_000, 1_500, 2_000])
    expect(await sleepsWith('225')).toEqual([2_000, 3_000, 4_000])
    expect(await sleepsWith('45')).toEqual([10_000, 15_000, 20_000])
    expect(await sleepsWith('0')).toEqual([60_000, 90_000, 120_000])
  })

  it('counts what the bucket regained since the last answer', () => {
    const budget = new RateBudget()
    expect(budget.stretch(0)).toBe(1)
    budget.record('0', 0)
    expect(budget.remaining(MINUTE)).toBe(75)
    expect(budget.stretch(MINUTE)).toBe(6)
    expect(budget.remaining(60 * MINUTE)).toBe(4_500)
    budget.record('not a number', 0)
    expect(budget.remaining(0)).toBe(0)
  })

  it('lets twenty runs sharing one key slow down instead of running into 429s', async () => {
    const honouring = await twentyRuns((budget) => budget)
    const ignoring = await twentyRuns(() => comfortable)
    expect(ignoring.refused).toBeGreaterThan(0)
    expect(honouring.refused).toBe(0)
    expect(honouring.lowest).toBeGreaterThan(0)
    expect(honouring.latestNoticeMs).toBeLessThanOrEqual(FORECAST_MAX_INTERVAL_MS)
  })
})

/**
 * Twenty 30-minute upgrades started a little apart, each polled by its own run through the same API key,
 * whose budget other work has already brought down to 600. Each check is one request of the shared bucket.
 */
async function twentyRuns(view: (budget: RateBudget) => RateBudgetView) {
  const clock = sharedClock()
  const limiter = new RateLimiter()
  const key = 'shared'
  while (limiter.remaining(key, 0) > 600) limiter.take(key, 0)
  const budget = new RateBudget()
  let refused = 0
  let lowest = limiter.remaining(key, 0)
  let latestNoticeMs = 0
  const run = async (index: number): Promise<void> => {
    await clock.sleep(index * 37_000)
    const endAt = clock.now() + 30 * MINUTE
    const stepMs = (30 * MINUTE) / 7
    const startAt = clock.now()
    await poll({
      describe: `run ${index}`,
      timeoutMs: 3 * 60 * MINUTE,
      interval: 2_000,
      clock,
      rateBudget: view(budget),
      check: async (): Promise<PollResult<true>> => {
        const answer = limiter.take(key, clock.now() / 1000)
        budget.record(String(answer.remaining), clock.now())
        lowest = Math.min(lowest, answer.remaining)
        if (!answer.allowed) {
          refused++
          return { done: false }
        }
        if (clock.now() >= endAt) return { done: true, value: true }
        const step = Math.min(7, Math.floor((clock.now() - startAt) / stepMs) + 1)
        return { done: false, progress: { left: 8 - step, stepped: true } }
      },
    })
    latestNoticeMs = Math.max(latestNoticeMs, clock.now() - endAt)
  }
  await clock.runUntil(Promise.all(Array.from({ length: 20 }, (_, index) => run(index))))
  return { refused, latestNoticeMs, lowest }
}

/** A clock shared by concurrent waits: each sleep ends in time order, once every other wait is asleep. */
function sharedClock(start = 0): Clock & { runUntil<T>(work: Promise<T>): Promise<T> } {
  let now = start
  let seq = 0
  const timers: Array<{ at: number; seq: number; wake: () => void }> = []
  return {
    now: () => now,
    random: () => 0.5,
    sleep: (ms) =>
      new Promise<void>((wake) => {
        timers.push({ at: now + Math.max(0, ms), seq: seq++, wake })
      }),
    async runUntil<T>(work: Promise<T>): Promise<T> {
      let settled = false
      work.then(
        () => (settled = true),
        () => (settled = true),
      )
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve))
        if (settled) return work
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
        const next = timers.shift()
        if (!next) throw new Error('every wait is stuck')
        now = next.at
        next.wake()
      }
    },
  }
}
