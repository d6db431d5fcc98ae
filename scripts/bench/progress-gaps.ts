// `npx tsx scripts/bench/progress-gaps.ts [--method M]… [--long] [--log]`: does a person watching the log see
// the action move during every wait? Each method of the bench runs, as the bundled action (dist/index.js),
// against the bench's scenario at Heroku's pace (the scenario's own durations, the simulator and the
// action's clock sped up alike, as `npm run bench` does), and every line of its log is stamped with the
// Heroku time it reached the runner at. Prints, per method, the longest stretch of Heroku time between two
// consecutive lines of the main step, every wait included (and the work between waits, a stricter bar than
// the waits alone), and exits 1 when one is over 60 s or a run does not succeed.
//
// --long: a long scenario (a 90-minute catch-up, a 2-hour prepare, 16 GB copied at 20 MB/s; minutes per method);
// --log: prints every line with its Heroku time (the default with --long);
// --entry FILE: another bundle than dist/index.js (built with `npm run build` first).

import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startSimulator } from '../../simulator/index'
import { ENTRY, RunnerJob, ROOT } from '../run-action'
import { actionNode, type NodeBinary } from './action-runs'
import { METHODS, type BenchMethod } from './methods'
import { API_KEY, benchScenario, GITHUB_TOKEN, herokuPacedScenario } from './scenario'

const APP = 'acme-web'
const VERSION = '17'
/** As scripts/bench.ts runs Heroku-paced runs (not exported there: importing bench.ts runs the bench). */
const PACED_SPEED = 40
const CLOCK_PRELOAD = join(ROOT, 'scripts', 'clock-preload.cjs')
/** The issue's bar: no stretch of Heroku time longer than this without a line. */
const LIMIT_S = 60
/** Real time: the long scenario's follower run lasts about 1h45m of Heroku time, 160 s here. */
const STEP_TIMEOUT_MS = 600_000

/**
 * Heroku durations of the long scenario (seconds), and the data the copy methods move: 16 GB, since the
 * simulator, like Heroku, lets a transfer of over 20 GB time out.
 */
const LONG = {
  durations: { follower_catch_up: 90 * 60, upgrade_prepare: 2 * 3600, copy_mb_per_s: 20 },
  data_size_mb: 16 * 1024,
}

interface Line {
  /** Heroku seconds since the step started. */
  at: number
  text: string
}

interface Gap {
  seconds: number
  /** The line the silence followed. */
  before: Line
}

interface MethodGaps {
  method: string
  ok: boolean
  why?: string
  lines: Line[]
  longest?: Gap
}

/** Lines a person sees in the job's log: workflow commands that print nothing are left out. */
const SILENT = /^::(add-mask|debug|save-state|set-output|endgroup|stop-commands)::/

/** Collects complete lines from a stream's chunks, each stamped with when it arrived. */
function lineCollector(startedAt: number): {
  push: (chunk: string) => void
  lines: Line[]
} {
  const lines: Line[] = []
  let partial = ''
  return {
    lines,
    push: (chunk) => {
      const at = ((performance.now() - startedAt) / 1000) * PACED_SPEED
      const parts = (partial + chunk).split('\n')
      partial = parts.pop() ?? ''
      for (const text of parts) if (text.trim() !== '' && !SILENT.test(text)) lines.push({ at, text })
    },
  }
}

function longestGap(lines: Line[]): Gap | undefined {
  let longest: Gap | undefined
  for (const [index, after] of lines.entries()) {
    const before = lines[index - 1]
    if (before && (!longest || after.at - before.at > longest.seconds))
      longest = { seconds: after.at - before.at, before }
  }
  return longest
}

/** The scenario every method runs on: the bench's Heroku-paced one, made long with --long. */
function scenario(long: boolean): Record<string, unknown> {
  // The simulator's default keeps a prepared upgrade "not ready" for 5 minutes: the action's wait for it, with
  // the app up, is one of the waits measured.
  const base: Record<string, unknown> = herokuPacedScenario(PACED_SPEED)
  if (!long) return base
  const apps = (base.apps as Array<Record<string, unknown>>).map((app) => ({
    ...app,
    databases: (app.databases as Array<Record<string, unknown>>).map((database) => ({
      ...database,
      data_size_mb: LONG.data_size_mb,
    })),
  }))
  return {
    ...base,
    description: `${String(base.description)}, long: 90-minute catch-up, 2-hour prepare, 16 GB`,
    durations: { ...(base.durations as object), ...LONG.durations },
    apps,
  }
}

function currentMajor(): string {
  const apps = benchScenario().apps as Array<{ name: string; databases: Array<{ version: string }> }>
  return apps.find((app) => app.name === APP)?.databases[0]?.version.split('.')[0] ?? ''
}

/** The main step of one run on a fresh simulator, every line stamped with Heroku time. */
async function measure(
  method: BenchMethod,
  node: NodeBinary,
  { long, entry }: { long: boolean; entry: string },
): Promise<MethodGaps> {
  const simulator = await startSimulator({ scenario: scenario(long) })
  const startedAt = performance.now()
  const collector = lineCollector(startedAt)
  const job = new RunnerJob({
    githubToken: GITHUB_TOKEN,
    node: node.path,
    entry,
    inputs: {
      'heroku-api-key': API_KEY,
      app: APP,
      confirm: APP,
      ...method.inputs({ version: VERSION, currentMajor: currentMajor() }),
    },
    env: {
      HEROKU_API_URL: simulator.url,
      HEROKU_DATA_API_URL: simulator.url,
      GITHUB_API_URL: simulator.url,
      GITHUB_REPOSITORY: `acme/${APP}`,
      NODE_OPTIONS: `--require "${CLOCK_PRELOAD}"`,
      CLOCK_SPEED: String(PACED_SPEED),
    },
    onOutput: (chunk, stream) => (stream === 'stdout' ? collector.push(chunk) : undefined),
    timeoutMs: STEP_TIMEOUT_MS,
  })
  try {
    const main = await job.main()
    collector.push('\n')
    const status = main.outputs.status ?? '(none)'
    const ok = main.exitCode === 0 && status === 'succeeded'
    const last = `${main.stdout}\n${main.stderr}`.split('\n').filter((line) => line.trim() !== '')
    const why = ok
      ? undefined
      : `main step exit ${main.exitCode ?? main.signal}, status ${status}: ${cut(last.at(-1) ?? '', 200)}`
    return { method: method.name, ok, why, lines: collector.lines, longest: longestGap(collector.lines) }
  } finally {
    await simulator.stop()
  }
}

const clockText = (seconds: number): string => {
  const whole = Math.round(seconds)
  const h = Math.floor(whole / 3600)
  const m = Math.floor((whole % 3600) / 60)
  const s = whole % 60
  return `${h ? `${h}:${String(m).padStart(2, '0')}` : String(m)}:${String(s).padStart(2, '0')}`
}

const cut = (text: string, length = 90): string =>
  text.trim().length > length ? `${text.trim().slice(0, length - 1)}…` : text.trim()

function printLog(result: MethodGaps): void {
  console.log(`\n── ${result.method}: the action's log, with Heroku time since the step started`)
  for (const line of result.lines) console.log(`  ${clockText(line.at).padStart(8)}  ${line.text}`)
}

function printTable(results: MethodGaps[]): void {
  console.log(
    `\n${'method'.padEnd(16)}${'lines'.padStart(6)}${'run'.padStart(10)}${'longest gap'.padStart(13)}  verdict  gap after the line`,
  )
  for (const result of results) {
    const gap = result.longest
    const run = result.lines.at(-1)?.at ?? 0
    const verdict = !result.ok ? 'BROKEN' : gap && gap.seconds > LIMIT_S ? 'OVER' : 'ok'
    console.log(
      `${result.method.padEnd(16)}${String(result.lines.length).padStart(6)}${clockText(run).padStart(10)}${(gap ? `${gap.seconds.toFixed(1)} s` : 'n/a').padStart(13)}  ${verdict.padEnd(7)}  ${gap ? `[${clockText(gap.before.at)}] ${cut(gap.before.text)}` : ''}`,
    )
    if (result.why) console.log(`${' '.repeat(16)}! ${result.why}`)
  }
}

function chosenMethods(argv: string[]): BenchMethod[] {
  const names = argv.flatMap((arg, index) => (arg === '--method' ? [argv[index + 1] ?? ''] : []))
  if (names.length === 0) return METHODS
  const unknown = names.filter((name) => !METHODS.some((method) => method.name === name))
  if (unknown.length > 0)
    throw new Error(
      `Unknown --method ${unknown.join(', ')}. Allowed: ${METHODS.map((method) => method.name).join(', ')}.`,
    )
  return METHODS.filter((method) => names.includes(method.name))
}

async function main(argv: string[]): Promise<number> {
  const long = argv.includes('--long')
  const entry = (argv.includes('--entry') ? argv[argv.indexOf('--entry') + 1] : undefined) ?? ENTRY
  const methods = chosenMethods(argv)
  const node = actionNode()
  console.log(
    `Longest stretch of Heroku time without a log line, per method: ${entry} on Node ${node.version}, the bench's scenario at Heroku's pace${long ? ' made long (90-minute catch-up, 2-hour prepare, 16 GB at 20 MB/s)' : ''}, run ${PACED_SPEED}× faster. Limit: ${LIMIT_S} s.`,
  )
  const results: MethodGaps[] = []
  for (const method of methods) {
    const result = await measure(method, node, { long, entry })
    results.push(result)
    if (long || argv.includes('--log')) printLog(result)
  }
  printTable(results)
  const failed = results.filter((result) => !result.ok || (result.longest?.seconds ?? 0) > LIMIT_S)
  if (failed.length > 0) {
    console.log(
      `\n${failed.length} method(s) broke or left the log silent for over ${LIMIT_S} s of Heroku time.`,
    )
    return 1
  }
  console.log(`\nEvery method printed a line at least every ${LIMIT_S} s of Heroku time.`)
  return 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error)
    process.exit(1)
  },
)
