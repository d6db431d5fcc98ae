import { describe, expect, it } from 'vitest'
import { pgInfoBlock, pgInfoBlockOfAddon } from './pg-info'
import {
  CLI_TEST_TIMEOUT_MS,
  createdAddonName,
  waitUntilCaughtUp,
  withoutUrlSuffix,
  fastScenarioPerTest,
} from './procedure'
import { addonIn, simulatorState } from './simulator'

const app = 'acme-web'
const oldAddon = 'postgresql-curved-12345'

// Seeds 000 and 003: follower, maintenance, upgrade the follower, promote it, destroy the old database.
describe(
  'follower upgrade (seeds 000 and 003) driven by the official Heroku CLI',
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    const scenario = fastScenarioPerTest('standard-pg14')

    it('moves acme-web from PG 14 to 17 through an upgraded follower without losing a write', async () => {
      const { simulator, heroku } = scenario
      const before = await heroku.ok('pg:info', '-a', app)
      const primaryBefore = pgInfoBlock(before.stdout, 'DATABASE_URL')
      expect(primaryBefore.fields['Add-on']).toBe(oldAddon)
      expect(primaryBefore.fields['PG Version']).toMatch(/^14\.\d+$/)

      const create = await heroku.ok(
        'addons:create',
        'heroku-postgresql:standard-0',
        '-a',
        app,
        '--',
        '--follow',
        'DATABASE_URL',
      )
      expect(create.stderr).toContain(`Creating heroku-postgresql:standard-0 on ${app}... `)
      const follower = createdAddonName(create)

      await heroku.ok('pg:wait', '-a', app, '--wait-interval', '1')
      const following = await heroku.ok('pg:info', '-a', app)
      const followerBefore = pgInfoBlockOfAddon(following.stdout, follower)
      const [followerAlias] = followerBefore.names
      expect(followerAlias).toMatch(/^HEROKU_POSTGRESQL_[A-Z]+_URL$/)
      expect(followerBefore.fields['Following']).toBe('DATABASE')
      expect(followerBefore.fields['Behind By']).toMatch(/^\d+ commits$/)
      // web, worker and clock are still writing, so the follower trails its leader.
      expect(followerBefore.fields['Behind By']).not.toBe('0 commits')
      expect(followerBefore.fields['PG Version']).toBe(primaryBefore.fields['PG Version'])
      expect(pgInfoBlock(following.stdout, 'DATABASE_URL').fields['Followers']).toBe(
        withoutUrlSuffix(followerAlias ?? ''),
      )

      const maintenanceOn = await heroku.ok('maintenance:on', '-a', app)
      expect(maintenanceOn.stderr).toContain(`Enabling maintenance mode for ${app}... done`)
      // Maintenance mode does not stop web dynos (seed 004): scale every process type down.
      const scaleDown = await heroku.ok('ps:scale', 'web=0', 'worker=0', 'clock=0', '-a', app)
      expect(scaleDown.stderr).toContain('Scaling dynos... done, now running ')
      expect(scaleDown.stderr).toMatch(/worker at 0:/)
      expect(scaleDown.stderr).toMatch(/clock at 0:/)
      const caughtUp = await waitUntilCaughtUp(heroku, app, follower)
      expect(pgInfoBlockOfAddon(caughtUp, follower).fields['Behind By']).toBe('0 commits')

      const upgrade = await heroku.ok(
        'pg:upgrade:run',
        follower,
        '--version',
        '17',
        '--confirm',
        app,
        '-a',
        app,
      )
      expect(upgrade.stderr).toContain(
        `Starting upgrade on ${follower}... done\nStarted the upgrade. You can monitor the progress with heroku pg:upgrade:wait.`,
      )
      const upgradeWait = await heroku.ok('pg:upgrade:wait', follower, '-a', app, '--wait-interval', '1')
      expect(upgradeWait.stdout + upgradeWait.stderr).toContain(
        `Waiting for database ${follower}... (7/7) recreating followers`,
      )

      const promote = await heroku.ok('pg:promote', follower, '-a', app)
      const alias =
        /Ensuring an alternate alias for existing DATABASE_URL\.\.\. (HEROKU_POSTGRESQL_[A-Z]+_URL)\n/.exec(
          promote.stderr,
        )
      expect(alias, promote.stderr).not.toBeNull()
      const oldAlias = alias?.[1] ?? ''
      expect(promote.stderr).toContain(`Promoting ${follower} to DATABASE_URL on ${app}... done`)
      // As in seed 003: the superseded Detach DATABASE release fails under a release phase, and that is fine.
      expect(promote.stderr).toContain(
        `Checking release phase... pg:promote succeeded. It is safe to ignore the failed Detach DATABASE (@ref:${oldAddon}) release.`,
      )
      expect(promote.stderr).not.toContain('currently a follower database')

      await heroku.ok('ps:scale', 'web=2', 'worker=1', 'clock=1', '-a', app)
      const maintenanceOff = await heroku.ok('maintenance:off', '-a', app)
      expect(maintenanceOff.stderr).toContain(`Disabling maintenance mode for ${app}... done`)

      const after = await heroku.ok('pg:info', '-a', app)
      const primaryAfter = pgInfoBlock(after.stdout, 'DATABASE_URL')
      expect(primaryAfter.names).toEqual(['DATABASE_URL', followerAlias])
      expect(primaryAfter.fields['Add-on']).toBe(follower)
      expect(primaryAfter.fields['PG Version']).toMatch(/^17\.\d+$/)
      expect(primaryAfter.fields['Forked From']).toBe(withoutUrlSuffix(oldAlias))
      expect(primaryAfter.fields['Following']).toBeUndefined()
      const oldAfter = pgInfoBlockOfAddon(after.stdout, oldAddon)
      expect(oldAfter.names).toEqual([oldAlias])
      expect(oldAfter.fields['PG Version']).toBe(primaryBefore.fields['PG Version'])
      expect(oldAfter.fields['Forks']).toBe(withoutUrlSuffix(followerAlias ?? ''))

      const destroy = await heroku.ok('addons:destroy', oldAddon, '--confirm', app, '-a', app)
      expect(destroy.stderr).toContain(`Destroying ${oldAddon} on ${app}... done`)
      const cleanedUp = await heroku.ok('pg:info', '-a', app)
      expect(cleanedUp.stdout).not.toContain(oldAddon)
      expect(pgInfoBlock(cleanedUp.stdout, 'DATABASE_URL').fields['Add-on']).toBe(follower)

      const state = await simulatorState(simulator.target.url)
      expect(addonIn(state, oldAddon)?.state ?? 'deprovisioned').toBe('deprovisioned')
      const promoted = addonIn(state, follower)
      expect(promoted?.version).toMatch(/^17\./)
      expect(promoted?.following).toBeNull()
      expect(promoted?.attachments).toContain(`${app}::DATABASE`)
      const acme = state.apps.find((candidate) => candidate.name === app)
      expect(acme?.maintenance).toBe(false)
      expect(state.lost_writes).toBe(0)
    })
  },
)
