import { afterEach, describe, expect, it } from 'vitest'
import { pgInfoBlock } from './pg-info'
import { CLI_TEST_TIMEOUT_MS, createdAddonName, herokuOn } from './procedure'
import { startFastScenario, type RunningSimulator } from './simulator'

// Failures the official CLI must report the way it reports them against Heroku.
describe('failures reported by the official Heroku CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let simulator: RunningSimulator | undefined

  afterEach(async () => {
    await simulator?.stop()
  })

  it('pg:promote reports a failed Attach DATABASE release and still exits 0', async () => {
    const app = 'acme-web'
    const oldAddon = 'postgresql-curved-12345'
    simulator = await startFastScenario('standard-pg14', (scenario) => {
      scenario.faults = [{ type: 'attach-release-fails', app }]
    })
    const heroku = herokuOn(simulator.target)
    const create = await heroku.ok('addons:create', 'heroku-postgresql:standard-0', '-a', app)
    const newAddon = createdAddonName(create)
    await heroku.ok('pg:wait', '-a', app, '--wait-interval', '1')

    const promote = await heroku.run('pg:promote', newAddon, '-a', app)

    expect(promote.code).toBe(0)
    expect(promote.stderr).toContain(
      `Checking release phase... pg:promote failed because Attach DATABASE (@ref:${newAddon}) release was unsuccessful. ` +
        `Your application is currently running with ${oldAddon} attached as DATABASE_URL. Check your release phase logs for failure causes.`,
    )
  })

  it('pg:upgrade:wait exits 1 with the step at which an in-place upgrade failed', async () => {
    const app = 'acme-small'
    simulator = await startFastScenario('essential-pg15', (scenario) => {
      scenario.faults = [{ type: 'upgrade-fails', step: 3 }]
    })
    const heroku = herokuOn(simulator.target)

    await heroku.ok('pg:upgrade:run', 'DATABASE_URL', '--version', '17', '--confirm', app, '-a', app)
    const wait = await heroku.run('pg:upgrade:wait', 'DATABASE_URL', '-a', app, '--wait-interval', '1')

    expect(wait.code).toBe(1)
    // An Essential upgrade has six steps (no followers to recreate).
    expect(wait.stderr).toMatch(/Error: \(3\/6\) .*step 3/)
    const info = await heroku.ok('pg:info', '-a', app)
    expect(pgInfoBlock(info.stdout, 'DATABASE_URL').fields['PG Version']).toMatch(/^15\.\d+$/)
  })
})
