import { describe, expect, it } from 'vitest'
import { pgInfoBlock, pgInfoBlockOfAddon } from './pg-info'
import { CLI_TEST_TIMEOUT_MS, createdAddonName, waitUntilCaughtUp, fastScenarioPerTest } from './procedure'
import { addonIn, simulatorState } from './simulator'

const commonRuntimeApp = 'acme-cr'
const spaceApp = 'acme-ps'

// Seed 004: a private-plan follower of the Common Runtime database, created from the Private Space
// app, unfollowed and promoted there.
describe(
  'migration into a Private Space (seed 004) driven by the official Heroku CLI',
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    const scenario = fastScenarioPerTest('private-space-migration')

    it('promotes a Private Space follower of the Common Runtime database on acme-ps', async () => {
      const { simulator, heroku } = scenario
      const source = await heroku.ok('pg:info', '--app', commonRuntimeApp)
      const sourceAddon = pgInfoBlock(source.stdout, 'DATABASE_URL').fields['Add-on'] ?? ''
      expect(sourceAddon).toMatch(/^postgresql-/)

      const create = await heroku.ok(
        'addons:create',
        'heroku-postgresql:private-0',
        '-a',
        spaceApp,
        '--',
        '--follow',
        sourceAddon,
      )
      const follower = createdAddonName(create)
      await heroku.ok('pg:wait', '--app', spaceApp, '--wait-interval', '1')

      const following = await heroku.ok('pg:info', '--app', spaceApp)
      const followerInfo = pgInfoBlockOfAddon(following.stdout, follower)
      expect(followerInfo.fields['Plan']).toBe('Private 0')
      // acme-ps reaches the Common Runtime database as DATABASE, so that is the leader's name there.
      expect(followerInfo.fields['Following']).toBe('DATABASE')
      expect(followerInfo.fields['Behind By']).toMatch(/^\d+ commits$/)
      const followerAlias = followerInfo.names[0] ?? ''
      // The Common Runtime database is billed to acme-cr, which pg:info on acme-ps points out.
      expect(pgInfoBlockOfAddon(following.stdout, sourceAddon).fields['Billing App']).toBe(commonRuntimeApp)

      await heroku.ok('maintenance:on', '--app', spaceApp)
      await heroku.ok('ps:scale', 'web=0', 'worker=0', '--app', spaceApp)
      await waitUntilCaughtUp(heroku, spaceApp, follower)

      const unfollow = await heroku.ok('pg:unfollow', followerAlias, '--confirm', spaceApp, '--app', spaceApp)
      expect(unfollow.stderr).toContain(`${follower} unfollowing... done`)
      const promote = await heroku.ok('pg:promote', followerAlias, '--app', spaceApp)
      expect(promote.stderr).toContain(`Promoting ${follower} to DATABASE_URL on ${spaceApp}... done`)
      expect(promote.stderr).toContain('Checking release phase... pg:promote succeeded.')

      await heroku.ok('ps:scale', 'web=2', 'worker=1', '--app', spaceApp)
      await heroku.ok('maintenance:off', '--app', spaceApp)

      const after = await heroku.ok('pg:info', '--app', spaceApp)
      const primary = pgInfoBlock(after.stdout, 'DATABASE_URL')
      expect(primary.fields['Add-on']).toBe(follower)
      expect(primary.fields['Following']).toBeUndefined()
      expect(primary.fields['Billing App']).toBeUndefined()

      const state = await simulatorState(simulator.target.url)
      const promoted = addonIn(state, follower)
      expect(promoted?.plan).toBe('private-0')
      expect(promoted?.attachments).toContain(`${spaceApp}::DATABASE`)
      expect(addonIn(state, sourceAddon)?.attachments).not.toContain(`${spaceApp}::DATABASE`)
      expect(state.lost_writes).toBe(0)
    })
  },
)
