import { describe, expect, it } from 'vitest'
import { pgInfoBlock, pgInfoBlockOfAddon } from './pg-info'
import { CLI_TEST_TIMEOUT_MS, createDatabaseAndWait, fastScenarioPerTest } from './procedure'
import { addonIn, simulatorState } from './simulator'

const app = 'acme-web'

// Copy-based upgrade: a new PG 17 database, pg:copy during maintenance, promote.
describe(
  'upgrade through pg:copy driven by the official Heroku CLI',
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    const scenario = fastScenarioPerTest('standard-pg14')

    it('copies DATABASE_URL into a new PG 17 database confirmed by its name, then promotes it', async () => {
      const { simulator, heroku } = scenario
      const newAddon = await createDatabaseAndWait(
        heroku,
        app,
        'heroku-postgresql:standard-0',
        '--version',
        '17',
      )
      const provisioned = await heroku.ok('pg:info', '--app', app)
      const newDatabase = pgInfoBlockOfAddon(provisioned.stdout, newAddon)
      expect(newDatabase.fields['PG Version']).toMatch(/^17\.\d+$/)
      const oldTables = pgInfoBlock(provisioned.stdout, 'DATABASE_URL').fields['Tables']
      expect(newDatabase.fields['Tables']).not.toBe(oldTables)
      const newAlias = newDatabase.names[0] ?? ''
      const newName = newAlias.replace(/^HEROKU_POSTGRESQL_/, '').replace(/_URL$/, '')

      await heroku.ok('maintenance:on', '--app', app)
      // Maintenance mode does not stop web dynos (seed 004): scale every process type down.
      await heroku.ok('ps:scale', 'web=0', 'worker=0', 'clock=0', '--app', app)

      // pg:copy confirms against the target database's name, not the app's.
      const wrongConfirmation = await heroku.run(
        'pg:copy',
        'DATABASE_URL',
        newAlias,
        '--confirm',
        app,
        '--app',
        app,
      )
      expect(wrongConfirmation.code).not.toBe(0)
      expect(wrongConfirmation.stderr).toContain(`Confirmation ${app} did not match ${newName}. Aborted.`)

      const copy = await heroku.ok('pg:copy', 'DATABASE_URL', newAlias, '--confirm', newName, '--app', app)
      expect(copy.stderr).toContain(`Starting copy of DATABASE to ${newName}... done`)
      expect(copy.stderr).toContain('Copying... done')

      const promote = await heroku.ok('pg:promote', newAlias, '--app', app)
      expect(promote.stderr).toContain(`Promoting ${newAddon} to DATABASE_URL on ${app}... done`)
      expect(promote.stderr).toContain('Checking release phase... pg:promote succeeded.')

      await heroku.ok('ps:scale', 'web=2', 'worker=1', 'clock=1', '--app', app)
      await heroku.ok('maintenance:off', '--app', app)

      const after = await heroku.ok('pg:info', '--app', app)
      const primary = pgInfoBlock(after.stdout, 'DATABASE_URL')
      expect(primary.fields['Add-on']).toBe(newAddon)
      expect(primary.fields['PG Version']).toMatch(/^17\.\d+$/)
      expect(primary.fields['Tables']).toBe(oldTables)

      const state = await simulatorState(simulator.target.url)
      expect(addonIn(state, newAddon)?.attachments).toContain(`${app}::DATABASE`)
      expect(state.lost_writes).toBe(0)
    })
  },
)
