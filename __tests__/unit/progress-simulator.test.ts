// The progress lines of a real run: the action in process against the simulator, both sped up alike, so
// that half an hour of Heroku preparing an upgrade takes seconds and the lines a minute can be counted.
import { describe, expect, it } from 'vitest'
import { systemClock, type Clock } from '../../src/runtime/clock'
import { READY_SETTLE_MS } from '../../src/steps/prepare-upgrade'
import { cleanUpAfterEachTest, FAST, job, simulator } from '../action/simulated'

cleanUpAfterEachTest()

const SPEED = 300
const PREPARE_MINUTES = 30
/** Then the run waits out the minutes in which Heroku may still refuse to run what it prepared. */
const WAIT_MINUTES = PREPARE_MINUTES + READY_SETTLE_MS / 60_000

/** The action's clock running SPEED times faster than the machine's, as the simulator's does. */
function spedUpClock(speed: number): Clock {
  const origin = Date.now()
  return {
    now: () => origin + (Date.now() - origin) * speed,
    random: () => Math.random(),
    sleep: (ms, signal) => systemClock.sleep(ms / speed, signal),
  }
}

describe('progress while Heroku prepares an in-place upgrade for half an hour', () => {
  it('says what Heroku does and what the run does about it, then prints a line about every minute', async () => {
    const sim = await simulator([], SPEED, 'standard-pg14', {
      durations: { upgrade_prepare: PREPARE_MINUTES * 60 },
    })
    const result = await job(sim, { method: 'in-place', phase: 'prepare', 'poll-interval': '5s' }).main({
      ...FAST,
      clock: spedUpClock(SPEED),
    })
    expect(result.outputs.status).toBe('prepared')
    expect(result.log).toContain(
      'Heroku is preparing the upgrade of postgresql-curved-12345, which can take hours. This run waits until it is ready, then stops and says when Heroku would run it by itself',
    )
    // Heroku's own answer reads as if the upgrade would run by itself tonight: it is never echoed.
    expect(result.log).not.toMatch(/next available maintenance window/)
    const lines = result.log
      .split('\n')
      .filter((line) => line.includes('Waiting for the upgrade of postgresql-curved-12345 to be prepared'))
    // About one a minute, and one more when it turns prepared; the machine's timers, 300 times coarser here,
    // may shift a few.
    expect(lines.length).toBeGreaterThanOrEqual(WAIT_MINUTES - 6)
    expect(lines.length).toBeLessThanOrEqual(WAIT_MINUTES + 6)
    expect(lines[0]).toMatch(/: Heroku is preparing the upgrade \(it can take hours\)( \(\d+s elapsed\))?$/)
    expect(lines.some((line) => /: prepared; waiting \S+ more before the window opens/.test(line))).toBe(true)
    expect(lines.at(-1)).toMatch(/\((34|35|36)m(\d+s)? elapsed/)
  }, 60_000)
})
