import { describe, expect, it } from 'vitest'
import { pgInfoBlock, pgInfoBlockOfAddon } from './pg-info'
import {
  CLI_TEST_TIMEOUT_MS,
  createDatabaseAndWait,
  waitUntilCaughtUp,
  fastScenarioPerTest,
} from './procedure'
import { addonIn, simulatorState } from './simulator'

const app = 'acme-web'
const oldAddon = 'postgresql-curved-12345'

// Seed 001: follower, maintenance and scale down, pg:unfollow, pg:promote, scale back up.
describe(
  'follower changeover with pg:unfollow (seed 001) driven by the official Heroku CLI',
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    const scenario = fastScenarioPerTest('standard-pg14')

    it('unfollows a caught-up follower and promotes it to DATABASE_URL', async () => {
      const { simulator, heroku } = scenario
      const follower = await createDatabaseAndWait(
        heroku,
        app,
        'heroku-postgresql:standard-0',
        '--follow',
        'DATABASE_URL',
      )

      await heroku.ok('maintenance:on', '--app', app)
      const scaleDown = await heroku.ok('ps:scale', 'web=0', 'worker=0', 'clock=0', '--app', app)
      expect(scaleDown.stderr).toMatch(/done, now running .*web at 0:/)
      const caughtUp = await waitUntilCaughtUp(heroku, app, follower)
      const followerAlias = pgInfoBlockOfAddon(caughtUp, follower).names[0] ?? ''
      expect(pgInfoBlockOfAddon(caughtUp, follower).fields['Following']).toBe('DATABASE')

      const unfollow = await heroku.ok('pg:unfollow', followerAlias, '--confirm', app, '--app', app)
      expect(unfollow.stderr).toContain(`${follower} unfollowing... done`)
      const unfollowed = await heroku.ok('pg:info', follower, '--app', app)
      expect(pgInfoBlockOfAddon(unfollowed.stdout, follower).fields['Following']).toBeUndefined()

      const promote = await heroku.ok('pg:promote', followerAlias, '--app', app)
      expect(promote.stderr).toMatch(
        /Ensuring an alternate alias for existing DATABASE_URL\.\.\. HEROKU_POSTGRESQL_[A-Z]+_URL\n/,
      )
      expect(promote.stderr).toContain(`Promoting ${follower} to DATABASE_URL on ${app}... done`)
      expect(promote.stderr).toContain('Checking release phase... pg:promote succeeded.')
      expect(promote.stderr).not.toContain('currently a follower database')

      await heroku.ok('ps:scale', 'web=2', 'worker=1', 'clock=1', '--app', app)
      await heroku.ok('maintenance:off', '--app', app)

      const after = await heroku.ok('pg:info', '--app', app)
      const primary = pgInfoBlock(after.stdout, 'DATABASE_URL')
      expect(primary.fields['Add-on']).toBe(follower)
      expect(primary.fields['Following']).toBeUndefined()

      const state = await simulatorState(simulator.target.url)
      expect(addonIn(state, follower)?.attachments).toContain(`${app}::DATABASE`)
      expect(addonIn(state, oldAddon)?.attachments).not.toContain(`${app}::DATABASE`)
      expect(state.lost_writes).toBe(0)
    })
  },
)
