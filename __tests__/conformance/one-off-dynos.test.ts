import { afterEach, describe, expect, it } from 'vitest'
import { CLI_TEST_TIMEOUT_MS, herokuOn } from './procedure'
import { simulatorState, startFastScenario, type RunningSimulator } from './simulator'

const app = 'acme-web'

// One-off dynos as `heroku run:detached`, `heroku ps` and `heroku ps:stop` see them.
describe('one-off dynos driven by the official Heroku CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let simulator: RunningSimulator | undefined

  afterEach(async () => {
    await simulator?.stop()
  })

  it('starts a detached one-off dyno that heroku ps lists until heroku ps:stop stops it', async () => {
    simulator = await startFastScenario('standard-pg14', (scenario) => {
      // On the fast clock the default 120 s would end the dyno within about a second of real time.
      ;(scenario.durations as Record<string, number>).one_off = 100_000
    })
    const heroku = herokuOn(simulator.target)

    const run = await heroku.ok('run:detached', '-a', app, '--', 'rake', 'task')
    const started = /Running rake task on (?:⬢ )?acme-web\.\.\. done, (run\.\d{4,5})/.exec(run.stderr)
    expect(started, run.stderr).not.toBeNull()
    const dyno = started?.[1] ?? ''
    expect(run.stdout).toContain(`heroku logs --app ${app} --dyno ${dyno}`)

    const ps = await heroku.ok('ps', '-a', app)
    expect(ps.stdout).toContain('=== run: one-off processes (1)')
    expect(ps.stdout).toMatch(
      new RegExp(`^${dyno.replace('.', '\\.')} \\(Standard-1X\\): (up|starting) .*: rake task$`, 'm'),
    )
    expect(ps.stdout).toMatch(/^=== web \(Standard-2X\): npm start \(2\)$/m)
    const state = await simulatorState(simulator.target.url)
    const listed = (state.apps[0] as unknown as { dynos: { name: string; type: string }[] }).dynos
    expect(listed).toContainEqual(expect.objectContaining({ name: dyno, type: 'run' }))

    await heroku.ok('ps:stop', '--dyno-name', dyno, '-a', app)
    const after = await heroku.ok('ps', '-a', app)
    expect(after.stdout).not.toContain('one-off processes')
    expect(after.stdout).not.toContain(dyno)
  })
})
