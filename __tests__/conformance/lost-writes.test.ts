import { describe, expect, it } from 'vitest'
import { pgInfoBlock, pgInfoBlockOfAddon } from './pg-info'
import { CLI_TEST_TIMEOUT_MS, createDatabaseAndWait, fastScenarioPerTest } from './procedure'
import { simulatorState } from './simulator'

const app = 'acme-web'

// The oracle must see the classic mistake: maintenance mode on, but a worker still writing.
describe(
  'a follower switch with a worker left running, driven by the official Heroku CLI',
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    const scenario = fastScenarioPerTest('standard-pg14')

    it('counts the worker writes that went to the old leader after the follower stopped following', async () => {
      const { simulator, heroku } = scenario
      const follower = await createDatabaseAndWait(
        heroku,
        app,
        'heroku-postgresql:standard-0',
        '--follow',
        'DATABASE_URL',
      )

      await heroku.ok('maintenance:on', '-a', app)
      // Only the clock is stopped: the worker keeps writing to DATABASE_URL through the switch.
      await heroku.ok('ps:scale', 'clock=0', '-a', app)
      const lagging = await heroku.ok('pg:info', follower, '-a', app)
      expect(pgInfoBlockOfAddon(lagging.stdout, follower).fields['Behind By']).toMatch(/^\d+ commits$/)

      await heroku.ok('pg:upgrade:run', follower, '--version', '17', '--confirm', app, '-a', app)
      await heroku.ok('pg:upgrade:wait', follower, '-a', app, '--wait-interval', '1')
      const promote = await heroku.ok('pg:promote', follower, '-a', app)
      expect(promote.stderr).toContain('pg:promote succeeded.')
      await heroku.ok('maintenance:off', '-a', app)

      const after = await heroku.ok('pg:info', '-a', app)
      expect(pgInfoBlock(after.stdout, 'DATABASE_URL').fields['Add-on']).toBe(follower)
      const state = await simulatorState(simulator.target.url)
      expect(state.lost_writes).toBeGreaterThan(0)
    })
  },
)
