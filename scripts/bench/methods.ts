// The upgrade methods the bench measures. Each entry: the action's inputs that select it, and the same
// procedure scripted with the official Heroku CLI as a careful person would type it. Add a method by
// adding an entry to METHODS.

import { attachmentOf, behindBy, capturedBackup, createdAddon, type HerokuCli } from './heroku-cli'

export interface Formation {
  type: string
  quantity: number
}

/** What a run is asked to reach, and where the database starts. */
export interface Target {
  /** The major version the upgrade methods go to. */
  version: string
  /** The database's major version before the run (plan-change keeps it). */
  currentMajor: string
}

export interface CliContext extends Target {
  cli: HerokuCli
  app: string
  /** The add-on serving DATABASE_URL before the run. */
  addon: string
  /** The app's formation before anything changed (a careful person notes it with `heroku ps` first). */
  formation: Formation[]
  /** Current plan of the database, without the `heroku-postgresql:` prefix. */
  plan: string
}

export interface BenchMethod {
  name: string
  /** Inputs beyond heroku-api-key, app and confirm; poll-interval is left at its default. */
  inputs: (target: Target) => Record<string, string>
  /** Maintenance windows (switches) one run is expected to open; 0 for a method with no downtime. */
  switches: number
  cli: (context: CliContext) => Promise<void>
}

/** The plan plan-change moves standard-pg14's Standard-0 database to. */
export const PLAN_CHANGE_TARGET = 'standard-2'

/** Pause between two `pg:info` looks while waiting for `Behind By: 0 commits` (plus the CLI's own ~2 s). */
const LOOK_AGAIN_MS = 1_000
const MAX_LOOKS = 60

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const running = (formation: Formation[]): Formation[] => formation.filter((entry) => entry.quantity > 0)

/** Maintenance mode alone leaves web dynos running (seed 004): every running type goes to zero. */
async function openWindow({ cli, app, formation }: CliContext): Promise<void> {
  await cli.ok('maintenance:on', '-a', app)
  await cli.ok('ps:scale', ...running(formation).map((entry) => `${entry.type}=0`), '-a', app)
}

async function closeWindow({ cli, app, formation }: CliContext): Promise<void> {
  await cli.ok('ps:scale', ...running(formation).map((entry) => `${entry.type}=${entry.quantity}`), '-a', app)
  await cli.ok('maintenance:off', '-a', app)
}

/**
 * A new, empty database on the current plan and the target version, waited for and looked up with
 * `pg:info` for the config var the later commands name it by.
 */
async function createDatabase({
  cli,
  app,
  plan,
  version,
}: CliContext): Promise<{ addon: string; alias: string }> {
  const created = await cli.ok(
    'addons:create',
    `heroku-postgresql:${plan}`,
    '-a',
    app,
    '--',
    '--version',
    version,
  )
  const addon = createdAddon(`${created.stdout}\n${created.stderr}`)
  await cli.ok('pg:wait', '-a', app)
  const info = await cli.ok('pg:info', '-a', app)
  const alias = attachmentOf(info.stdout, addon)
  if (!alias) throw new Error(`pg:info lists no config var for ${addon}:\n${info.stdout}`)
  return { addon, alias }
}

/** Seeds 000 and 003, with the scale-down of seed 001: follower, window, upgrade it, promote it. */
async function followerWithCli(context: CliContext): Promise<void> {
  const { cli, app, plan, version } = context
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

  await openWindow(context)
  for (let look = 1; ; look++) {
    const info = await cli.ok('pg:info', follower, '-a', app)
    if (behindBy(info.stdout, follower) === '0 commits') break
    if (look >= MAX_LOOKS) throw new Error(`${follower} was never 0 commits behind`)
    await sleep(LOOK_AGAIN_MS)
  }
  await cli.ok('pg:upgrade:run', follower, '--version', version, '--confirm', app, '-a', app)
  await cli.ok('pg:upgrade:wait', follower, '-a', app)
  await cli.ok('pg:promote', follower, '-a', app)
  await closeWindow(context)
}

/** Standard and higher: prepared while the app is up, run in the window. */
async function inPlaceWithCli(context: CliContext): Promise<void> {
  const { cli, app, version } = context
  await cli.ok('pg:upgrade:prepare', 'DATABASE_URL', '--version', version, '--confirm', app, '-a', app)
  // Returns once Heroku answers that the prepared upgrade is scheduled.
  await cli.ok('pg:upgrade:wait', 'DATABASE_URL', '-a', app)

  await openWindow(context)
  await cli.ok('pg:upgrade:run', 'DATABASE_URL', '--confirm', app, '-a', app)
  await cli.ok('pg:upgrade:wait', 'DATABASE_URL', '-a', app)
  await closeWindow(context)
}

async function copyWithCli(context: CliContext): Promise<void> {
  const { cli, app } = context
  const { alias } = await createDatabase(context)

  await openWindow(context)
  // pg:copy asks for the target's name (HEROKU_POSTGRESQL_RED_URL → RED), not the app's.
  const confirmation = alias.replace(/^HEROKU_POSTGRESQL_/, '').replace(/_URL$/, '')
  await cli.ok('pg:copy', 'DATABASE_URL', alias, '--confirm', confirmation, '-a', app)
  await cli.ok('pg:promote', alias, '-a', app)
  await closeWindow(context)
}

async function backupRestoreWithCli(context: CliContext): Promise<void> {
  const { cli, app } = context
  const { alias } = await createDatabase(context)

  await openWindow(context)
  const capture = await cli.ok('pg:backups:capture', '-a', app)
  const backup = capturedBackup(`${capture.stdout}\n${capture.stderr}`)
  await cli.ok('pg:backups:restore', backup, alias, '--confirm', app, '-a', app)
  await cli.ok('pg:promote', alias, '-a', app)
  await closeWindow(context)
}

/**
 * addons:upgrade prepares a replacement with the app up; the changeover is a data maintenance, run in a window
 * once data:maintenances:info says it is ready (the CLI has no wait for that: a careful person polls).
 */
async function planChangeWithCli(context: CliContext): Promise<void> {
  const { cli, app, addon } = context
  await cli.ok('addons:upgrade', addon, `heroku-postgresql:${PLAN_CHANGE_TARGET}`, '-a', app)
  for (;;) {
    const info = await cli.ok('data:maintenances:info', addon, '--json', '-a', app)
    if ((JSON.parse(info.stdout) as { status?: string }).status === 'ready') break
    await sleep(1000)
  }
  await openWindow(context)
  await cli.ok('data:maintenances:run', addon, '--wait', '-a', app)
  await closeWindow(context)
}

export const METHODS: BenchMethod[] = [
  {
    name: 'follower',
    inputs: ({ version }) => ({ method: 'follower', version }),
    switches: 1,
    cli: followerWithCli,
  },
  {
    name: 'in-place',
    inputs: ({ version }) => ({ method: 'in-place', version }),
    switches: 1,
    cli: inPlaceWithCli,
  },
  {
    name: 'copy',
    inputs: ({ version }) => ({ method: 'copy', version }),
    switches: 1,
    cli: copyWithCli,
  },
  {
    name: 'backup-restore',
    inputs: ({ version }) => ({ method: 'backup-restore', version }),
    switches: 1,
    cli: backupRestoreWithCli,
  },
  {
    name: 'plan-change',
    // The version must stay the current one, or the action refuses the method.
    inputs: ({ currentMajor }) => ({
      method: 'plan-change',
      version: currentMajor,
      plan: PLAN_CHANGE_TARGET,
    }),
    switches: 1,
    cli: planChangeWithCli,
  },
]
