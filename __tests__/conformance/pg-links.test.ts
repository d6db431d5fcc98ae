import { describe, expect, it } from 'vitest'
import { CLI_TEST_TIMEOUT_MS, fastScenarioPerTest } from './procedure'

const app = 'acme-shop'

describe('pg:links driven by the official Heroku CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  const scenario = fastScenarioPerTest('premium-follower-pooler')

  it('lists every database of the app, each without links, and one database by name', async () => {
    const { heroku } = scenario
    const all = await heroku.ok('pg:links', '-a', app)
    expect(all.stdout).toBe(
      [
        '=== postgresql-rigid-40213',
        '',
        'No data sources are linked into this database',
        '',
        '=== postgresql-amber-40214',
        '',
        'No data sources are linked into this database',
        '',
      ].join('\n'),
    )
    const one = await heroku.ok('pg:links', 'HEROKU_POSTGRESQL_AMBER', '-a', app)
    expect(one.stdout).toBe('=== postgresql-amber-40214\n\nNo data sources are linked into this database\n')
  })
})
