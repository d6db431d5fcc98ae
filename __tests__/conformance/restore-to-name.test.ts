import { describe, expect, it } from 'vitest'
import { pgInfoBlockOfAddon } from './pg-info'
import {
  CLI_TEST_TIMEOUT_MS,
  createDatabaseAndWait,
  fastScenarioPerTest,
  withoutUrlSuffix,
} from './procedure'

const app = 'acme-small'

// The restore's POST names only the add-on; the transfer it creates reports the target by its attachment.
describe(
  'pg:backups:restore into a new database, as pg:backups lists it',
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    const scenario = fastScenarioPerTest('essential-pg15')

    it('names the target of the restore by the attachment the CLI resolved, not DATABASE', async () => {
      const { heroku } = scenario
      const newAddon = await createDatabaseAndWait(heroku, app, 'heroku-postgresql:standard-0')
      const info = await heroku.ok('pg:info', '-a', app)
      const alias = withoutUrlSuffix(pgInfoBlockOfAddon(info.stdout, newAddon).names[0] ?? '')
      expect(alias).toMatch(/^HEROKU_POSTGRESQL_[A-Z]+$/)

      const capture = await heroku.ok('pg:backups:capture', '-a', app, '--wait-interval', '1')
      const backup = /Backing up DATABASE to (b\d{3})\.\.\. done/.exec(capture.stderr)?.[1] ?? ''
      expect(backup, capture.stderr).not.toBe('')
      const restore = await heroku.ok('pg:backups:restore', backup, alias, '--confirm', app, '-a', app)
      expect(restore.stderr).toContain(`Starting restore of ${backup} to ${newAddon}... done`)

      const listed = await heroku.ok('pg:backups', '-a', app)
      const restores = listed.stdout.slice(
        listed.stdout.indexOf('=== Restores'),
        listed.stdout.indexOf('=== Copies'),
      )
      expect(restores).toMatch(new RegExp(`^\\s*r\\d{3} .* Completed .* ${alias}\\s*$`, 'm'))
      expect(restores).not.toMatch(/\bDATABASE\b/)
      const backups = listed.stdout.slice(
        listed.stdout.indexOf('=== Backups'),
        listed.stdout.indexOf('=== Restores'),
      )
      expect(backups).toMatch(new RegExp(`^\\s*${backup} .* Completed .* DATABASE\\s*$`, 'm'))
    })
  },
)
