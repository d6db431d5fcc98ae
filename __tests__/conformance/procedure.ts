import { afterEach, beforeEach } from 'vitest'
import { runHeroku, runHerokuOk, type CliResult, type HerokuTarget } from './heroku-cli'
import { pgInfoBlockOfAddon } from './pg-info'
import { startFastScenario, type RunningSimulator } from './simulator'

/** `heroku …` bound to one simulator; `ok` fails the test (showing the CLI output) on a non-zero exit. */
export interface Heroku {
  ok(...args: string[]): Promise<CliResult>
  run(...args: string[]): Promise<CliResult>
}

export function herokuOn(target: HerokuTarget): Heroku {
  return {
    ok: (...args) => runHerokuOk(args, target),
    run: (...args) => runHeroku(args, target),
  }
}

/** The add-on name that `addons:create` reports for a database created in the background. */
export function createdAddonName(result: CliResult): string {
  const created = /^(\S+) is being created in the background\./m.exec(result.stdout)
  const done = /^Created (\S+)/m.exec(result.stdout)
  const name = created?.[1] ?? done?.[1]
  if (!name) throw new Error(`addons:create printed no add-on name:\n${result.stdout}\n${result.stderr}`)
  return name
}

/**
 * Runs `pg:info` until the follower `addonName` shows `Behind By: 0 commits`, the way an operator
 * watches it before switching over. Returns the last output.
 */
export async function waitUntilCaughtUp(heroku: Heroku, app: string, addonName: string): Promise<string> {
  let last = ''
  for (let attempt = 0; attempt < 30; attempt++) {
    last = (await heroku.ok('pg:info', addonName, '-a', app)).stdout
    if (pgInfoBlockOfAddon(last, addonName).fields['Behind By'] === '0 commits') return last
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`${addonName} never caught up; last pg:info:\n${last}`)
}

/** `HEROKU_POSTGRESQL_RED_URL` → `HEROKU_POSTGRESQL_RED`, the way pg:info names a database in a value. */
export function withoutUrlSuffix(configVar: string): string {
  return configVar.replace(/_URL$/, '')
}

/** A procedure runs a dozen or more CLI commands of about a second each; leave room on a loaded 2-core runner. */
export const CLI_TEST_TIMEOUT_MS = 300_000

/**
 * A scenario's clock all but stopped: the test moves it, so what the CLI sees does not depend on how fast
 * the machine is.
 */
export const STOPPED_CLOCK = (scenario: { speed?: unknown }): void => {
  scenario.speed = 0.001
}

/**
 * Starts the built-in scenario (on the fast clock, then `adjust`ed) before each test of the enclosing
 * `describe` and stops it after; read `simulator` and `heroku` inside the test.
 */
export function fastScenarioPerTest(
  name: string,
  adjust?: Parameters<typeof startFastScenario>[1],
): {
  readonly simulator: RunningSimulator
  readonly heroku: Heroku
} {
  let current: { simulator: RunningSimulator; heroku: Heroku } | undefined
  beforeEach(async () => {
    const simulator = await startFastScenario(name, adjust)
    current = { simulator, heroku: herokuOn(simulator.target) }
  })
  afterEach(async () => {
    await current?.simulator.stop()
    current = undefined
  })
  const running = () => {
    if (!current) throw new Error('fastScenarioPerTest: read simulator and heroku inside a test')
    return current
  }
  return {
    get simulator() {
      return running().simulator
    },
    get heroku() {
      return running().heroku
    },
  }
}

/**
 * `addons:create <plan> -a <app> -- <config…>` then `pg:wait`, as the seeds do before they go on;
 * returns the new add-on's name.
 */
export async function createDatabaseAndWait(
  heroku: Heroku,
  app: string,
  plan: string,
  ...config: string[]
): Promise<string> {
  const created = createdAddonName(await heroku.ok('addons:create', plan, '-a', app, '--', ...config))
  await heroku.ok('pg:wait', '-a', app, '--wait-interval', '1')
  return created
}
