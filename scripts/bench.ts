// `npm run bench`: figures, not a test. On a real-time simulator (speed 1) with short durations, for each
// method of scripts/bench/methods.ts: the bundled action (dist/index.js, as the runner runs it) and the same
// procedure typed with the official Heroku CLI, each against a fresh simulator: the maintenance window,
// Heroku's own time inside it, the overhead, the requests. Then the bundle's size and cold start, and
// twenty actions sharing one API key. Ends with the targets next to the figures. Missing a target does not
// fail; a run that breaks (the action not succeeding, a CLI command failing) makes the exit status 1.

import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { startSimulator } from '../simulator/index'
import { ENTRY } from './run-action'
import {
  actionNode,
  BARE_NODE_REQUEST,
  coldStartOnce,
  currentNode,
  runAction,
  type NodeBinary,
} from './bench/action-runs'
import { HerokuCli } from './bench/heroku-cli'
import { EVENTS_MISSING, EVENTS_USED, runFigures, type RunFigures } from './bench/heroku-time'
import { METHODS, type BenchMethod, type Formation } from './bench/methods'
import { startRecordingProxy } from './bench/recording-proxy'
import { API_KEY, BENCH_TIMING, benchApp, benchScenario, manyAppsScenario } from './bench/scenario'
import { isGithub, readSimulatorLog, readState } from './bench/simulator-log'

const APP = 'acme-web'
const VERSION = '17'
const COLD_START_RUNS = 5
const SHARED_KEY_RUNS = 20
const ACTION_TIMEOUT_MS = 150_000

const TARGET = {
  ratio: 1.05,
  overheadPerSwitch: 1.5,
  requestsPerSecond: 0.5,
  distBytes: 2_000_000,
  coldStartMs: 200,
}

interface Row {
  figure: string
  target: string
  measured: string
  met: boolean | undefined
  reference?: string
}

const rows: Row[] = []
const broken: string[] = []

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
  if (figures.windows.length === 0) return
  const switches = figures.windows.length
  console.log(
    `  overhead (window − Heroku)                ${s(figures.overheadSeconds).padStart(9)}   ${switches} switch${switches > 1 ? 'es' : ''}: ${s(figures.overheadSeconds / switches)} per switch`,
  )
  console.log(`  window / Heroku's own time                ${x(figures.ratio).padStart(9)}`)
  console.log(
    `  requests (Platform + data API)            ${figures.herokuRequestsInWindow} in the window, ${figures.herokuRequestsTotal} in total (+ ${figures.githubRequestsTotal} GitHub)`,
  )
  console.log(
    `  requests per second of waiting            window: ${rate(figures.requestRateWindow)}; whole run (${s(figures.runSeconds)}, first to last request): ${rate(figures.requestRateRun)}`,
  )
  const top = figures.endpointsInWindow.slice(0, 6).map((entry) => `${entry.endpoint} ×${entry.count}`)
  if (top.length) console.log(`  most requested in the window: ${top.join(', ')}`)
}

function addTargetRows(method: string, action: RunFigures, cli: RunFigures | undefined): void {
  const switches = Math.max(1, action.windows.length)
  rows.push(
    {
      figure: `${method}: window / Heroku's own time`,
      target: `≤ ${TARGET.ratio}`,
      measured: x(action.ratio),
      met: atMost(action.ratio, TARGET.ratio),
      reference: cli && x(cli.ratio),
    },
    {
      figure: `${method}: overhead per switch`,
      target: `≤ ${TARGET.overheadPerSwitch} s`,
      measured: s(action.overheadSeconds / switches),
      met: action.windows.length
        ? atMost(action.overheadSeconds / switches, TARGET.overheadPerSwitch)
        : undefined,
      reference: cli && s(cli.overheadSeconds / Math.max(1, cli.windows.length)),
    },
    {
      figure: `${method}: requests per s of waiting, window`,
      target: `≤ ${TARGET.requestsPerSecond}/s`,
      measured: `${action.requestRateWindow.toFixed(2)}/s`,
      met: atMost(action.requestRateWindow, TARGET.requestsPerSecond),
      reference: cli && `${cli.requestRateWindow.toFixed(2)}/s`,
    },
    {
      figure: `${method}: requests per s of waiting, whole run`,
      target: `≤ ${TARGET.requestsPerSecond}/s`,
      measured: `${action.requestRateRun.toFixed(2)}/s`,
      met: atMost(action.requestRateRun, TARGET.requestsPerSecond),
      reference: cli && `${cli.requestRateRun.toFixed(2)}/s`,
    },
  )
}

interface ScenarioApp {
  formation: Formation[]
  databases: Array<{ plan: string }>
}

async function benchAction(method: BenchMethod, node: NodeBinary): Promise<RunFigures> {
  heading(`${method.name}: bundled action (dist/index.js on Node ${node.version}, poll-interval default)`)
  const simulator = await startSimulator({ scenario: benchScenario() })
  try {
    const run = await runAction({
      url: simulator.url,
      app: APP,
      inputs: method.inputs(VERSION),
      node,
      timeoutMs: ACTION_TIMEOUT_MS,
    })
    const [log, state] = await Promise.all([readSimulatorLog(simulator.url), readState(simulator.url)])
    console.log(
      `  status ${run.main.outputs.status ?? '(none)'}, main exit ${run.main.exitCode}, post exit ${run.post.exitCode}; downtime-seconds output ${run.main.outputs['downtime-seconds'] || '(none)'}; lost writes ${state.lost_writes}`,
    )
    if (!run.ok) {
      broken.push(`${method.name} action: ${run.why}`)
      console.log(`  ! the run broke: ${run.why}`)
    }
    const figures = runFigures(log, APP, BENCH_TIMING)
    printFigures(figures)
    if (figures.windows.length === 0) broken.push(`${method.name} action: no maintenance window`)
    return figures
  } finally {
    await simulator.stop()
  }
}

async function benchCli(method: BenchMethod): Promise<RunFigures | undefined> {
  heading(`${method.name}: official Heroku CLI, typed as the seeds do it`)
  const scenario = benchScenario()
  const app = (scenario.apps as ScenarioApp[])[0] as ScenarioApp
  const simulator = await startSimulator({ scenario })
  const cli = new HerokuCli(simulator.url, API_KEY)
  try {
    try {
      await method.cli({
        cli,
        app: APP,
        formation: app.formation.map((entry) => ({ type: entry.type, quantity: entry.quantity ?? 1 })),
        plan: (app.databases[0]?.plan ?? 'standard-0').replace(/^heroku-postgresql:/, ''),
        version: VERSION,
      })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      broken.push(`${method.name} CLI: ${message}`)
      console.log(`  ! the procedure broke: ${message}`)
    }
    const [log, state] = await Promise.all([readSimulatorLog(simulator.url), readState(simulator.url)])
    const figures = runFigures(log, APP, BENCH_TIMING)
    const commandTimes = cli.commands.map((command) => (command.endedAt - command.startedAt) / 1000)
    console.log(
      `  ${cli.commands.length} CLI commands, ${s(commandTimes.reduce((a, b) => a + b, 0) / Math.max(1, commandTimes.length))} each on average; lost writes ${state.lost_writes}`,
    )
    for (const command of cli.commands)
      console.log(
        `    heroku ${command.args.join(' ').padEnd(62)} ${s((command.endedAt - command.startedAt) / 1000).padStart(8)}  exit ${command.code}`,
      )
    printFigures(figures)
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
  const inputs = METHODS[0]?.inputs(VERSION) ?? {}
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
          inputs: method.inputs(VERSION),
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
      line(row, row.met === undefined ? (row.target === '(figure)' ? '' : '?') : row.met ? 'yes' : 'NO'),
    )
}

async function main(): Promise<number> {
  if (!existsSync(ENTRY)) {
    console.error('dist/index.js is missing: run `npm run build` first.')
    return 1
  }
  const startedAt = Date.now()
  const node = actionNode()
  const { durations } = BENCH_TIMING
  console.log(
    `Bench of ${ENTRY} (${new Date(statSync(ENTRY).mtimeMs).toISOString()}), action on Node ${node.version}, bench on Node ${process.version}`,
  )
  console.log(
    `Scenario: standard-pg14 at speed 1 (real seconds): provision ${durations.provision}, follower_catch_up ${durations.follower_catch_up}, upgrade ${durations.upgrade}, release_phase ${durations.release_phase}, replication_lag ${BENCH_TIMING.replication_lag_seconds}, dyno_boot ${durations.dyno_boot}, dyno_stop ${durations.dyno_stop}, maintenance_write ${BENCH_TIMING.maintenance_write_seconds}`,
  )
  console.log(`Heroku's own time from events: ${EVENTS_USED}.`)
  console.log(`The simulator emits no event for some of it, so: ${EVENTS_MISSING.join('; ')}.`)
  console.log(
    'Requests: Platform and data API only (GitHub counted apart, /__simulator/ left out). Per second of waiting: in the window, requests in it / its length; over the run, all requests / first to last request.',
  )

  for (const method of METHODS) {
    const action = await benchAction(method, node)
    const cli = await benchCli(method)
    if (cli && action.windowSeconds > 0 && cli.windowSeconds > 0)
      console.log(
        `\n  ${method.name}: action window / CLI window = ${s(action.windowSeconds)} / ${s(cli.windowSeconds)} = ${x(action.windowSeconds / cli.windowSeconds)}`,
      )
    addTargetRows(method.name, action, cli)
    if (cli)
      rows.push({
        figure: `${method.name}: action window / CLI window`,
        target: '(figure)',
        measured: x(action.windowSeconds / cli.windowSeconds),
        met: undefined,
      })
  }
  await benchBundle(node)
  const first = METHODS[0]
  if (first) await benchSharedKey(first, node)

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
