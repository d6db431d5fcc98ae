import { describe, expect, it } from 'vitest'
import { poll, type PollResult } from '../../src/runtime/poller'
import {
  formatBytes,
  HEARTBEAT_MS,
  MIN_LINE_GAP_MS,
  ProgressReporter,
  type Measure,
} from '../../src/runtime/progress'
import { fakeClock } from './fake-clock'

const MINUTE = 60_000
const MB = 1024 ** 2
const GB = 1024 ** 3

/** Runs a poll of `minutes` that never ends by itself (it times out), recording each line with its time. */
async function linesOfWait(options: {
  minutes: number
  interval: number
  check: (elapsedMs: number) => PollResult<never>
  stretch?: number
  report?: boolean
}): Promise<{ lines: Array<{ at: number; text: string }>; checks: number }> {
  const clock = fakeClock()
  const start = clock.now()
  const lines: Array<{ at: number; text: string }> = []
  let checks = 0
  await poll<never>({
    describe: 'the follower postgresql-x to catch up',
    timeoutMs: options.minutes * MINUTE,
    interval: options.interval,
    clock,
    rateBudget: { stretch: () => options.stretch ?? 1 },
    onStatus: options.report === false ? undefined : (text) => lines.push({ at: clock.now() - start, text }),
    check: async () => {
      checks++
      return options.check(clock.now() - start)
    },
  }).catch((error: unknown) => {
    if (!(error instanceof Error) || !error.message.startsWith('Timed out')) throw error
  })
  return { lines, checks }
}

const gaps = (lines: Array<{ at: number }>): number[] =>
  lines.slice(1).map((line, i) => line.at - lines[i]!.at)

describe('progress lines during a wait', () => {
  it('prints one line a minute through a 90-minute wait whose status never changes', async () => {
    const { lines } = await linesOfWait({
      minutes: 90,
      interval: 5_000,
      check: () => ({ done: false, status: 'behind by 1,240 commits' }),
    })
    expect(lines.length).toBeGreaterThanOrEqual(89)
    expect(lines.length).toBeLessThanOrEqual(91)
    expect(Math.max(...gaps(lines))).toBeLessThanOrEqual(HEARTBEAT_MS)
    expect(lines[0]!.text).toBe('Waiting for the follower postgresql-x to catch up: behind by 1,240 commits')
    // A little under a minute apart, so that a line's way to the log never makes the gap a reader sees longer.
    expect(lines[1]!.text).toBe(
      'Waiting for the follower postgresql-x to catch up: behind by 1,240 commits (1m elapsed)',
    )
    expect(lines.at(-1)!.text).toMatch(/behind by 1,240 commits \(1h29m\d+s elapsed\)$/)
  })

  it('still prints a line a minute when the checks are minutes apart, without asking Heroku more often', async () => {
    const options = {
      minutes: 90,
      // A 30 s interval stretched tenfold by a low rate budget: one check every 5 minutes.
      interval: 30_000,
      stretch: 10,
      check: (): PollResult<never> => ({ done: false, status: 'Heroku is preparing the upgrade' }),
    }
    const silent = await linesOfWait({ ...options, report: false })
    const reported = await linesOfWait(options)
    expect(reported.checks).toBe(silent.checks)
    expect(reported.checks).toBeLessThanOrEqual(30)
    expect(reported.lines.length).toBeGreaterThanOrEqual(89)
    expect(Math.max(...gaps(reported.lines))).toBeLessThanOrEqual(HEARTBEAT_MS)
    // A line printed between two checks says how old what it repeats is.
    const between = reported.lines.filter((line) => /last checked \dm(\d+s)? ago\)$/.test(line.text))
    expect(between.length).toBeGreaterThan(30)
    expect(between[0]!.text).toMatch(
      /^Waiting for the follower postgresql-x to catch up: Heroku is preparing the upgrade \(\d+m(\d+s)? elapsed; last checked 1m(\d+s)? ago\)$/,
    )
  })

  it('keeps lines within the minute when checks take seconds or the machine wakes late', async () => {
    for (const late of [
      { checkMs: 3_000, oversleepMs: 0 },
      { checkMs: 0, oversleepMs: 700 },
    ]) {
      const base = fakeClock()
      // A busy machine: every sleep ends `oversleepMs` after it should.
      const clock = { ...base, sleep: (ms: number) => base.sleep(ms + late.oversleepMs) }
      const start = clock.now()
      const at: number[] = []
      await poll<never>({
        describe: 'the upgrade',
        timeoutMs: 90 * MINUTE,
        interval: 30_000,
        clock,
        rateBudget: { stretch: () => 1 },
        onStatus: () => at.push(clock.now() - start),
        check: async () => {
          await base.sleep(late.checkMs)
          return { done: false, status: 'Heroku is preparing the upgrade' }
        },
      }).catch(() => {})
      expect(Math.max(...gaps(at.map((t) => ({ at: t }))))).toBeLessThanOrEqual(MINUTE)
      expect(at.length).toBeLessThanOrEqual(92)
    }
  })

  it('prints a status that changes every second at most once per 10 s', async () => {
    const states = ['pending', 'running', 'stopping']
    const { lines, checks } = await linesOfWait({
      minutes: 10,
      interval: 1_000,
      check: (elapsed) => ({
        done: false,
        nearlyDone: true,
        status: `release ${states[Math.floor(elapsed / 1000) % states.length]}`,
      }),
    })
    expect(checks).toBeGreaterThan(500)
    expect(Math.min(...gaps(lines))).toBeGreaterThanOrEqual(MIN_LINE_GAP_MS)
    expect(lines.length).toBeLessThanOrEqual(61)
    expect(lines.length).toBeGreaterThanOrEqual(55)
  })

  it('prints a change at once when the last line is older than 10 s', async () => {
    const { lines } = await linesOfWait({
      minutes: 3,
      interval: 5_000,
      check: (elapsed) => ({ done: false, status: elapsed < 95_000 ? 'release pending' : 'release running' }),
    })
    const [first, minute, change, after] = lines
    expect(lines).toHaveLength(4)
    expect(first).toEqual({ at: 0, text: expect.stringMatching(/catch up: release pending$/) })
    expect(minute).toEqual({
      at: HEARTBEAT_MS,
      text: expect.stringMatching(/: release pending \(1m elapsed\)$/),
    })
    // Printed by the first check that saw it (checks come every 5 s), not held back to the minute.
    expect(change!.text).toMatch(/: release running \(1m3\ds elapsed\)$/)
    expect(change!.at).toBeGreaterThanOrEqual(95_000)
    expect(change!.at).toBeLessThan(100_000)
    expect(after!.at).toBe(change!.at + HEARTBEAT_MS)
  })
})

describe('what a progress line says', () => {
  const reporterAt = (describe: string) => {
    const lines: string[] = []
    const reporter = new ProgressReporter(describe, (line) => lines.push(line), 0)
    return { lines, reporter }
  }

  it('gives a follower lag with its trend and the time left at that rate', () => {
    const { lines, reporter } = reporterAt('the follower postgresql-x to catch up')
    // 40 commits a minute fewer, read every 10 s, over 3 minutes.
    for (let at = 0; at <= 3 * MINUTE; at += 10_000) {
      const behind = 1_360 - Math.round((at / MINUTE) * 40)
      reporter.observe(at, `behind by ${behind.toLocaleString('en-US')} commits`, {
        kind: 'commits',
        behind,
      })
    }
    expect(lines.at(-1)).toBe(
      'Waiting for the follower postgresql-x to catch up: behind by 1,240 commits, falling ~40/min, about 31m left at this rate (3m elapsed)',
    )
  })

  it('counts the time left to the goal a wait stops at, not to 0', () => {
    const { reporter } = reporterAt('the follower postgresql-x to catch up')
    const measure = (behind: number): Measure => ({ kind: 'commits', behind, goal: 200 })
    reporter.observe(0, 'behind by 1,400 commits', measure(1_400))
    reporter.observe(MINUTE, 'behind by 1,000 commits', measure(1_000))
    expect(reporter.line(MINUTE)).toContain('falling ~400/min, about 2m left at this rate')
  })

  it('says when a lag rises or holds instead of guessing an end', () => {
    const rising = reporterAt('x').reporter
    rising.observe(0, 'behind by 100 commits', { kind: 'commits', behind: 100 })
    rising.observe(MINUTE, 'behind by 400 commits', { kind: 'commits', behind: 400 })
    expect(rising.line(MINUTE)).toBe('Waiting for x: behind by 400 commits, rising ~300/min (1m elapsed)')
    const steady = reporterAt('x').reporter
    steady.observe(0, 'behind by 100 commits', { kind: 'commits', behind: 100 })
    steady.observe(MINUTE, 'behind by 100 commits', { kind: 'commits', behind: 100 })
    expect(steady.line(MINUTE)).toBe('Waiting for x: behind by 100 commits, steady (1m elapsed)')
  })

  it('gives a transfer as bytes with percent, rate and time left', () => {
    const { reporter } = reporterAt('copying into postgresql-y to finish')
    const total = 50 * GB
    for (let at = 0; at <= 2 * MINUTE; at += 10_000) {
      const done = (at / 1000) * 20 * MB
      reporter.observe(at, 'x', { kind: 'bytes', done, total })
    }
    // 2,400 MB of 51,200 MB (4.69%) after 2 minutes at 20 MB/s: 48,800 MB left, 2,440 s.
    expect(reporter.line(2 * MINUTE)).toBe(
      'Waiting for copying into postgresql-y to finish: x, 4.7%, 20 MB/s, about 40m40s left (2m elapsed)',
    )
  })

  it('prints a transfer growing from kB to GB once a minute, not at every change of unit', () => {
    const { lines, reporter } = reporterAt('the copy')
    for (let at = 0; at <= 3 * MINUTE; at += 5_000) {
      const done = 900 * 1024 + (at / 1000) * 8 * MB
      reporter.observe(at, `${formatBytes(done)} of 2.0 GB`, { kind: 'bytes', done, total: 2 * GB })
    }
    expect(lines.map((line) => /\((\S+) elapsed/.exec(line)?.[1])).toEqual([undefined, '1m', '2m', '3m'])
  })

  it('gives the upgrade step and, once a step was timed, the time left', () => {
    const { reporter } = reporterAt('the upgrade of postgresql-x')
    const step = (n: number): Measure => ({ kind: 'step', step: n, of: 7 })
    reporter.observe(0, 'step 2/7, stopping writes', step(2))
    expect(reporter.line(0)).toBe('Waiting for the upgrade of postgresql-x: step 2/7, stopping writes')
    reporter.observe(30_000, 'step 3/7, running pg_upgrade', step(3))
    reporter.observe(90_000, 'step 4/7, analyzing tables', step(4))
    // One step took 60 s; steps 4 to 7 are left, step 4 began 30 s ago: 3m30s.
    expect(reporter.line(120_000)).toBe(
      'Waiting for the upgrade of postgresql-x: step 4/7, analyzing tables, ~1m a step, about 3m30s left (2m elapsed; last checked 30s ago)',
    )
  })

  it('prints a new upgrade step at once even when its words are the same', () => {
    const { lines, reporter } = reporterAt('the upgrade')
    reporter.observe(0, 'step 1/7, upgrading', { kind: 'step', step: 1, of: 7 })
    reporter.observe(15_000, 'step 2/7, upgrading', { kind: 'step', step: 2, of: 7 })
    reporter.observe(20_000, 'step 2/7, upgrading', { kind: 'step', step: 2, of: 7 })
    expect(lines).toEqual([
      'Waiting for the upgrade: step 1/7, upgrading',
      'Waiting for the upgrade: step 2/7, upgrading (15s elapsed)',
    ])
  })
})
