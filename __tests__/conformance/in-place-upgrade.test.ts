import { afterEach, describe, expect, it } from 'vitest'
import { pgInfoBlock } from './pg-info'
import { CLI_TEST_TIMEOUT_MS, herokuOn } from './procedure'
import { simulatorState, addonIn, startFastScenario, type RunningSimulator } from './simulator'

// Direct upgrades: pg:upgrade:run on Essential; pg:upgrade:prepare then pg:upgrade:run on Standard.
describe('in-place upgrade driven by the official Heroku CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let simulator: RunningSimulator | undefined

  afterEach(async () => {
    await simulator?.stop()
  })

  it('upgrades an Essential database with pg:upgrade:run and pg:upgrade:wait', async () => {
    simulator = await startFastScenario('essential-pg15')
    const heroku = herokuOn(simulator.target)
    const app = 'acme-small'
    const addon = 'postgresql-silent-20481'

    const before = pgInfoBlock((await heroku.ok('pg:info', '--app', app)).stdout, 'DATABASE_URL')
    expect(before.fields['PG Version']).toMatch(/^15\.\d+$/)

    await heroku.ok('maintenance:on', '--app', app)
    // Maintenance mode does not stop web dynos (seed 004): scale every process type down.
    await heroku.ok('ps:scale', 'web=0', 'worker=0', '--app', app)
    // pg:upgrade:* refuse to prepare an Essential database: run is the only way.
    const prepare = await heroku.run(
      'pg:upgrade:prepare',
      'DATABASE_URL',
      '--version',
      '17',
      '--confirm',
      app,
      '--app',
      app,
    )
    expect(prepare.code).not.toBe(0)
    expect(prepare.stderr).toContain('For Essential-tier databases, use heroku pg:upgrade:run instead.')

    const run = await heroku.ok(
      'pg:upgrade:run',
      'DATABASE_URL',
      '--version',
      '17',
      '--confirm',
      app,
      '--app',
      app,
    )
    expect(run.stderr).toContain(`Starting upgrade on ${addon}... done`)
    expect(run.stderr).toContain(
      'Started the upgrade. You can monitor the progress with heroku pg:upgrade:wait.',
    )
    const wait = await heroku.ok('pg:upgrade:wait', 'DATABASE_URL', '--app', app, '--wait-interval', '1')
    // Essential databases have no followers: their upgrade has six steps, without "recreating followers".
    expect(wait.stdout + wait.stderr).toContain(`Waiting for database ${addon}... (6/6) updating extensions`)
    expect(wait.stdout + wait.stderr).not.toContain('recreating followers')
    await heroku.ok('ps:scale', 'web=1', 'worker=1', '--app', app)
    await heroku.ok('maintenance:off', '--app', app)

    const after = pgInfoBlock((await heroku.ok('pg:info', '--app', app)).stdout, 'DATABASE_URL')
    expect(after.fields['Add-on']).toBe(addon)
    expect(after.fields['PG Version']).toMatch(/^17\.\d+$/)
    const state = await simulatorState(simulator.target.url)
    expect(addonIn(state, addon)?.version).toMatch(/^17\./)
    expect(state.lost_writes).toBe(0)
  })

  it('upgrades a Standard leader with pg:upgrade:prepare, then pg:upgrade:run in maintenance', async () => {
    simulator = await startFastScenario('standard-pg14')
    const heroku = herokuOn(simulator.target)
    const app = 'acme-web'
    const addon = 'postgresql-curved-12345'

    // run before prepare is refused by the API with its own error.
    const unprepared = await heroku.run('pg:upgrade:run', 'DATABASE_URL', '--confirm', app, '--app', app)
    expect(unprepared.code).not.toBe(0)
    expect(unprepared.stderr).toContain("You haven't scheduled a version upgrade on your database.")

    const prepare = await heroku.ok(
      'pg:upgrade:prepare',
      'DATABASE_URL',
      '--version',
      '17',
      '--confirm',
      app,
      '--app',
      app,
    )
    expect(prepare.stderr).toContain(`Preparing upgrade on ${addon}... done`)
    expect(prepare.stderr).toContain(
      'Your database is scheduled for upgrade during your next available maintenance window.',
    )
    // Once prepared (durations.upgrade_prepare), pg:upgrade:wait returns on the schedule: on stdout when
    // its first poll already found it prepared, as the spinner's last text (stderr) when it had to wait.
    const scheduled = await heroku.ok('pg:upgrade:wait', 'DATABASE_URL', '--app', app, '--wait-interval', '1')
    expect(scheduled.stdout + scheduled.stderr).toMatch(
      new RegExp(
        `Waiting for database ${addon}\\.\\.\\. upgrade is scheduled on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\.`,
      ),
    )

    await heroku.ok('maintenance:on', '--app', app)
    await heroku.ok('ps:scale', 'web=0', 'worker=0', 'clock=0', '--app', app)
    const run = await heroku.ok('pg:upgrade:run', 'DATABASE_URL', '--confirm', app, '--app', app)
    expect(run.stderr).toContain(`Starting upgrade on ${addon}... done`)
    const wait = await heroku.ok('pg:upgrade:wait', 'DATABASE_URL', '--app', app, '--wait-interval', '1')
    expect(wait.stdout + wait.stderr).toContain(`Waiting for database ${addon}... (7/7) recreating followers`)
    await heroku.ok('ps:scale', 'web=2', 'worker=1', 'clock=1', '--app', app)
    await heroku.ok('maintenance:off', '--app', app)

    const after = pgInfoBlock((await heroku.ok('pg:info', '--app', app)).stdout, 'DATABASE_URL')
    expect(after.fields['Add-on']).toBe(addon)
    expect(after.fields['PG Version']).toMatch(/^17\.\d+$/)
    const state = await simulatorState(simulator.target.url)
    expect(state.lost_writes).toBe(0)
  })
})
