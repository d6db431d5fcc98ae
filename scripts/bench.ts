// `npm run bench`: figures, not a test. On a real-time simulator (speed 1) with short durations, for each
// method of scripts/bench/methods.ts: the bundled action (dist/index.js, as the runner runs it) and the same
// procedure typed with the official Heroku CLI, each against a fresh simulator: the maintenance window,
// Heroku's own time inside it and while the app is up, the overhead, the requests. Then each method again at
// Heroku's pace (the scenario's own minutes, run 40 times faster by the simulator and the action's clock
// alike), for how often the action asks while waits last as long as on Heroku. Then the bundle's size and
// cold start, and for each method twenty actions sharing one API key. Then the fleet figure
// (scripts/bench/fleet.ts): how many apps one API key upgrades at once within Heroku's 4,500-request bucket
// that regains 75 a minute, measured at Heroku's pace and checked with a fleet on one key. Ends with a table
// per method and the targets next to the figures. Missing a target does not fail; a run that breaks (the action not
// succeeding, a CLI command failing, a method opening another number of windows than it should, a lost
// write) makes the exit status 1.
//
// Options: --method NAME (repeatable; default every method), --no-paced, --no-bundle, --no-shared-key,
// --no-fleet, --no-read-only, --timeline (every request and event of each real-time window); --read-only runs
// only the read-only window against the maintenance window (scripts/bench/read-only-window.ts).

import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { startSimulator } from '../simulator/index'
import { resolveScenario } from '../simulator/scenario/load'
import { ENTRY, ROOT } from './run-action'
import {
  actionNode,
  BARE_NODE_REQUEST,
  coldStartOnce,
  currentNode,
  runAction,
  type ActionRun,
  type NodeBinary,
} from './bench/action-runs'
import { HerokuCli } from './bench/heroku-cli'
import {
  EVENTS_MISSING,
  EVENTS_USED,
  runFigures,
  type RunFigures,
  type UpPartFigure,
} from './bench/heroku-time'
import { benchFleet } from './bench/fleet'
import { benchReadOnlyWindow } from './bench/read-only-window'
import { METHODS, type BenchMethod, type Formation, type Target } from './bench/methods'
import { startRecordingProxy } from './bench/recording-proxy'
import {
  API_KEY,
  BENCH_TIMING,
  benchApp,
  benchScenario,
  herokuPacedScenario,
  manyAppsScenario,
  type Timing,
} from './bench/scenario'
import {
  isGithub,
  readSimulatorLog,
  readState,
  type SimulatorLog,
  type SimulatorStateSummary,
} from './bench/simulator-log'

const APP = 'acme-web'
const VERSION = '17'
const COLD_START_RUNS = 5
const SHARED_KEY_RUNS = 20
const ACTION_TIMEOUT_MS = 150_000
/** How much faster than Heroku the Heroku-paced runs go (the simulator's clock and the action's alike). */
const PACED_SPEED = 40
const CLOCK_PRELOAD = join(ROOT, 'scripts', 'clock-preload.cjs')

const TARGET = {
  ratio: 1.05,
  overheadPerSwitch: 1.5,
  requestsPerSecond: 0.5,
  distBytes: 2_000_000,
  coldStartMs: 200,
}

/** Why a window target says nothing about a method that opens no window. */
const NO_WINDOW = 'n/a: opens no window'

interface Row {
  figure: string
  target: string
  measured: string
  met: boolean | undefined
  reference?: string
}

const rows: Row[] = []
const broken: string[] = []

interface MethodResult {
  method: BenchMethod
  action: RunFigures
  cli: RunFigures | undefined
}
const results: MethodResult[] = []

const s = (seconds: number): string => (Number.isFinite(seconds) ? `${seconds.toFixed(2)} s` : 'n/a')
const x = (ratio: number): string => (Number.isFinite(ratio) ? ratio.toFixed(3) : 'n/a')
const rate = (perSecond: number): string =>
  Number.isFinite(perSecond) ? `${perSecond.toFixed(2)}/s (1 per ${(1 / perSecond).toFixed(1)} s)` : 'n/a'
const atMost = (value: number, limit: number): boolean | undefined =>
  Number.isFinite(value) ? value <= limit : undefined

function heading(title: string): void {
  console.log(`\n── ${title} ${'─'.repeat(Math.max(4, 96 - title.length))}`)
}

function printFigures(figures: RunFigures): void {
  for (const problem of figures.problems) console.log(`  ! ${problem}`)
  for (const [index, window] of figures.windows.entries()) {
    const label = figures.windows.length > 1 ? ` ${index + 1}` : ''
    console.log(`  window${label} (maintenance on → off)            ${s(window.seconds).padStart(9)}`)
    console.log(`  Heroku's own time inside it (union)       ${s(window.herokuSeconds).padStart(9)}`)
    for (const part of window.parts)
      console.log(
        `    ${part.name.padEnd(34)}${s(part.seconds).padStart(9)}   ${part.missing ? `not measured: ${part.missing}` : part.source}`,
      )
    const gaps = window.gaps.map(
      (gap) =>
        `${gap.from.toFixed(2)}–${gap.to.toFixed(2)} s (${(gap.to - gap.from).toFixed(2)} s, until ${gap.until})`,
    )
    console.log(`  overhead stretches, from maintenance on: ${gaps.length ? gaps.join('; ') : 'none'}`)
  }
  const switches = figures.windows.length
  if (switches === 0) console.log('  no maintenance window: the app stayed up (downtime 0 s)')
  else {
    console.log(
      `  overhead (window − Heroku)                ${s(figures.overheadSeconds).padStart(9)}   ${switches} switch${switches > 1 ? 'es' : ''}: ${s(figures.overheadSeconds / switches)} per switch`,
    )
    console.log(`  window / Heroku's own time                ${x(figures.ratio).padStart(9)}`)
  }
  if (figures.upParts.length) {
    console.log("  Heroku's own time while the app was up (no downtime)")
    for (const part of figures.upParts)
      console.log(
        `    ${`${part.name}${part.addon ? ` ${part.addon}` : ''}`.padEnd(34)}${s(part.seconds).padStart(9)}   ${part.missing ? `not measured: ${part.missing}` : `${part.source}; next request ${part.nextRequestAfter === undefined ? 'none' : s(part.nextRequestAfter)} after it ended`}`,
      )
  }
  console.log(
    `  requests (Platform + data API)            ${switches ? `${figures.herokuRequestsInWindow} in the window, ` : ''}${figures.herokuRequestsTotal} in total (+ ${figures.githubRequestsTotal} GitHub)`,
  )
  console.log(
    `  requests per second of waiting            window: ${switches ? rate(figures.requestRateWindow) : 'n/a (no window)'}; whole run (${s(figures.runSeconds)}, first to last request): ${rate(figures.requestRateRun)}`,
  )
  console.log(
    `  requests while Heroku worked on what the run waited for: ${figures.requestsWhileWaiting} in ${s(figures.waitingSeconds)}, ${rate(figures.requestRateWaiting)}`,
  )
  const top = figures.endpointsInWindow.slice(0, 6).map((entry) => `${entry.endpoint} ×${entry.count}`)
  if (top.length) console.log(`  most requested in the window: ${top.join(', ')}`)
}

/** "12.34 s", or what stands for a window that was not opened. */
const windowText = (figures: RunFigures | undefined): string | undefined =>
  figures && (figures.windows.length ? s(figures.windowSeconds) : 'none')

function addTargetRows(method: BenchMethod, action: RunFigures, cli: RunFigures | undefined): void {
  const name = method.name
  const switches = Math.max(1, action.windows.length)
  const windowed = method.switches > 0
  const perSwitch = (figures: RunFigures): string =>
    figures.windows.length ? s(figures.overheadSeconds / figures.windows.length) : 'n/a'
  rows.push(
    {
      figure: `${name}: maintenance windows`,
      target: `= ${method.switches}`,
      measured: String(action.windows.length),
      met: action.windows.length === method.switches,
      reference: cli && String(cli.windows.length),
    },
    {
      figure: `${name}: window (downtime)`,
      target: '(figure)',
      measured: windowText(action) ?? '',
      met: undefined,
      reference: windowText(cli),
    },
    {
      figure: `${name}: window / Heroku's own time`,
      target: windowed ? `≤ ${TARGET.ratio}` : NO_WINDOW,
      measured: x(action.ratio),
      met: windowed ? atMost(action.ratio, TARGET.ratio) : undefined,
      reference: cli && x(cli.ratio),
    },
    {
      figure: `${name}: overhead per switch`,
      target: windowed ? `≤ ${TARGET.overheadPerSwitch} s` : NO_WINDOW,
      measured: perSwitch(action),
      met:
        windowed && action.windows.length
          ? atMost(action.overheadSeconds / switches, TARGET.overheadPerSwitch)
          : undefined,
      reference: cli && perSwitch(cli),
    },
    // At these durations the fixed requests (maintenance, scaling, the switch) outweigh the waiting; the
    // target is judged at Heroku's pace (benchHerokuPaced), where the waits are as long as Heroku's.
    {
      figure: `${name}: requests per s, window (short durations)`,
      target: '(figure)',
      measured: action.windows.length ? `${action.requestRateWindow.toFixed(2)}/s` : 'n/a',
      met: undefined,
      reference: cli && (cli.windows.length ? `${cli.requestRateWindow.toFixed(2)}/s` : 'n/a'),
    },
    {
      figure: `${name}: requests per s of waiting (short durations)`,
      target: '(figure)',
      measured: `${action.requestRateWaiting.toFixed(2)}/s`,
      met: undefined,
      reference: cli && `${cli.requestRateWaiting.toFixed(2)}/s`,
    },
    {
      figure: `${name}: requests per s, whole run (short durations)`,
      target: '(figure)',
      measured: `${action.requestRateRun.toFixed(2)}/s`,
      met: undefined,
      reference: cli && `${cli.requestRateRun.toFixed(2)}/s`,
    },
  )
  // Without a window, what a tool can lose is how late it sees the end of Heroku's work.
  if (!windowed)
    for (const part of action.upParts) {
      const twin = cli?.upParts.find((other) => other.name === part.name)
      const after = (figures: UpPartFigure | undefined): string | undefined =>
        figures && (figures.nextRequestAfter === undefined ? 'n/a' : s(figures.nextRequestAfter))
      rows.push(
        {
          figure: `${name}: ${part.name} (Heroku, app up)`,
          target: '(figure)',
          measured: s(part.seconds),
          met: undefined,
          reference: twin && s(twin.seconds),
        },
        {
          figure: `${name}: next request after the ${part.name} ended`,
          target: '(figure)',
          measured: after(part) ?? '',
          met: undefined,
          reference: after(twin),
        },
      )
    }
  if (cli)
    rows.push({
      figure: `${name}: action window / CLI window`,
      target: windowed ? '(figure)' : NO_WINDOW,
      measured: windowed ? x(action.windowSeconds / cli.windowSeconds) : 'n/a',
      met: undefined,
    })
}

interface ScenarioApp {
  name: string
  formation: Formation[]
  databases: Array<{ addon: string; plan: string; version: string; data_size_mb?: number }>
}

/** The bench app as the scenario seeds it. */
function scenarioApp(): ScenarioApp {
  const app = (benchScenario().apps as ScenarioApp[]).find((candidate) => candidate.name === APP)
  if (!app?.databases[0]) throw new Error(`the bench scenario has no ${APP} with a database`)
  return app
}

function target(): Target {
  return { version: VERSION, currentMajor: (scenarioApp().databases[0]?.version ?? '').split('.')[0] ?? '' }
}

/** A method opening another number of windows than it should, or losing writes, is a broken run. */
function checkRun(label: string, method: BenchMethod, figures: RunFigures, lostWrites: number): void {
  if (figures.windows.length !== method.switches)
    broken.push(
      `${label}: ${figures.windows.length} maintenance window(s), the method opens ${method.switches}`,
    )
  if (lostWrites > 0) broken.push(`${label}: ${lostWrites} lost write(s)`)
}

/** One bundled action (main and post step) on a fresh simulator; a run that breaks is noted. */
async function actionOnFreshSimulator(
  label: string,
  scenario: Record<string, unknown>,
  method: BenchMethod,
  node: NodeBinary,
  env?: Record<string, string>,
): Promise<{ run: ActionRun; log: SimulatorLog; state: SimulatorStateSummary }> {
  const simulator = await startSimulator({ scenario })
  try {
    const run = await runAction({
      url: simulator.url,
      app: APP,
      inputs: method.inputs(target()),
      node,
      timeoutMs: ACTION_TIMEOUT_MS,
      env,
    })
    const [log, state] = await Promise.all([readSimulatorLog(simulator.url), readState(simulator.url)])
    if (!run.ok) {
      broken.push(`${label}: ${run.why}`)
      console.log(`  ! the run broke: ${run.why}`)
    }
    return { run, log, state }
  } finally {
    await simulator.stop()
  }
}

async function benchAction(method: BenchMethod, node: NodeBinary): Promise<RunFigures> {
  heading(`${method.name}: bundled action (dist/index.js on Node ${node.version}, poll-interval default)`)
  const label = `${method.name} action`
  const { run, log, state } = await actionOnFreshSimulator(label, benchScenario(), method, node)
  console.log(
    `  status ${run.main.outputs.status ?? '(none)'}, main exit ${run.main.exitCode}, post exit ${run.post.exitCode}; downtime-seconds output ${run.main.outputs['downtime-seconds'] || '(none)'}; lost writes ${state.lost_writes}`,
  )
  const figures = runFigures(log, APP, BENCH_TIMING, method.switches)
  printFigures(figures)
  if (process.argv.includes('--timeline')) printTimeline(log, figures)
  checkRun(label, method, figures, state.lost_writes)
  return figures
}

/** The scenario's timing in real seconds at PACED_SPEED, for the figures computed from real timestamps. */
function pacedTiming(): Timing {
  const scenario = resolveScenario(herokuPacedScenario(PACED_SPEED))
  const durations = Object.fromEntries(
    Object.entries(scenario.durations).map(([name, value]) => [
      name,
      name === 'copy_mb_per_s' ? value * PACED_SPEED : value / PACED_SPEED,
    ]),
  ) as unknown as Timing['durations']
  return {
    speed: PACED_SPEED,
    replication_lag_seconds: scenario.replication_lag_seconds / PACED_SPEED,
    maintenance_write_seconds: scenario.maintenance_write_seconds / PACED_SPEED,
    durations,
  }
}

/**
 * The bundled action on standard-pg14 with its own, Heroku-like durations, PACED_SPEED times faster (the
 * simulator and the action's clock alike): how often it asks when the waits last minutes, as on Heroku.
 * Times are given in simulated seconds. The action's own latency is multiplied by the speed too, so the
 * window's overhead here says nothing; the real-time runs above measure it.
 */
async function benchHerokuPaced(method: BenchMethod, node: NodeBinary): Promise<void> {
  heading(`${method.name}: bundled action at Heroku's pace (${PACED_SPEED}× faster, simulated seconds)`)
  const label = `${method.name} action at Heroku's pace`
  const { run, log, state } = await actionOnFreshSimulator(
    label,
    herokuPacedScenario(PACED_SPEED),
    method,
    node,
    { NODE_OPTIONS: `--require "${CLOCK_PRELOAD}"`, CLOCK_SPEED: String(PACED_SPEED) },
  )
  const figures = runFigures(log, APP, pacedTiming(), method.switches)
  checkRun(label, method, figures, state.lost_writes)
  const windowSeconds = figures.windowSeconds * PACED_SPEED
  const runSeconds = figures.runSeconds * PACED_SPEED
  const waitingSeconds = figures.waitingSeconds * PACED_SPEED
  const windowRate = figures.herokuRequestsInWindow / windowSeconds
  const runRate = figures.herokuRequestsTotal / runSeconds
  const waitingRate = figures.requestsWhileWaiting / waitingSeconds
  console.log(
    `  status ${run.main.outputs.status ?? '(none)'}; lost writes ${state.lost_writes}; run ${s(runSeconds)} (first to last request)`,
  )
  console.log(
    `  while Heroku worked on what the run waited for: ${figures.requestsWhileWaiting} requests in ${s(waitingSeconds)}, ${rate(waitingRate)}`,
  )
  if (figures.windows.length)
    console.log(
      `  window ${s(windowSeconds)}: ${figures.herokuRequestsInWindow} requests, ${rate(windowRate)}`,
    )
  console.log(
    `  whole run: ${figures.herokuRequestsTotal} requests, ${rate(runRate)} (+ ${figures.githubRequestsTotal} GitHub)`,
  )
  const top = figures.endpointsInWindow.slice(0, 6).map((entry) => `${entry.endpoint} ×${entry.count}`)
  if (top.length) console.log(`  most requested in the window: ${top.join(', ')}`)
  rows.push(
    {
      figure: `${method.name}: requests per s of waiting (Heroku's pace)`,
      target: `≤ ${TARGET.requestsPerSecond}/s`,
      measured: `${waitingRate.toFixed(2)}/s`,
      met: atMost(waitingRate, TARGET.requestsPerSecond),
    },
    {
      figure: `${method.name}: requests per s, window (Heroku's pace)`,
      target: method.switches > 0 ? '(figure)' : NO_WINDOW,
      measured: figures.windows.length ? `${windowRate.toFixed(2)}/s` : 'n/a',
      met: undefined,
    },
    {
      figure: `${method.name}: requests per s, whole run (Heroku's pace)`,
      target: '(figure)',
      measured: `${runRate.toFixed(2)}/s`,
      met: undefined,
    },
  )
}

async function benchCli(method: BenchMethod): Promise<RunFigures | undefined> {
  heading(`${method.name}: official Heroku CLI, typed as the seeds do it`)
  const app = scenarioApp()
  const database = app.databases[0] as ScenarioApp['databases'][number]
  const simulator = await startSimulator({ scenario: benchScenario() })
  const cli = new HerokuCli(simulator.url, API_KEY)
  try {
    try {
      await method.cli({
        cli,
        app: APP,
        addon: database.addon,
        formation: app.formation.map((entry) => ({ type: entry.type, quantity: entry.quantity ?? 1 })),
        plan: database.plan.replace(/^heroku-postgresql:/, ''),
        ...target(),
      })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      broken.push(`${method.name} CLI: ${message}`)
      console.log(`  ! the procedure broke: ${message}`)
    }
    const [log, state] = await Promise.all([readSimulatorLog(simulator.url), readState(simulator.url)])
    const figures = runFigures(log, APP, BENCH_TIMING, method.switches)
    const commandTimes = cli.commands.map((command) => (command.endedAt - command.startedAt) / 1000)
    console.log(
      `  ${cli.commands.length} CLI commands, ${s(commandTimes.reduce((a, b) => a + b, 0) / Math.max(1, commandTimes.length))} each on average; lost writes ${state.lost_writes}`,
    )
    for (const command of cli.commands)
      console.log(
        `    heroku ${command.args.join(' ').padEnd(62)} ${s((command.endedAt - command.startedAt) / 1000).padStart(8)}  exit ${command.code}`,
      )
    printFigures(figures)
    checkRun(`${method.name} CLI`, method, figures, state.lost_writes)
    return figures
  } finally {
    cli.dispose()
    await simulator.stop()
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

async function benchBundle(node: NodeBinary): Promise<void> {
  heading('bundle')
  // The entry and the chunks it loads on demand (the GitHub client): everything a runner downloads to run it.
  const scripts = readdirSync(dirname(ENTRY)).filter((name) => name.endsWith('.js'))
  const bytes = scripts.reduce((sum, name) => sum + statSync(join(dirname(ENTRY), name)).size, 0)
  console.log(
    `  dist/*.js (${scripts.join(', ')}): ${bytes.toLocaleString('en-US')} bytes (${(bytes / 1e6).toFixed(2)} MB)`,
  )
  rows.push({
    figure: 'dist/*.js size',
    target: '≤ 2 MB',
    measured: `${(bytes / 1e6).toFixed(2)} MB`,
    met: bytes <= TARGET.distBytes,
  })
  const nodes = [node, currentNode()].filter(
    (candidate, index, all) => all.findIndex((other) => other.version === candidate.version) === index,
  )
  const inputs = METHODS[0]?.inputs(target()) ?? {}
  for (const [index, candidate] of nodes.entries()) {
    const samples: number[] = []
    try {
      for (let run = 0; run < COLD_START_RUNS; run++) samples.push(await coldStartOnce(candidate, inputs))
    } catch (error) {
      broken.push(`cold start on Node ${candidate.version}: ${(error as Error).message}`)
      console.log(`  ! cold start on Node ${candidate.version}: ${(error as Error).message}`)
      continue
    }
    const value = median(samples)
    console.log(
      `  cold start on Node ${candidate.version} (spawn → first request at the simulator), ${COLD_START_RUNS} runs: median ${value.toFixed(0)} ms [${samples.map((sample) => sample.toFixed(0)).join(', ')}]`,
    )
    const floor: number[] = []
    try {
      for (let run = 0; run < COLD_START_RUNS; run++)
        floor.push(await coldStartOnce(candidate, inputs, BARE_NODE_REQUEST))
      console.log(
        `    for scale, a one-line script sending one request on the same Node: median ${median(floor).toFixed(0)} ms [${floor.map((sample) => sample.toFixed(0)).join(', ')}]`,
      )
    } catch (error) {
      console.log(`    (the one-line reference script failed: ${(error as Error).message})`)
    }
    if (index === 0)
      rows.push({
        figure: `cold start, median (Node ${candidate.version})`,
        target: `≤ ${TARGET.coldStartMs} ms`,
        measured: `${value.toFixed(0)} ms`,
        met: value <= TARGET.coldStartMs,
      })
  }
}

async function benchSharedKey(method: BenchMethod, node: NodeBinary): Promise<void> {
  heading(`${method.name}: ${SHARED_KEY_RUNS} bundled actions at once, one API key, one simulator`)
  const simulator = await startSimulator({ scenario: manyAppsScenario(SHARED_KEY_RUNS) })
  const proxy = await startRecordingProxy(simulator.url)
  const apps = Array.from({ length: SHARED_KEY_RUNS }, (_, index) => benchApp(index))
  const startedAt = Date.now()
  try {
    const runs = await Promise.all(
      apps.map((app) =>
        runAction({
          url: proxy.url,
          app,
          inputs: method.inputs(target()),
          node,
          timeoutMs: ACTION_TIMEOUT_MS,
        }),
      ),
    )
    const took = (Date.now() - startedAt) / 1000
    const [log, state] = await Promise.all([readSimulatorLog(simulator.url), readState(simulator.url)])
    const succeeded = runs.filter((run) => run.ok).length
    for (const [index, run] of runs.entries())
      if (!run.ok) broken.push(`${apps[index]} (shared key): ${run.why}`)
    const heroku = proxy.answers.filter((answer) => !isGithub(answer.path))
    const limited = proxy.answers.filter((answer) => answer.status === 429).length
    const limitedInLog = log.requests.filter((request) => request.status === 429).length
    const remaining = heroku.flatMap((answer) => (answer.remaining === undefined ? [] : [answer.remaining]))
    const lowest = remaining.length ? Math.min(...remaining) : undefined
    const windows = apps.map((app) => runFigures(log, app, BENCH_TIMING))
    const overheads = windows.filter((figures) => figures.windows.length).map((f) => f.overheadSeconds)
    const lengths = windows.filter((figures) => figures.windows.length).map((f) => f.windowSeconds)
    console.log(`  ${succeeded}/${SHARED_KEY_RUNS} succeeded in ${s(took)}; lost writes ${state.lost_writes}`)
    console.log(
      `  requests: ${heroku.length} Platform/data API, ${proxy.answers.length - heroku.length} GitHub (${(heroku.length / took).toFixed(1)}/s together)`,
    )
    console.log(
      `  answered 429: ${limited} (simulator log: ${limitedInLog}); RateLimit-Remaining on ${remaining.length}/${heroku.length} API answers, lowest ${lowest ?? 'n/a (header never sent)'}`,
    )
    if (lengths.length)
      console.log(
        `  windows: median ${s(median(lengths))}, longest ${s(Math.max(...lengths))}; overhead median ${s(median(overheads))}, largest ${s(Math.max(...overheads))}`,
      )
    rows.push({
      figure: `${method.name}: ${SHARED_KEY_RUNS} runs on one key, under the rate limit`,
      target: 'no 429, remaining > 0',
      measured: `${limited} × 429, min remaining ${lowest ?? 'n/a'}`,
      met: lowest === undefined ? (limited === 0 ? undefined : false) : limited === 0 && lowest > 0,
    })
  } finally {
    await proxy.stop()
    await simulator.stop()
  }
}

/** One line per run: what the report of a bench quotes. */
function printMethods(): void {
  heading('methods')
  const header = [
    'method',
    'run',
    'windows',
    'window',
    'Heroku in it',
    'overhead',
    'req. in window',
    'req/s window',
    'Heroku, app up',
    'run',
    'requests',
    'req/s run',
  ]
  const lines: string[][] = [header]
  for (const { method, action, cli } of results)
    for (const [tool, figures] of [
      ['action', action],
      ['CLI', cli],
    ] as const) {
      if (!figures) continue
      const windowed = figures.windows.length > 0
      lines.push([
        tool === 'action' ? method.name : '',
        tool,
        String(figures.windows.length),
        windowed ? s(figures.windowSeconds) : 'none',
        windowed ? s(figures.herokuSeconds) : 'n/a',
        windowed ? s(figures.overheadSeconds) : 'n/a',
        windowed ? String(figures.herokuRequestsInWindow) : 'n/a',
        windowed ? `${figures.requestRateWindow.toFixed(2)}/s` : 'n/a',
        s(figures.upParts.reduce((total, part) => total + part.seconds, 0)),
        s(figures.runSeconds),
        String(figures.herokuRequestsTotal),
        `${figures.requestRateRun.toFixed(2)}/s`,
      ])
    }
  const widths = header.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? '').length)))
  for (const line of lines)
    console.log(
      `  ${line.map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')}`,
    )
  console.log(
    '  window: maintenance on → off; Heroku in it: its own time inside the window; overhead: the rest; Heroku, app up: provisioning, catch-up, prepare, plan change (no downtime); run: first to last Platform/data API request.',
  )
}

function printTable(): void {
  heading('targets')
  const header: Row = {
    figure: 'figure',
    target: 'target',
    measured: 'action',
    met: undefined,
    reference: 'CLI',
  }
  const widths = {
    figure: Math.max(...[header, ...rows].map((row) => row.figure.length)),
    target: Math.max(...[header, ...rows].map((row) => row.target.length)),
    measured: Math.max(...[header, ...rows].map((row) => row.measured.length)),
    reference: Math.max(...[header, ...rows].map((row) => (row.reference ?? '').length)),
  }
  const line = (row: Row, met: string): string =>
    `  ${row.figure.padEnd(widths.figure)}  ${row.target.padEnd(widths.target)}  ${row.measured.padStart(widths.measured)}  ${met.padEnd(6)}  ${(row.reference ?? '').padStart(widths.reference)}`
  console.log(line(header, 'met'))
  for (const row of rows)
    console.log(
      line(
        row,
        row.met === undefined
          ? row.target === '(figure)' || row.target.startsWith('n/a')
            ? ''
            : '?'
          : row.met
            ? 'yes'
            : 'NO',
      ),
    )
}

/** `--timeline`: every request and event of each window, in seconds from maintenance on. */
function printTimeline(log: SimulatorLog, figures: RunFigures): void {
  for (const window of figures.windows) {
    console.log(`  timeline of the window opened at ${new Date(window.openedAt).toISOString()}`)
    const inside = (at: number): boolean => at >= window.openedAt - 500 && at <= window.closedAt + 500
    const requests = log.requests
      .filter((request) => !isGithub(request.path))
      .map((request) => ({
        at: Date.parse(request.at),
        text: `${request.method} ${request.path} → ${request.status}`,
      }))
    const events = log.events
      .filter((event) => event.app === undefined || event.app === APP)
      .map((event) => ({ at: Date.parse(event.at_real), text: `  [${event.type}] ${event.detail}` }))
    const lines = [...requests, ...events].filter((line) => inside(line.at)).sort((a, b) => a.at - b.at)
    for (const line of lines)
      console.log(`    ${((line.at - window.openedAt) / 1000).toFixed(2).padStart(6)}  ${line.text}`)
  }
}

/**
 * `--method follower --method copy` runs those alone; by default every method. `--no-bundle` and
 * `--no-shared-key` leave out the bundle's figures and the twenty runs on one key.
 */
function chosenMethods(): BenchMethod[] {
  const names = process.argv.flatMap((arg, index, all) => (arg === '--method' ? [all[index + 1] ?? ''] : []))
  if (!names.length) return METHODS
  const unknown = names.filter((name) => !METHODS.some((method) => method.name === name))
  if (unknown.length)
    throw new Error(
      `--method ${unknown.join(', ')}: not a bench method; allowed: ${METHODS.map((method) => method.name).join(', ')}`,
    )
  return METHODS.filter((method) => names.includes(method.name))
}

async function main(): Promise<number> {
  if (!existsSync(ENTRY)) {
    console.error('dist/index.js is missing: run `npm run build` first.')
    return 1
  }
  const startedAt = Date.now()
  const node = actionNode()
  const { durations } = BENCH_TIMING
  const dataMb = scenarioApp().databases[0]?.data_size_mb ?? 0
  console.log(
    `Bench of ${ENTRY} (${new Date(statSync(ENTRY).mtimeMs).toISOString()}), action on Node ${node.version}, bench on Node ${process.version}`,
  )
  console.log(
    `Scenario: standard-pg14 at speed 1 (real seconds): provision ${durations.provision}, follower_catch_up ${durations.follower_catch_up}, upgrade ${durations.upgrade}, upgrade_prepare ${durations.upgrade_prepare}, release_phase ${durations.release_phase}, replication_lag ${BENCH_TIMING.replication_lag_seconds}, dyno_boot ${durations.dyno_boot}, dyno_stop ${durations.dyno_stop}, maintenance_write ${BENCH_TIMING.maintenance_write_seconds}, copy_mb_per_s ${durations.copy_mb_per_s} (${dataMb} MB: ${s(dataMb / durations.copy_mb_per_s)} per copy, backup or restore), plan_change ${durations.plan_change}`,
  )
  console.log(`Heroku's own time from events: ${EVENTS_USED}.`)
  console.log(`The simulator emits no event for some of it, so: ${EVENTS_MISSING.join('; ')}.`)
  console.log(
    'Requests: Platform and data API only (GitHub counted apart, /__simulator/ left out). Per second of waiting: in the window, requests in it / its length; over the run, all requests / first to last request.',
  )

  // --read-only: only the read-only window against the maintenance window (real PostgreSQL servers).
  if (process.argv.includes('--read-only')) {
    const { broken: readOnly } = await benchReadOnlyWindow(node)
    broken.push(...readOnly)
    console.log(`\nBench took ${s((Date.now() - startedAt) / 1000)}.`)
    return broken.length ? 1 : 0
  }
  const chosen = chosenMethods()
  for (const method of chosen) {
    const action = await benchAction(method, node)
    const cli = await benchCli(method)
    if (cli && action.windowSeconds > 0 && cli.windowSeconds > 0)
      console.log(
        `\n  ${method.name}: action window / CLI window = ${s(action.windowSeconds)} / ${s(cli.windowSeconds)} = ${x(action.windowSeconds / cli.windowSeconds)}`,
      )
    else if (method.switches === 0)
      console.log(`\n  ${method.name}: no maintenance window, for the action or the CLI procedure`)
    addTargetRows(method, action, cli)
    results.push({ method, action, cli })
  }
  if (!process.argv.includes('--no-paced')) for (const method of chosen) await benchHerokuPaced(method, node)
  if (!process.argv.includes('--no-bundle')) await benchBundle(node)
  if (!process.argv.includes('--no-shared-key'))
    for (const method of chosen) await benchSharedKey(method, node)
  if (!process.argv.includes('--no-fleet') && !(await benchFleet(chosen, node)))
    broken.push("fleet: a method broke at Heroku's pace, or the fleet on one key met a 429 or a failed run")
  if (!process.argv.includes('--no-read-only')) broken.push(...(await benchReadOnlyWindow(node)).broken)

  printMethods()
  printTable()
  console.log(`\nBench took ${s((Date.now() - startedAt) / 1000)}.`)
  if (broken.length) {
    console.log(`\n${broken.length} run(s) broke:`)
    for (const why of broken) console.log(`  - ${why.split('\n')[0]}`)
    return 1
  }
  return 0
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error)
    process.exit(1)
  },
)
