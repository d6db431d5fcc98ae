import { describe, expect, it } from 'vitest'
import { pgInfoBlockOfAddon } from './pg-info'
import { CLI_TEST_TIMEOUT_MS, createdAddonName, fastScenarioPerTest, STOPPED_CLOCK } from './procedure'
import { advanceClock, requestSeen } from './simulator'

const app = 'acme-web'

// The simulated clock is all but stopped, and the test moves it: what the CLI sees while a follower
// is still being created does not depend on how fast this machine is.
describe(
  'a follower being created, as the official Heroku CLI sees it',
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    const scenario = fastScenarioPerTest('standard-pg14', STOPPED_CLOCK)

    it('pg:info warns that it is not yet provisioned, and pg:wait waits until it is available', async () => {
      const create = await scenario.heroku.ok(
        'addons:create',
        'heroku-postgresql:standard-0',
        '-a',
        app,
        '--',
        '--follow',
        'DATABASE_URL',
      )
      const follower = createdAddonName(create)

      const provisioning = await scenario.heroku.ok('pg:info', '-a', app)
      expect(provisioning.stderr).toContain(`Warning: ${follower} is not yet provisioned.`)
      expect(provisioning.stdout).not.toContain(follower)

      const waiting = scenario.heroku.ok('pg:wait', follower, '-a', app, '--wait-interval', '1')
      await requestSeen(scenario.simulator.target.url, /\/wait_status$/)
      await advanceClock(scenario.simulator.target.url, 3600)
      const waited = await waiting
      expect(waited.stderr).toMatch(new RegExp(`Waiting for database ${follower}\\.\\.\\. .*available\\n$`))

      const available = await scenario.heroku.ok('pg:info', '-a', app)
      expect(pgInfoBlockOfAddon(available.stdout, follower).fields['Following']).toBe('DATABASE')
    })
  },
)
