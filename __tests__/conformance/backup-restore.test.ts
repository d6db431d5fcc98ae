import { describe, expect, it } from 'vitest'
import { pgInfoBlock, pgInfoBlockOfAddon } from './pg-info'
import { CLI_TEST_TIMEOUT_MS, createdAddonName, fastScenarioPerTest } from './procedure'
import { addonIn, simulatorState } from './simulator'

const app = 'acme-small'
const oldAddon = 'postgresql-silent-20481'

// Seed 002: leave Essential through PG Backups: new database, capture, restore into it, promote.
describe(
  'upgrade through PG Backups (seed 002) driven by the official Heroku CLI',
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    const scenario = fastScenarioPerTest('essential-pg15')

    it('restores a fresh backup of the Essential database into a new Standard database and promotes it', async () => {
      const { simulator, heroku } = scenario
      const before = pgInfoBlock((await heroku.ok('pg:info', '--app', app)).stdout, 'DATABASE_URL')
      expect(before.fields['Plan']).toBe('Essential 0')
      expect(before.fields['PG Version']).toMatch(/^15\.\d+$/)

      const create = await heroku.ok('addons:create', 'heroku-postgresql:standard-0', '--app', app)
      const newAddon = createdAddonName(create)
      await heroku.ok('pg:wait', '--app', app, '--wait-interval', '1')
      const provisioned = await heroku.ok('pg:info', '--app', app)
      const newAlias = pgInfoBlockOfAddon(provisioned.stdout, newAddon).names[0] ?? ''
      expect(newAlias).toMatch(/^HEROKU_POSTGRESQL_[A-Z]+_URL$/)

      const maintenanceOn = await heroku.ok('maintenance:on', '--app', app)
      expect(maintenanceOn.stderr).toContain(`Enabling maintenance mode for ${app}... done`)
      // Seed 002 scales the worker only, believing maintenance mode stops web; it does not (seed 004).
      await heroku.ok('ps:scale', 'web=0', 'worker=0', '--app', app)

      const capture = await heroku.ok('pg:backups:capture', '--app', app, '--wait-interval', '1')
      expect(capture.stderr).toContain(`Starting backup of ${oldAddon}... done`)
      const backing = /Backing up DATABASE to (b\d{3})\.\.\. done/.exec(capture.stderr)
      expect(backing, capture.stderr).not.toBeNull()
      const backup = backing?.[1] ?? ''

      const restore = await heroku.ok('pg:backups:restore', backup, newAlias, '--confirm', app, '--app', app)
      expect(restore.stderr).toContain(`Starting restore of ${backup} to ${newAddon}... done`)
      expect(restore.stderr).toContain('Restoring... done')

      const promote = await heroku.ok('pg:promote', newAlias, '--app', app)
      expect(promote.stderr).toMatch(
        /Ensuring an alternate alias for existing DATABASE_URL\.\.\. HEROKU_POSTGRESQL_[A-Z]+_URL\n/,
      )
      expect(promote.stderr).toContain(`Promoting ${newAddon} to DATABASE_URL on ${app}... done`)
      // acme-small has no release phase, so the CLI does not look at releases.
      expect(promote.stderr).not.toContain('Checking release phase')

      await heroku.ok('ps:scale', 'web=1', 'worker=1', '--app', app)
      await heroku.ok('maintenance:off', '--app', app)

      const after = await heroku.ok('pg:info', '--app', app)
      const primary = pgInfoBlock(after.stdout, 'DATABASE_URL')
      expect(primary.fields['Add-on']).toBe(newAddon)
      expect(primary.fields['Plan']).toBe('Standard 0')
      // A new database gets the default version (18 in this scenario); the restore carried the data over.
      expect(primary.fields['PG Version']).toMatch(/^18\.\d+$/)
      // Essential shows its table limit (`24/4000 (In compliance)`), Standard the bare count.
      expect(primary.fields['Tables']).toBe(before.fields['Tables']?.split('/')[0])

      const state = await simulatorState(simulator.target.url)
      expect(addonIn(state, newAddon)?.attachments).toContain(`${app}::DATABASE`)
      expect(state.lost_writes).toBe(0)
    })
  },
)
