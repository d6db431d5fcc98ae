import { describe, expect, it } from 'vitest'
import { CLI_TEST_TIMEOUT_MS, fastScenarioPerTest, STOPPED_CLOCK } from './procedure'
import { advanceClock } from './simulator'

const app = 'acme-web'

// The clock is all but stopped so that the release phase of acme-web is still running when the CLI looks.
describe('releases:info driven by the official Heroku CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  const scenario = fastScenarioPerTest('standard-pg14', STOPPED_CLOCK)

  it('shows the latest release or one by version, with the config vars that release has', async () => {
    const set = await scenario.heroku.ok('config:set', 'FEATURE_FLAG=on', '-a', app)
    const version = /restarting acme-web\.\.\. done, v(\d+)/.exec(set.stderr)?.[1]
    expect(version, set.stderr).toBeDefined()

    const pending = await scenario.heroku.ok('releases:info', '-a', app)
    expect(pending.stdout).toContain(`=== Release v${version}`)
    expect(pending.stdout).toMatch(/^Change:\s+Set FEATURE_FLAG config vars \(release command executing\)$/m)
    expect(pending.stdout).toMatch(/^Eligible for Rollback\?:\s+No$/m)
    expect(pending.stdout).toContain(`=== v${version} Config vars`)
    expect(pending.stdout).toMatch(/^FEATURE_FLAG:\s+on$/m)

    await advanceClock(scenario.simulator.target.url, 60)
    const done = await scenario.heroku.ok('releases:info', `v${version}`, '-a', app)
    expect(done.stdout).toMatch(/^Change:\s+Set FEATURE_FLAG config vars$/m)
    expect(done.stdout).toMatch(/^Eligible for Rollback\?:\s+Yes$/m)
    expect(done.stdout).toMatch(/^By:\s+owner@example\.com$/m)

    // The release before has the config as it was then: no FEATURE_FLAG.
    const previous = await scenario.heroku.ok(
      'releases:info',
      String(Number(version) - 1),
      '-a',
      app,
      '--shell',
    )
    expect(previous.stdout).toContain(`=== v${Number(version) - 1} Config vars`)
    expect(previous.stdout).toMatch(/^DATABASE_URL='postgres:\/\/\S+'$/m)
    expect(previous.stdout).not.toContain('FEATURE_FLAG')

    const missing = await scenario.heroku.run('releases:info', 'v999', '-a', app)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("Couldn't find that release.")
  })
})
