import { afterEach, describe, expect, it } from 'vitest'
import { pgInfoBlock } from './pg-info'
import { CLI_TEST_TIMEOUT_MS, herokuOn, type Heroku } from './procedure'
import { advanceClock, startFastScenario, type RunningSimulator } from './simulator'

// Data maintenances as the official CLI drives them: addons:upgrade on a Standard database prepares a
// changeover that data:maintenances:run (or the maintenance window) runs; a prepared in-place upgrade runs by
// itself at the window start. The clock is all but stopped and the test moves it.

interface AddonState {
  name: string
  plan: string
  version: string
  upgrade: string | null
  upgrade_scheduled_for: string | null
  refused_writes: number
  maintenance: { status: string; scheduled_for: string | null; window: string | null }
}

interface State {
  addons: AddonState[]
  lost_writes: number
  clock: { simulated_time: string }
}

async function state(url: string): Promise<State> {
  return (await (await fetch(`${url}/__simulator/state`)).json()) as State
}

const addonIn = (s: State, name: string) => s.addons.find((a) => a.name === name) as AddonState

/** How many requests the simulator has answered whose path matches. */
async function requestCount(url: string, path: RegExp): Promise<number> {
  const requests = (await (await fetch(`${url}/__simulator/requests`)).json()) as { path: string }[]
  return requests.filter((r) => path.test(r.path)).length
}

async function untilRequestCount(url: string, path: RegExp, count: number): Promise<void> {
  const deadline = Date.now() + 20_000
  while ((await requestCount(url, path)) < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} requests matching ${path}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const APP = 'acme-web'
const ADDON = 'postgresql-curved-12345'

describe('data maintenances driven by the official Heroku CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let simulator: RunningSimulator | undefined
  let heroku: Heroku
  let url: string

  afterEach(async () => {
    await simulator?.stop()
    simulator = undefined
  })

  async function start(): Promise<void> {
    simulator = await startFastScenario('standard-pg14', (scenario) => {
      scenario.speed = 0.001
      const durations = scenario.durations as Record<string, number>
      Object.assign(durations, {
        plan_change_prepare: 3600,
        plan_change: 45,
        upgrade_prepare: 600,
        upgrade_run_ready_after: 300,
        upgrade: 420,
      })
    })
    heroku = herokuOn(simulator.target)
    url = simulator.target.url
  }

  it('addons:upgrade prepares a changeover that data:maintenances:run runs, with new credentials', async () => {
    await start()
    const before = (await heroku.ok('config:get', 'DATABASE_URL', '--app', APP)).stdout.trim()

    const upgrade = await heroku.ok(
      'addons:upgrade',
      'DATABASE',
      'heroku-postgresql:standard-2',
      '--app',
      APP,
    )
    // The Platform API still shows (and bills) the old plan: the CLI prints its price.
    expect(upgrade.stderr).toContain(
      `Changing ${ADDON} on ${APP} from heroku-postgresql:standard-0 to heroku-postgresql:standard-2... done, ~$0.069/hour (max $50/month)`,
    )
    expect(upgrade.stdout).toContain('Preparing the change to heroku-postgresql:standard-2')

    const preparing = await heroku.ok('data:maintenances:info', 'DATABASE', '--app', APP)
    expect(preparing.stdout).toMatch(/status:\s+preparing/)
    expect(preparing.stdout).toMatch(/addon_plan:\s+standard-0/)
    expect(preparing.stdout).toMatch(
      /reason:\s+Plan change from heroku-postgresql:standard-0 to heroku-postgresql:standard-2/,
    )

    const window = await heroku.ok('data:maintenances:window', 'DATABASE', '--app', APP)
    expect(window.stdout).toMatch(/window:\s+\w+days \d\d:00 to \w+days \d\d:00 UTC/)
    const updated = await heroku.ok(
      'data:maintenances:window:update',
      'DATABASE',
      'sunday',
      '1:30PM',
      '--app',
      APP,
    )
    expect(updated.stdout).toMatch(/window:\s+Sundays 13:30 to Sundays 17:30 UTC/)
    const badWindow = await heroku.run(
      'data:maintenances:window:update',
      'DATABASE',
      'funday',
      '13:15',
      '--app',
      APP,
    )
    expect(badWindow.code).not.toBe(0)
    expect(badWindow.stderr).toContain('Invalid maintenance window: day_of_week: expected a day of the week')

    // Not in maintenance mode: the CLI itself refuses. In maintenance mode, the API refuses while preparing.
    const noMaintenance = await heroku.run('data:maintenances:run', 'DATABASE', '--app', APP)
    expect(noMaintenance.code).not.toBe(0)
    expect(noMaintenance.stderr).toContain('Application is not in maintenance mode.')
    await heroku.ok('maintenance:on', '--app', APP)
    const notReady = await heroku.run('data:maintenances:run', 'DATABASE', '--app', APP)
    expect(notReady.code).not.toBe(0)
    expect(notReady.stderr).toContain(`The maintenance of ${ADDON} is not ready to run yet`)

    await advanceClock(url, 3600)
    const ready = await heroku.ok('data:maintenances:info', 'DATABASE', '--app', APP)
    expect(ready.stdout).toMatch(/status:\s+ready/)
    expect(ready.stdout).toMatch(/scheduled_for:\s+\d{4}-\d\d-\d\dT13:30:00Z/)
    expect(ready.stdout).toMatch(/window:\s+Sundays 13:30 to Sundays 17:30 UTC/)
    const listed = await heroku.ok('data:maintenances', '--app', APP)
    expect(listed.stdout).toMatch(
      new RegExp(`${ADDON}\\s+DATABASE\\s+Sundays 13:30 to Sundays 17:30 UTC\\s+ready`),
    )

    const refusedBefore = addonIn(await state(url), ADDON).refused_writes
    const run = await heroku.ok('data:maintenances:run', 'DATABASE', '--app', APP)
    expect(run.stderr).toContain('Triggering maintenance... maintenance triggered')
    const maintenancePath = new RegExp(`/data/maintenances/v1/[^/]+$`)
    const seen = await requestCount(url, maintenancePath)
    const waiting = heroku.ok('data:maintenances:wait', 'DATABASE', '--app', APP)
    // The command's first look must find the maintenance running, and its first poll too; then it is over.
    await untilRequestCount(url, maintenancePath, seen + 2)
    await advanceClock(url, 45)
    const waited = await waiting
    expect(waited.stderr).toContain(
      `Waiting for maintenance on ${ADDON} to complete... maintenance completed`,
    )

    const info = pgInfoBlock((await heroku.ok('pg:info', '--app', APP)).stdout, 'DATABASE_URL')
    expect(info.fields['Add-on']).toBe(ADDON)
    expect(info.fields['Plan']).toBe('Standard 2')
    expect(info.fields['PG Version']).toBe('14.18')
    const after = (await heroku.ok('config:get', 'DATABASE_URL', '--app', APP)).stdout.trim()
    expect(after).toMatch(/^postgres:\/\//)
    expect(after).not.toBe(before)
    const releases = await heroku.ok('releases', '--app', APP)
    expect(releases.stdout).toContain('Update DATABASE by heroku-postgresql')
    const history = await heroku.ok('data:maintenances:history', 'DATABASE', '--app', APP)
    expect(history.stdout).toMatch(/completed/)
    await heroku.ok('maintenance:off', '--app', APP)

    const final = await state(url)
    // The worker and clock dynos kept writing through the changeover: refused (failed), not lost.
    expect(addonIn(final, ADDON).refused_writes - refusedBefore).toBeGreaterThan(0)
    expect(addonIn(final, ADDON).maintenance.status).toBe('completed')
    expect(final.lost_writes).toBe(0)
  })

  it('a prepared upgrade is refused by upgrade:run until ready, then runs by itself in the window', async () => {
    await start()
    await heroku.ok('pg:upgrade:prepare', 'DATABASE_URL', '--version', '17', '--confirm', APP, '--app', APP)
    const preparing = await heroku.run('pg:upgrade:run', 'DATABASE_URL', '--confirm', APP, '--app', APP)
    expect(preparing.code).not.toBe(0)
    expect(preparing.stderr).toContain('Your database is not ready for upgrade.')

    await advanceClock(url, 600)
    // Prepared: the status names the window start, yet run still answers 400 "not ready" for a while.
    const scheduled = await heroku.ok('pg:upgrade:wait', 'DATABASE_URL', '--app', APP, '--wait-interval', '1')
    const s = addonIn(await state(url), ADDON)
    const when = (s.upgrade_scheduled_for as string).replace('T', ' ').replace('Z', ' UTC')
    expect(scheduled.stdout + scheduled.stderr).toContain(`upgrade is scheduled on ${when}.`)
    const notReady = await heroku.run('pg:upgrade:run', 'DATABASE_URL', '--confirm', APP, '--app', APP)
    expect(notReady.code).not.toBe(0)
    expect(notReady.stderr).toContain('Your database is not ready for upgrade.')
    expect(notReady.stderr).toContain('Error ID: bad_request')

    // Nobody runs it: the clock passes the window start, with the app up and its dynos writing.
    const now = Date.parse((await state(url)).clock.simulated_time)
    await advanceClock(url, (Date.parse(s.upgrade_scheduled_for as string) - now) / 1000 + 1)
    expect(addonIn(await state(url), ADDON).upgrade).toBe('running')
    const refusedAtStart = addonIn(await state(url), ADDON).refused_writes
    const polls = await requestCount(url, /\/upgrade\/wait_status$/)
    const waiting = heroku.ok('pg:upgrade:wait', 'DATABASE_URL', '--app', APP, '--wait-interval', '1')
    await untilRequestCount(url, /\/upgrade\/wait_status$/, polls + 1)
    await advanceClock(url, 420)
    const waited = await waiting
    expect(waited.stdout + waited.stderr).toContain(
      `Waiting for database ${ADDON}... (7/7) recreating followers`,
    )

    const info = pgInfoBlock((await heroku.ok('pg:info', '--app', APP)).stdout, 'DATABASE_URL')
    expect(info.fields['PG Version']).toBe('17.5')
    const final = await state(url)
    expect(addonIn(final, ADDON).refused_writes - refusedAtStart).toBeGreaterThan(20 * 400)
    expect(final.lost_writes).toBe(0)
  })
})
