// The upgrade methods the bench measures. Each entry: the action's inputs that select it, and the same
// procedure scripted with the official Heroku CLI as a careful person would type it. Add a method by
// adding an entry to METHODS.

import { behindBy, createdAddon, type HerokuCli } from './heroku-cli'

export interface Formation {
  type: string
  quantity: number
}

export interface CliContext {
  cli: HerokuCli
  app: string
  /** The app's formation before anything changed (a careful person notes it with `heroku ps` first). */
  formation: Formation[]
  /** Current plan of the database, without the `heroku-postgresql:` prefix. */
  plan: string
  version: string
}

export interface BenchMethod {
  name: string
  /** Inputs beyond heroku-api-key, app and confirm; poll-interval is left at its default. */
  inputs: (version: string) => Record<string, string>
  /** Maintenance windows (switches) one run is expected to open. */
  switches: number
  cli: (context: CliContext) => Promise<void>
}

/** Pause between two `pg:info` looks while waiting for `Behind By: 0 commits` (plus the CLI's own ~2 s). */
const LOOK_AGAIN_MS = 1_000
const MAX_LOOKS = 60

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Seeds 000 and 003, with the scale-down of seed 001: follower, window, upgrade it, promote it. */
async function followerWithCli({ cli, app, formation, plan, version }: CliContext): Promise<void> {
  const created = await cli.ok(
    'addons:create',
    `heroku-postgresql:${plan}`,
    '-a',
    app,
    '--',
    '--follow',
    'DATABASE_URL',
  )
  const follower = createdAddon(`${created.stdout}\n${created.stderr}`)
  await cli.ok('pg:wait', '-a', app)
  await cli.ok('pg:info', '-a', app)

  await cli.ok('maintenance:on', '-a', app)
  const running = formation.filter((entry) => entry.quantity > 0)
  await cli.ok('ps:scale', ...running.map((entry) => `${entry.type}=0`), '-a', app)
  for (let look = 1; ; look++) {
    const info = await cli.ok('pg:info', follower, '-a', app)
    if (behindBy(info.stdout, follower) === '0 commits') break
    if (look >= MAX_LOOKS) throw new Error(`${follower} was never 0 commits behind`)
    await sleep(LOOK_AGAIN_MS)
  }
  await cli.ok('pg:upgrade:run', follower, '--version', version, '--confirm', app, '-a', app)
  await cli.ok('pg:upgrade:wait', follower, '-a', app)
  await cli.ok('pg:promote', follower, '-a', app)
  await cli.ok('ps:scale', ...running.map((entry) => `${entry.type}=${entry.quantity}`), '-a', app)
  await cli.ok('maintenance:off', '-a', app)
}

export const METHODS: BenchMethod[] = [
  {
    name: 'follower',
    inputs: (version) => ({ method: 'follower', version }),
    switches: 1,
    cli: followerWithCli,
  },
]
