import { describe, expect, it } from 'vitest'
import { CLI_TEST_TIMEOUT_MS, fastScenarioPerTest, STOPPED_CLOCK } from './procedure'
import { advanceClock, type RunningSimulator } from './simulator'

const app = 'acme-web'

interface ListedDyno {
  id: string
  name: string
  type: string
  state: string
  release: { version: number }
}

async function dynos(simulator: RunningSimulator): Promise<ListedDyno[]> {
  const response = await fetch(`${simulator.target.url}/apps/${app}/dynos`, {
    headers: {
      Authorization: `Bearer ${simulator.target.apiKey}`,
      Accept: 'application/vnd.heroku+json; version=3',
    },
  })
  expect(response.status).toBe(200)
  return (await response.json()) as ListedDyno[]
}

function states(listed: ListedDyno[]): string[] {
  return listed.map((d) => `${d.name} ${d.state}`).sort()
}

/** `name state` of every dyno `heroku ps` prints, sorted. */
function psLines(stdout: string): string[] {
  return [...stdout.matchAll(/^(\S+\.\d+)(?: \([^)]*\))?: (up|starting) /gm)]
    .map((m) => `${m[1]} ${m[2]}`)
    .sort()
}

// The clock is all but stopped and the test moves it: a restarted dyno stays `starting` for dyno_boot (10 s).
describe(
  'ps:restart, ps:stop and run:detached driven by the official Heroku CLI',
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    const scenario = fastScenarioPerTest('standard-pg14', STOPPED_CLOCK)

    it('restarts a dyno, a process type or every formation dyno as new dynos that boot; stops a one-off dyno', async () => {
      const { url } = scenario.simulator.target
      const run = await scenario.heroku.ok(
        'run:detached',
        '--size',
        'performance-m',
        '-a',
        app,
        '--',
        'rake',
        'task',
      )
      const oneOff = /done, (run\.\d{4,5})/.exec(run.stderr)?.[1] ?? ''
      expect(oneOff, run.stderr).not.toBe('')
      await advanceClock(url, 10)
      const before = await dynos(scenario.simulator)
      expect(before.every((d) => d.state === 'up')).toBe(true)

      const one = await scenario.heroku.ok('ps:restart', '--dyno-name', 'web.1', '-a', app)
      expect(one.stderr).toContain(`Restarting dyno web.1 on ${app}... done`)
      expect(states(await dynos(scenario.simulator))).toEqual(
        [`${oneOff} up`, 'clock.1 up', 'web.1 starting', 'web.2 up', 'worker.1 up'].sort(),
      )
      await advanceClock(url, 10)

      const type = await scenario.heroku.ok('ps:restart', '--process-type', 'web', '-a', app)
      expect(type.stderr).toContain(`Restarting all web dynos on ${app}... done`)
      expect(states(await dynos(scenario.simulator))).toEqual(
        [`${oneOff} up`, 'clock.1 up', 'web.1 starting', 'web.2 starting', 'worker.1 up'].sort(),
      )
      await advanceClock(url, 10)

      const all = await scenario.heroku.ok('ps:restart', '-a', app)
      expect(all.stderr).toContain(`Restarting all dynos on ${app}... done`)
      const restarted = await dynos(scenario.simulator)
      // Every formation dyno is a new dyno under its old name; the one-off dyno is left alone.
      for (const dyno of restarted.filter((d) => d.type !== 'run')) {
        expect(dyno.state).toBe('starting')
        expect(before.map((d) => d.id)).not.toContain(dyno.id)
      }
      expect(restarted.find((d) => d.name === oneOff)).toMatchObject({ state: 'up' })
      await advanceClock(url, 10)
      expect((await dynos(scenario.simulator)).every((d) => d.state === 'up')).toBe(true)

      const stopped = await scenario.heroku.ok('ps:stop', '--dyno-name', oneOff, '-a', app)
      expect(stopped.stderr).toContain(`Stopping dyno ${oneOff} on ${app}... done`)
      // SIGTERM: it runs for dyno_stop (30 s) but is not listed meanwhile (stopping_dynos_listed "hidden").
      expect((await scenario.heroku.ok('ps', '-a', app)).stdout).not.toContain(oneOff)
      await advanceClock(url, 30)
      const ps = await scenario.heroku.ok('ps', '-a', app)
      expect(ps.stdout).not.toContain(oneOff)
      expect(psLines(ps.stdout)).toEqual(['clock.1 up', 'web.1 up', 'web.2 up', 'worker.1 up'])

      const unknown = await scenario.heroku.run('ps:restart', '--process-type', 'urgent', '-a', app)
      expect(unknown.code).toBe(2)
      expect(unknown.stderr).toContain("Couldn't find that process type (urgent).")
      const badSize = await scenario.heroku.run(
        'run:detached',
        '--size',
        'Free',
        '-a',
        app,
        '--',
        'rake',
        'task',
      )
      expect(badSize.code).toBe(2)
      expect(badSize.stderr).toContain('No such size as Free.')
    })
  },
)
