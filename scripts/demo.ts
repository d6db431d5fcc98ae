// `npm run demo -- [--scenario FILE|NAME] [--app NAME] [--method M] [--version N | --plan P] [--phase plan|all]`:
// rehearses an upgrade on the simulator. Starts a scenario (a built-in one, standard-pg14 unless told, or a
// JSON file of one's own app), runs the bundled action (dist/index.js) exactly as the GitHub runner would,
// then prints the job summary, the follow-up issue, the measured downtime, the API requests the run made and
// the lost-writes count. `--help` prints the usage. Exits 0 only when the run ends as asked (succeeded, or
// planned for --phase plan) with no lost write: `.ci/run` relies on it and on the last 4 lines.

import { existsSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { formatDuration } from '../src/domain/duration'
import { serverVersion } from '../simulator/data-plane/databases'
import { builtInScenarios, loadScenario, type Scenario, startSimulator } from '../simulator/index'
import { ENTRY, ROOT, RunnerJob, type StepRun } from './run-action'

const METHODS = ['auto', 'follower', 'in-place', 'copy', 'backup-restore', 'plan-change'] as const
type DemoMethod = (typeof METHODS)[number]
const PHASES = ['all', 'plan'] as const
type DemoPhase = (typeof PHASES)[number]
/** Flags that take a value, then the one that does not. */
const VALUE_FLAGS = ['--scenario', '--app', '--method', '--version', '--plan', '--phase'] as const
type ValueFlag = (typeof VALUE_FLAGS)[number]
const ALLOWED_FLAGS = [...VALUE_FLAGS, '--data-plane', '--help'].join(', ')
const DEFAULT_SCENARIO = 'standard-pg14'

/**
 * Simulated seconds per real second, for the simulator and for the action's clock and timers alike
 * (scripts/clock-preload.cjs): everything the action measures and prints is then in Heroku's time.
 */
const SPEED = 60
const CLOCK_PRELOAD = join(ROOT, 'scripts', 'clock-preload.cjs')
/** Real time a step may take: 20 simulated hours, beyond any default timeout of the action. */
const STEP_TIMEOUT_MS = 20 * 60_000
const REPOSITORY = 'acme/acme-web'

const USAGE = `Usage: npm run demo -- [options]

Runs the bundled action (dist/index.js) against the Heroku simulator, as a GitHub runner would, and prints
its log, the job summary, the follow-up issue, the measured downtime and the number of lost writes.

Options:
  --scenario FILE|NAME  A scenario JSON file of your own (a path), or a built-in scenario (default
                        ${DEFAULT_SCENARIO}):
                        ${builtInScenarios.join(', ')}.
  --app NAME            The app whose DATABASE is upgraded. Default: the scenario's first app.
  --method METHOD       ${METHODS.join(', ')}.
                        Default: auto (Heroku's advice).
  --version N           Target Postgres major version, such as 17. Default: the newest Heroku supports.
  --plan PLAN           Target plan, such as standard-2. Default: the current plan.
  --phase PHASE         all (the whole upgrade) or plan (the read-only report an approver reads).
                        Default: all.
  --data-plane          Real PostgreSQL servers behind the add-ons, and a real writer per writing dyno:
                        the lost writes are also counted in rows, and the database's real version is
                        read before and after (about 20 s more; see simulator/README.md, Data plane).
  --help, -h            Print this text and exit.

Example: npm run demo -- --scenario my-app.json --app my-app
The simulator runs ${SPEED}× faster than Heroku: 1 real second = 1 simulated minute.`

class UsageError extends Error {}

type Simulator = Awaited<ReturnType<typeof startSimulator>>

interface Demo {
  scenario: string
  /** Undefined: the scenario's first app. */
  app?: string
  method: DemoMethod
  phase: DemoPhase
  /** The action's `version` and `plan` inputs, when given. */
  target: { version?: string; plan?: string }
  /** Real PostgreSQL servers behind the add-ons (--data-plane). */
  dataPlane: boolean
}

/** `--flag value` and `--flag=value` pairs; `--help` alone. Throws UsageError naming the allowed flags. */
function readFlags(argv: string[]): Map<ValueFlag | '--data-plane', string> | 'help' {
  const flags = new Map<ValueFlag | '--data-plane', string>()
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string
    if (argument === '--help' || argument === '-h') return 'help'
    if (argument === '--data-plane') {
      flags.set(argument, 'true')
      continue
    }
    const [flag = '', inline] = argument.split(/=(.*)/s, 2)
    if (!(VALUE_FLAGS as readonly string[]).includes(flag))
      throw new UsageError(`Unknown option "${argument}". Allowed: ${ALLOWED_FLAGS}.`)
    const value = inline ?? argv[++index]
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--')))
      throw new UsageError(`Option ${flag} needs a value (${flag} VALUE or ${flag}=VALUE).`)
    if (flags.has(flag as ValueFlag)) throw new UsageError(`Option ${flag} is given twice. Give it once.`)
    flags.set(flag as ValueFlag, value)
  }
  return flags
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new UsageError(`${flag} is "${value}". Allowed: ${allowed.join(', ')}.`)
}

function parseArguments(argv: string[]): Demo | 'help' {
  const flags = readFlags(argv)
  if (flags === 'help') return flags
  const version = flags.get('--version')
  const plan = flags.get('--plan')
  return {
    scenario: scenarioArgument(flags.get('--scenario') ?? DEFAULT_SCENARIO),
    app: flags.get('--app'),
    method: oneOf('--method', flags.get('--method') ?? 'auto', METHODS),
    phase: oneOf('--phase', flags.get('--phase') ?? 'all', PHASES),
    target: { ...(version ? { version } : {}), ...(plan ? { plan } : {}) },
    dataPlane: flags.has('--data-plane'),
  }
}

/**
 * A built-in name as it is; a path read from where the user typed it: `npm run` runs the script from the
 * package's root and passes the user's directory as INIT_CWD.
 */
function scenarioArgument(value: string): string {
  const from = process.env.INIT_CWD
  if (builtInScenarios.includes(value) || isAbsolute(value) || !from) return value
  return resolve(from, value)
}

/** The app the demo upgrades: --app, or the scenario's first app; it must have a database as DATABASE. */
function chooseApp(scenario: Scenario, name: string, wanted: string | undefined): string {
  const names = scenario.apps.map((app) => app.name)
  const app = wanted ?? names[0]
  if (app === undefined)
    throw new UsageError(
      `Scenario ${name} has no app. Add one under "apps" (see the README, "Rehearse your upgrade").`,
    )
  if (!names.includes(app))
    throw new UsageError(
      `--app is "${app}", which scenario ${name} does not have. Allowed: ${names.join(', ')}.`,
    )
  const attached = scenario.apps.some((owner) =>
    owner.databases.some((db) => db.attachments.some((a) => a.app === app && a.name === 'DATABASE')),
  )
  if (!attached)
    throw new UsageError(
      `Scenario ${name}: app "${app}" has no database attached as DATABASE, so there is nothing to upgrade. Add "attachments": ["DATABASE"] to its database.`,
    )
  return app
}

function describeTarget(demo: Demo): string {
  const { version, plan } = demo.target
  const to = [
    version ? `PG ${version}` : plan ? '' : 'the newest Postgres version Heroku supports',
    plan ? `plan ${plan}` : '',
  ].filter(Boolean)
  return to.join(' on ')
}

interface SimulatorState {
  github_issues: Array<{ number?: number; title: string; body: string }>
  lost_writes: number
}

/** One entry of GET /__simulator/events. */
interface SimulatorEvent {
  type: string
  /** Simulated seconds since the scenario started. */
  at_simulated: number
  app?: string
}

const rule = (title: string): string =>
  `\n${'─'.repeat(8)} ${title} ${'─'.repeat(Math.max(4, 70 - title.length))}\n`

function streamLog(chunk: string): void {
  for (const line of chunk.split('\n')) {
    // The runner turns these into masks; they are never shown in a job log.
    if (line.startsWith('::add-mask::') || line.length === 0) continue
    process.stdout.write(`  │ ${line}\n`)
  }
}

async function getJson<T>(url: string): Promise<T> {
  return (await (await fetch(url)).json()) as T
}

/**
 * A runner job whose action sees the simulator's clock: started at the simulator's time and running
 * SPEED times faster, so that the durations it logs and the downtime-seconds it outputs are Heroku's.
 */
function jobOnSimulatorClock(
  simulator: Simulator,
  inputs: Record<string, string>,
  workDir?: string,
): RunnerJob {
  const offsetMs = Date.parse(simulator.world.clock.iso(simulator.world.clock.now)) - Date.now()
  return new RunnerJob({
    githubToken: simulator.scenario.github_token,
    workDir,
    inputs,
    env: {
      HEROKU_API_URL: simulator.url,
      HEROKU_DATA_API_URL: simulator.url,
      GITHUB_API_URL: simulator.url,
      GITHUB_REPOSITORY: REPOSITORY,
      NODE_OPTIONS: `--require "${CLOCK_PRELOAD}"`,
      CLOCK_SPEED: String(SPEED),
      CLOCK_OFFSET_MS: String(offsetMs),
    },
    onOutput: (chunk) => streamLog(chunk),
    timeoutMs: STEP_TIMEOUT_MS,
  })
}

async function main(argv: string[]): Promise<number> {
  const demo = parseArguments(argv)
  if (demo === 'help') {
    console.log(USAGE)
    return 0
  }
  const scenario = loadScenario(demo.scenario)
  const app = chooseApp(scenario, demo.scenario, demo.app)
  if (!existsSync(ENTRY)) {
    console.error('dist/index.js is missing. It is committed; if you removed it, run `npm run build` first.')
    return 1
  }
  const startedAt = Date.now()
  const simulator = await startSimulator({ scenario: demo.scenario, speed: SPEED, dataPlane: demo.dataPlane })
  try {
    return await rehearse(demo, app, simulator, startedAt)
  } finally {
    await simulator.stop()
  }
}

async function rehearse(demo: Demo, app: string, simulator: Simulator, startedAt: number): Promise<number> {
  console.log(`The simulator runs ${SPEED}× faster than Heroku: 1 real second = 1 simulated minute.`)
  console.log("Every time below is Heroku's time (the simulator's clock), the action's log included.")
  console.log(`Simulated Heroku: scenario ${demo.scenario} at ${simulator.url}`)
  console.log(
    `Running dist/index.js as the GitHub runner does: ${app}'s DATABASE to ${describeTarget(demo)}, method ${demo.method}, phase ${demo.phase}.`,
  )
  const inputs = {
    'heroku-api-key': simulator.scenario.api_key,
    app,
    confirm: app,
    method: demo.method,
    phase: demo.phase,
    ...demo.target,
  }
  const versionBefore = demo.dataPlane ? await realVersion(simulator, app) : undefined
  if (demo.dataPlane) await warmUp(simulator)
  console.log(rule('main step'))
  const mainJob = jobOnSimulatorClock(simulator, inputs)
  const mainStep = await mainJob.main()
  console.log(rule('post step'))
  // Its own clock offset: the simulator moved on while the main step ran. Same workspace and state file.
  const postStep = await jobOnSimulatorClock(simulator, inputs, mainJob.workDir).post()

  console.log(rule('job summary ($GITHUB_STEP_SUMMARY)'))
  console.log(mainStep.summary.trim() || '(empty)')
  const state = await getJson<SimulatorState>(`${simulator.url}/__simulator/state`)
  printIssue(state)

  console.log(rule('result'))
  const windowSeconds = await simulatedWindowSeconds(simulator.url, app)
  const requests = await getJson<Array<{ path: string }>>(`${simulator.url}/__simulator/requests`)
  const herokuRequests = requests.filter((request) => !request.path.startsWith('/repos/')).length
  console.log(`Heroku API requests (main and post steps): ${herokuRequests}`)
  const lostRows = versionBefore === undefined ? 0 : await printRows(simulator, app, versionBefore)
  printResult(demo, mainStep, postStep, state, windowSeconds)
  console.log(`Real time: the demo took ${((Date.now() - startedAt) / 1000).toFixed(1)} s on this machine.`)
  const expected = demo.phase === 'plan' ? 'planned' : 'succeeded'
  const asked = mainStep.exitCode === 0 && mainStep.outputs.status === expected
  return asked && state.lost_writes === 0 && lostRows === 0 ? 0 : 1
}

/** The real server version of the database the app's DATABASE_URL names now (data plane only). */
async function realVersion(simulator: Simulator, app: string): Promise<string> {
  const url = simulator.world.store.findApp(app)?.config.get('DATABASE_URL')
  if (!url) return 'unknown (no DATABASE_URL)'
  return (await serverVersion(url)) || 'unknown'
}

const WARM_UP_ROWS = 20
const WARM_UP_MS = 3000

/** Lets the writers commit rows before the action starts (at most 3 real s), so that rows written before
 * the window are among those the oracle checks at the end. */
async function warmUp(simulator: Simulator): Promise<void> {
  const until = Date.now() + WARM_UP_MS
  while (Date.now() < until && (simulator.world.realRows?.acknowledged ?? 0) < WARM_UP_ROWS) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  console.log(
    `Data plane: the dynos' writers had ${simulator.world.realRows?.acknowledged ?? 0} rows acknowledged before the action started.`,
  )
}

/** The rows the dynos were told were committed, and those missing from the database that serves at the end. */
async function printRows(simulator: Simulator, app: string, versionBefore: string): Promise<number> {
  const plane = simulator.dataPlane
  if (!plane) throw new Error('--data-plane was given, but the simulator started no data plane')
  const rows = await plane.rows()
  const versionAfter = await realVersion(simulator, app)
  const reads = simulator.world.realRows?.reads ?? { served: 0, failed: 0 }
  console.log(
    `Rows (real PostgreSQL): ${rows.acknowledged} acknowledged by the database, ${rows.lost} lost; DATABASE_URL on PostgreSQL ${versionBefore} before, ${versionAfter} after`,
  )
  console.log(`Reads (web dynos, real PostgreSQL): ${reads.served} served, ${reads.failed} failed`)
  return rows.lost
}

function printIssue(state: SimulatorState): void {
  console.log(rule('follow-up issue'))
  const issue = state.github_issues[state.github_issues.length - 1]
  if (!issue) return console.log('(no issue was opened)')
  console.log(`Title: ${issue.title}\n`)
  console.log(issue.body.trim())
}

/** Database, then the last lines `.ci/run` shows: status, downtime and lost writes (the real time follows). */
function printResult(
  demo: Demo,
  mainStep: StepRun,
  postStep: StepRun,
  state: SimulatorState,
  windowSeconds: number | 'open' | undefined,
): void {
  const outputs = mainStep.outputs
  const version = (key: string): string => (outputs[key] ? ` (PG ${outputs[key]})` : '')
  const before = `${outputs['old-database'] ?? ''}${version('old-version')}`
  const after = `${outputs['new-database'] || outputs['old-database'] || ''}${version('new-version')}`
  if (!outputs['old-database']) console.log('Database: unchanged')
  else if (before === after) console.log(`Database: ${before}, the same add-on and Postgres version`)
  else console.log(`Database: ${before} -> ${after}`)
  const method = outputs.method ? ` with method ${outputs.method}` : ''
  console.log(
    `Status: ${outputs.status || '(none)'}${method} (main step exit code ${mainStep.exitCode}, post step exit code ${postStep.exitCode})`,
  )
  console.log(downtimeLine(demo, outputs, windowSeconds))
  console.log(`Lost writes: ${state.lost_writes}`)
}

const herokuTime = (seconds: number): string => `${formatDuration(seconds * 1000)} of Heroku's time`

function downtimeLine(
  demo: Demo,
  outputs: Record<string, string>,
  windowSeconds: number | 'open' | undefined,
): string {
  if (demo.phase === 'plan') {
    const estimate = Number(outputs['estimated-downtime-seconds'])
    const expected =
      Number.isFinite(estimate) && outputs['estimated-downtime-seconds'] ? herokuTime(estimate) : 'none given'
    return `Downtime: none, phase plan changes nothing (estimated for the upgrade: ${expected}).`
  }
  const measured = outputs['downtime-seconds']
  if (windowSeconds === 'open')
    return 'Downtime: the maintenance window never closed: the app was left in maintenance.'
  if (windowSeconds !== undefined)
    return `Downtime: ${herokuTime(windowSeconds)}, maintenance on to off (the action measured ${measured ? herokuTime(Number(measured)) : 'nothing'}).`
  if (measured === '0' || !measured) return 'Downtime: none, no maintenance window was opened.'
  return `Downtime: ${herokuTime(Number(measured))}, as the action measured it (the simulator saw no window close).`
}

/**
 * Simulated seconds between the first maintenance on and the last maintenance off of the app; `open` when
 * it went on and never off, undefined when it never went on.
 */
async function simulatedWindowSeconds(url: string, app: string): Promise<number | 'open' | undefined> {
  const response = await fetch(`${url}/__simulator/events`)
  if (!response.ok) return undefined
  const events = ((await response.json()) as SimulatorEvent[]).filter((event) => event.app === app)
  const on = events.find((event) => event.type === 'maintenance-on')
  const off = events.filter((event) => event.type === 'maintenance-off').pop()
  if (!on) return undefined
  if (!off || off.at_simulated < on.at_simulated) return 'open'
  return off.at_simulated - on.at_simulated
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof UsageError
    console.error(error instanceof Error ? error.message : error)
    if (usage) console.error('Run `npm run demo -- --help` for the usage.')
    // 2 for a command line or scenario that cannot run, as the simulator's CLI does; 1 for a failed rehearsal.
    process.exit(usage || (error instanceof Error && error.name === 'ScenarioError') ? 2 : 1)
  },
)
