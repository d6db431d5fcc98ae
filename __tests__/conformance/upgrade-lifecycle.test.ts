import { afterEach, describe, expect, it } from 'vitest'
import { pgInfoBlockOfAddon } from './pg-info'
import { CLI_TEST_TIMEOUT_MS, herokuOn, type Heroku } from './procedure'
import { advanceClock, requestSeen, startFastScenario, type RunningSimulator } from './simulator'

/** Resolves `true` if the promise settles within `ms`, `false` if it is still pending then. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  )
  await new Promise((resolve) => setTimeout(resolve, ms))
  return settled
}

// The simulated clock is all but stopped and the test moves it, so that what the CLI sees while Heroku
// prepares an upgrade or recreates followers does not depend on how fast this machine is.
describe(
  'the in-place upgrade lifecycle, as the official Heroku CLI sees it',
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    let simulator: RunningSimulator | undefined
    let heroku: Heroku

    afterEach(async () => {
      await simulator?.stop()
      simulator = undefined
    })

    async function start(name: string): Promise<string> {
      simulator = await startFastScenario(name, (scenario) => {
        scenario.speed = 0.001
        ;(scenario.durations as Record<string, number>).upgrade_prepare = 3600
      })
      heroku = herokuOn(simulator.target)
      return simulator.target.url
    }

    it('pg:upgrade:wait blocks while the upgrade is prepared and returns once it is scheduled; run is refused a while longer', async () => {
      const url = await start('standard-pg14')
      const app = 'acme-web'
      const addon = 'postgresql-curved-12345'
      await heroku.ok('pg:upgrade:prepare', 'DATABASE_URL', '--version', '17', '--confirm', app, '--app', app)

      const early = await heroku.run('pg:upgrade:run', 'DATABASE_URL', '--confirm', app, '--app', app)
      expect(early.code).not.toBe(0)
      expect(early.stderr).toContain(
        'Your database is not ready for upgrade. Please try running your upgrade later.',
      )

      const waiting = heroku.ok('pg:upgrade:wait', 'DATABASE_URL', '--app', app, '--wait-interval', '1')
      await requestSeen(url, /\/upgrade\/wait_status$/)
      expect(await settlesWithin(waiting, 2500)).toBe(false)
      await advanceClock(url, 3600)
      const waited = await waiting
      expect(waited.stderr).toContain(`Waiting for database ${addon}... upgrade is being prepared`)
      expect(waited.stderr).toMatch(
        new RegExp(
          `Waiting for database ${addon}\\.\\.\\. upgrade is scheduled on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\. You could also run the upgrade immediately using heroku pg:upgrade:run\\.`,
        ),
      )

      // Scheduled, yet not ready to run for durations.upgrade_run_ready_after (10 s on the fast clock).
      const notYet = await heroku.run('pg:upgrade:run', 'DATABASE_URL', '--confirm', app, '--app', app)
      expect(notYet.code).not.toBe(0)
      expect(notYet.stderr).toContain('Your database is not ready for upgrade.')
      await advanceClock(url, 10)
      const run = await heroku.ok('pg:upgrade:run', 'DATABASE_URL', '--confirm', app, '--app', app)
      expect(run.stderr).toContain(`Starting upgrade on ${addon}... done`)
    })

    it('a leader’s upgrade leaves its follower unavailable until Heroku has recreated it', async () => {
      const url = await start('premium-follower-pooler')
      const app = 'acme-shop'
      const leader = 'postgresql-rigid-40213'
      const follower = 'postgresql-amber-40214'
      await heroku.ok('pg:upgrade:prepare', 'DATABASE_URL', '--version', '17', '--confirm', app, '--app', app)
      // Prepared (3600 s), then ready to run (upgrade_run_ready_after, 10 s on the fast clock).
      await advanceClock(url, 3610)
      const run = await heroku.ok('pg:upgrade:run', 'DATABASE_URL', '--confirm', app, '--app', app)
      expect(run.stderr).toContain(`Starting upgrade on ${leader}... done`)

      const during = pgInfoBlockOfAddon((await heroku.ok('pg:info', follower, '--app', app)).stdout, follower)
      expect(during.fields['Status']).toBe('Unavailable')
      expect(during.fields['PG Version']).toBe('16.9')

      const upgrade = heroku.ok('pg:upgrade:wait', 'DATABASE_URL', '--app', app, '--wait-interval', '1')
      const followerWait = heroku.ok('pg:wait', follower, '--app', app, '--wait-interval', '1')
      await requestSeen(url, /\/upgrade\/wait_status$/)
      await requestSeen(url, /\/databases\/[^/]+\/wait_status$/)
      await advanceClock(url, 60)
      const upgraded = await upgrade
      expect(upgraded.stderr).toContain(`Waiting for database ${leader}... (7/7) recreating followers`)
      expect(await settlesWithin(followerWait, 2500)).toBe(false)

      await advanceClock(url, 30)
      const recreated = await followerWait
      expect(recreated.stderr).toContain(
        `Waiting for database ${follower}... recreating the follower after its leader's version upgrade`,
      )
      expect(recreated.stderr).toMatch(/available\n$/)
      const after = pgInfoBlockOfAddon((await heroku.ok('pg:info', follower, '--app', app)).stdout, follower)
      expect(after.fields['Status']).toBe('Available')
      expect(after.fields['PG Version']).toMatch(/^17\./)
      // pg:info names the leader by the last config var with its host: here the credential's, ANALYST.
      expect(after.fields['Following']).toBe('ANALYST')
    })
  },
)
