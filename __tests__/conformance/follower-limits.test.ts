import { afterEach, describe, expect, it } from 'vitest'
import { pgInfoBlockOfAddon } from './pg-info'
import { CLI_TEST_TIMEOUT_MS, createdAddonName, herokuOn, type Heroku } from './procedure'
import { advanceClock, startFastScenario, type RunningSimulator } from './simulator'

const app = 'acme-web'
const leader = 'postgresql-curved-12345'

/** The CLI wraps long error messages over several lines; compare them as one line of words. */
function oneLine(text: string): string {
  return text.replace(/\s*›\s*/g, ' ').replace(/\s+/g, ' ')
}

function setLeader(scenario: Record<string, unknown>, changes: Record<string, unknown>): void {
  const apps = scenario.apps as { databases: Record<string, unknown>[] }[]
  Object.assign(apps[0]!.databases[0]!, changes)
}

// What addons:create and pg:info show of Heroku's rules on followers and forks.
describe(
  'follower and fork limits, as the official Heroku CLI shows them',
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    let simulator: RunningSimulator | undefined
    let heroku: Heroku

    afterEach(async () => {
      await simulator?.stop()
      simulator = undefined
    })

    const follow = (plan: string, source = 'DATABASE_URL') =>
      heroku.run('addons:create', `heroku-postgresql:${plan}`, '-a', app, '--', '--follow', source)

    it('refuses a follower too many plans below its leader or too small for its data', async () => {
      // A standard-3 leader holding 300 GB: standard-2 would be close enough, but only standard-3 holds the data.
      simulator = await startFastScenario('standard-pg14', (scenario) =>
        setLeader(scenario, { plan: 'standard-3', data_size_mb: 300 * 1024 }),
      )
      heroku = herokuOn(simulator.target)

      const tooFarBelow = await follow('standard-0')
      expect(tooFarBelow.code).not.toBe(0)
      expect(oneLine(tooFarBelow.stderr)).toContain(
        "Database followers are not supported more than 1 levels below this leader's plan. Please provision at least a standard-3 plan.",
      )

      const tooSmall = await follow('standard-2')
      expect(tooSmall.code).not.toBe(0)
      expect(oneLine(tooSmall.stderr)).toMatch(
        /heroku-postgresql:standard-2 is too small for the data of postgresql-curved-12345: it holds 300\.\d GB, more than the 256 GB that heroku-postgresql:standard-2 can store\. The smallest plan that can follow it is heroku-postgresql:standard-3\./,
      )

      const info = await heroku.ok('pg:info', '-a', app)
      expect(pgInfoBlockOfAddon(info.stdout, leader).fields['Data Size']).toMatch(/^300\.\d GB \/ 512 GB/)
      createdAddonName(await follow('standard-3'))
    })

    it('shows Fork/Follow as Temporarily Unavailable after pg:unfollow, and refuses to follow it until then', async () => {
      simulator = await startFastScenario('standard-pg14', (scenario) => {
        // Long enough that the running clock cannot end it during the test: the test moves past it.
        ;(scenario.durations as Record<string, number>).follow_cooldown = 360_000
      })
      heroku = herokuOn(simulator.target)
      const follower = createdAddonName(await follow('standard-0'))
      await heroku.ok('pg:wait', follower, '-a', app, '--wait-interval', '1')
      expect(
        pgInfoBlockOfAddon((await heroku.ok('pg:info', '-a', app)).stdout, leader).fields['Fork/Follow'],
      ).toBe('Available')

      await heroku.ok('pg:unfollow', follower, '--confirm', app, '-a', app)
      const cooling = await heroku.ok('pg:info', follower, '-a', app)
      expect(pgInfoBlockOfAddon(cooling.stdout, follower).fields['Fork/Follow']).toBe(
        'Temporarily Unavailable',
      )
      const refused = await follow('standard-0', follower)
      expect(refused.code).not.toBe(0)
      expect(oneLine(refused.stderr)).toContain(
        `${follower} is not ready to be followed or forked yet: it became a fork (forked, unfollowed, or upgraded from a follower) a short while ago. Wait until heroku pg:info shows "Fork/Follow: Available" for it, then try again.`,
      )

      await advanceClock(simulator.target.url, 360_000)
      const ready = await heroku.ok('pg:info', follower, '-a', app)
      expect(pgInfoBlockOfAddon(ready.stdout, follower).fields['Fork/Follow']).toBe('Available')
      createdAddonName(await follow('standard-0', follower))
    })

    it('refuses a new database on a Postgres version the scenario does not support', async () => {
      simulator = await startFastScenario('standard-pg14')
      heroku = herokuOn(simulator.target)
      const refused = await heroku.run(
        'addons:create',
        'heroku-postgresql:essential-0',
        '-a',
        app,
        '--',
        '--version',
        '14',
      )
      expect(refused.code).not.toBe(0)
      expect(oneLine(refused.stderr)).toContain(
        'We tried to create heroku-postgresql:essential-0, but received an error from the add-on provider. Try the request again, or log a support ticket and include this message: Unsupported version: 14. We support the following versions: 15, 16, 17, 18',
      )
    })
  },
)
