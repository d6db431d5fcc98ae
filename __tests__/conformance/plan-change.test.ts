import { afterEach, describe, expect, it } from 'vitest'
import { pgInfoBlock } from './pg-info'
import { CLI_TEST_TIMEOUT_MS, herokuOn, type Heroku } from './procedure'
import { simulatorState, startFastScenario, type RunningSimulator } from './simulator'

/** Runs data:maintenances:info until the maintenance is ready (plan_change_prepare on the fast clock). */
async function untilMaintenanceReady(heroku: Heroku, app: string): Promise<string> {
  let last = ''
  for (let attempt = 0; attempt < 20; attempt++) {
    last = (await heroku.ok('data:maintenances:info', 'DATABASE', '--app', app)).stdout
    if (/status:\s+ready/.test(last)) return last
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`the maintenance never became ready; last data:maintenances:info:\n${last}`)
}

// The plan-change method's twin: addons:upgrade on the database itself. Heroku prepares a replacement with the
// app up, then changes over when the maintenance is run (or in the database's maintenance window). The add-on,
// its attachments and its data stay; the plan shown changes at the changeover, with new credentials.
describe('plan change driven by the official Heroku CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let simulator: RunningSimulator | undefined

  afterEach(async () => {
    await simulator?.stop()
  })

  it('changes a Standard database to standard-2 with addons:upgrade, then data:maintenances:run --wait', async () => {
    simulator = await startFastScenario('standard-pg14')
    const heroku = herokuOn(simulator.target)
    const app = 'acme-web'
    const addon = 'postgresql-curved-12345'

    const upgrade = await heroku.ok('addons:upgrade', addon, 'heroku-postgresql:standard-2', '--app', app)
    expect(upgrade.stderr).toContain(
      `Changing ${addon} on ${app} from heroku-postgresql:standard-0 to heroku-postgresql:standard-2... done`,
    )
    // pg:wait does not wait for a plan change: the database stays available while it is prepared.
    await heroku.ok('pg:wait', '--app', app, '--wait-interval', '1')
    const preparing = pgInfoBlock((await heroku.ok('pg:info', '--app', app)).stdout, 'DATABASE_URL')
    expect(preparing.fields['Plan']).toBe('Standard 0')

    await untilMaintenanceReady(heroku, app)
    const run = await heroku.ok('data:maintenances:run', 'DATABASE', '--confirm', app, '--wait', '--app', app)
    expect(run.stderr).toContain('Waiting for maintenance to complete... maintenance completed')

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
