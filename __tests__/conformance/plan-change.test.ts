import { afterEach, describe, expect, it } from 'vitest'
import { pgInfoBlock } from './pg-info'
import { CLI_TEST_TIMEOUT_MS, herokuOn } from './procedure'
import { simulatorState, startFastScenario, type RunningSimulator } from './simulator'

// The plan-change method's twin: addons:upgrade on the database itself, then pg:wait until Heroku changed
// over. The add-on, its attachments and its data stay; the app keeps running.
describe('plan change driven by the official Heroku CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let simulator: RunningSimulator | undefined

  afterEach(async () => {
    await simulator?.stop()
  })

  it('changes a Standard database to standard-2 in place with addons:upgrade and pg:wait', async () => {
    simulator = await startFastScenario('standard-pg14')
    const heroku = herokuOn(simulator.target)
    const app = 'acme-web'
    const addon = 'postgresql-curved-12345'

    const upgrade = await heroku.ok('addons:upgrade', addon, 'heroku-postgresql:standard-2', '--app', app)
    expect(upgrade.stderr).toContain(
      `Changing ${addon} on ${app} from heroku-postgresql:standard-0 to heroku-postgresql:standard-2... done`,
    )
    await heroku.ok('pg:wait', '--app', app, '--wait-interval', '1')

    const info = pgInfoBlock((await heroku.ok('pg:info', '--app', app)).stdout, 'DATABASE_URL')
    expect(info.fields['Add-on']).toBe(addon)
    expect(info.fields['Plan']).toBe('Standard 2')
    expect(info.fields['PG Version']).toMatch(/^14\./)
    const state = await simulatorState(simulator.target.url)
    expect(state.lost_writes).toBe(0)
  })

  it('refuses a change between Essential and the tiers above it, naming pg:copy', async () => {
    simulator = await startFastScenario('essential-pg15')
    const heroku = herokuOn(simulator.target)
    const refused = await heroku.run(
      'addons:upgrade',
      'postgresql-silent-20481',
      'heroku-postgresql:standard-0',
      '--app',
      'acme-small',
    )
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('Changing between the Essential tier and other tiers is not supported')
  })
})
