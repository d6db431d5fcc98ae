// How many apps one Heroku API key can upgrade at once. Heroku gives each account a bucket of 4,500
// requests that regains 75 a minute (Dev Center, "Platform API Reference", Rate Limits:
// https://devcenter.heroku.com/articles/platform-api-reference#rate-limits); the simulator keeps the same
// bucket on its own clock. The figure comes from the bundled action at Heroku's pace (the scenario's own
// minutes, PACED_SPEED times faster for the simulator and the action's clock alike):
//
// 1. one run of each method alone: its requests, its length and so its requests per minute, on average and
//    in its busiest minute; and the requests of one `phase: plan` run;
// 2. the figures: a fleet upgraded `max-parallel` runs at a time keeps that many runs going while apps are
//    left. At P at once, runs of R requests and T minutes never drain the bucket when P ≤ 75·T / R; above
//    that, M apps take M·R requests while the bucket regains 75 per minute for ⌈M/P⌉·T minutes. The
//    figure is the largest P with which a fleet of FLEET apps, whatever the method, spends at most half the
//    bucket (the other half is left to whatever else the account does: deploys, the dashboard, the CLI);
// 3. the check: three waves of P apps on one key, P at a time as fleet.yml runs them, with the method that
//    asks most per minute: every run succeeds, no answer is 429, and the lowest RateLimit-Remaining seen.
//
// `npx tsx scripts/bench/fleet.ts [--method NAME]... [--no-check]`, or `npm run bench` (its fleet part).

import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { resolve } from 'node:path'
import { startSimulator } from '../../simulator/index'
import { resolveScenario } from '../../simulator/scenario/load'
import { ENTRY, ROOT } from '../run-action'
import { actionNode, runAction, type ActionRun, type NodeBinary } from './action-runs'
import { METHODS, type BenchMethod, type Target } from './methods'
import { startRecordingProxy } from './recording-proxy'
import { benchApp, herokuPacedScenario, manyAppsScenario } from './scenario'
import { isGithub, readSimulatorLog, type SimRequest } from './simulator-log'

/** Heroku's bucket: Dev Center, Platform API Reference, Rate Limits. */
export const BUCKET = 4_500
export const REFILL_PER_MINUTE = 75
const PACED_SPEED = 40
/** The fleet the figure is for, and the share of the bucket it may spend. */
export const FLEET = 100
const SPENDABLE = BUCKET / 2
const TIMEOUT_MS = 300_000
const CLOCK_PRELOAD = `${ROOT}/scripts/clock-preload.cjs`
const PACED_ENV = { NODE_OPTIONS: `--require "${CLOCK_PRELOAD}"`, CLOCK_SPEED: String(PACED_SPEED) }

export interface MethodLoad {
  method: string
  /** Platform and data API requests of one run (GitHub's are not Heroku's to count). */
  requests: number
  /** First to last request, in Heroku minutes. */
  minutes: number
  perMinute: number
  /** Most requests in any 60 s of Heroku time. */
  busiestMinute: number
  /** Runs at once that never drain the bucket: 75·T / R. */
  sustained: number
  /** Runs at once with which FLEET apps spend at most half the bucket. */
  forFleet: number
}

/** Requests the bucket is short of at the end of `apps` runs, `parallel` at a time. */
export function deficit(
  load: Pick<MethodLoad, 'requests' | 'minutes'>,
  apps: number,
  parallel: number,
): number {
  return apps * load.requests - REFILL_PER_MINUTE * Math.ceil(apps / parallel) * load.minutes
}

/** The largest number of runs at once (up to `apps`) whose deficit stays within `spendable`. */
export function largestParallel(
  load: Pick<MethodLoad, 'requests' | 'minutes'>,
  apps = FLEET,
  spendable = SPENDABLE,
): number {
  let parallel = 1
  while (parallel < apps && deficit(load, apps, parallel + 1) <= spendable) parallel++
  return parallel
}

/** Heroku requests of a run, in Heroku seconds from the first. */
function herokuSeconds(requests: SimRequest[]): number[] {
  const times = requests.filter((r) => !isGithub(r.path)).map((r) => Date.parse(r.at))
  const first = Math.min(...times)
  return times.map((time) => ((time - first) / 1000) * PACED_SPEED).sort((a, b) => a - b)
}

function busiestMinute(seconds: number[]): number {
  let most = 0
  for (let start = 0, end = 0; end < seconds.length; end++) {
    while ((seconds[end] as number) - (seconds[start] as number) >= 60) start++
    most = Math.max(most, end - start + 1)
  }
  return most
}

function pacedScenario(count?: number): Record<string, unknown> {
  // Heroku's own durations, the simulator's default 5 minutes of "not ready" after an upgrade is prepared
  // included: the action waits that out with the app up.
  const paced = herokuPacedScenario(PACED_SPEED)
  if (count === undefined) return paced
  // manyAppsScenario's apps on the paced scenario's clock and durations.
  return { ...paced, apps: manyAppsScenario(count).apps, description: `${count} apps at Heroku's pace` }
}

function target(): Target {
  const scenario = resolveScenario(pacedScenario())
  const version = scenario.apps[0]?.databases[0]?.version ?? ''
  return { version: '17', currentMajor: version.split('.')[0] ?? '' }
}

async function pacedRun(inputs: Record<string, string>, node: NodeBinary) {
  const simulator = await startSimulator({ scenario: pacedScenario() })
  try {
    const run = await runAction({
      url: simulator.url,
      app: 'acme-web',
      inputs,
      node,
      timeoutMs: TIMEOUT_MS,
      env: PACED_ENV,
    })
    const seconds = herokuSeconds((await readSimulatorLog(simulator.url)).requests)
    return { run, seconds }
  } finally {
    await simulator.stop()
  }
}

/** One run of `method` alone at Heroku's pace, and what it asks of the bucket. */
export async function measureMethod(method: BenchMethod, node: NodeBinary): Promise<MethodLoad> {
  const { run, seconds } = await pacedRun(method.inputs(target()), node)
  if (!run.ok) throw new Error(`${method.name} at Heroku's pace did not succeed: ${run.why ?? ''}`)
  const minutes = (seconds[seconds.length - 1] ?? 0) / 60
  const load = { requests: seconds.length, minutes }
  return {
    method: method.name,
    ...load,
    perMinute: seconds.length / Math.max(minutes, 1),
    busiestMinute: busiestMinute(seconds),
    sustained: Math.max(1, Math.floor((REFILL_PER_MINUTE * minutes) / seconds.length)),
    forFleet: largestParallel(load),
  }
}

/** Requests of one `phase: plan` run: the fleet's plan jobs all run before any upgrade. */
export async function measurePlan(node: NodeBinary): Promise<number> {
  const { run, seconds } = await pacedRun({ version: target().version, phase: 'plan' }, node)
  if (run.main.outputs.status !== 'planned')
    throw new Error(`phase plan ended ${run.main.outputs.status ?? '(no status)'}: ${run.why ?? ''}`)
  return seconds.length
}

export interface FleetCheck {
  apps: number
  maxParallel: number
  succeeded: number
  limited: number
  lowestRemaining: number | undefined
  herokuMinutes: number
}

/** `apps` runs of `method` on one key, `maxParallel` at a time, through a proxy that notes the bucket. */
export async function checkFleet(
  method: BenchMethod,
  node: NodeBinary,
  apps: number,
  maxParallel: number,
): Promise<FleetCheck> {
  const simulator = await startSimulator({ scenario: pacedScenario(apps) })
  const proxy = await startRecordingProxy(simulator.url)
  const startedAt = Date.now()
  try {
    const queue = Array.from({ length: apps }, (_, index) => benchApp(index))
    const runs: ActionRun[] = []
    const leg = async (): Promise<void> => {
      for (let app = queue.shift(); app !== undefined; app = queue.shift())
        runs.push(
          await runAction({
            url: proxy.url,
            app,
            inputs: method.inputs(target()),
            node,
            timeoutMs: TIMEOUT_MS,
            env: PACED_ENV,
          }),
        )
    }
    await Promise.all(Array.from({ length: maxParallel }, leg))
    const heroku = proxy.answers.filter((answer) => !isGithub(answer.path))
    const remaining = heroku.flatMap((answer) => (answer.remaining === undefined ? [] : [answer.remaining]))
    return {
      apps,
      maxParallel,
      succeeded: runs.filter((run) => run.ok).length,
      limited: heroku.filter((answer) => answer.status === 429).length,
      lowestRemaining: remaining.length ? Math.min(...remaining) : undefined,
      herokuMinutes: ((Date.now() - startedAt) / 60_000) * PACED_SPEED,
    }
  } finally {
    await proxy.stop()
    await simulator.stop()
  }
}

const f1 = (value: number): string => value.toFixed(1)

/** The fleet part of the bench: a table per method, the figure, and the check of the tightest method. */
export async function benchFleet(methods: BenchMethod[], node: NodeBinary, check = true): Promise<boolean> {
  console.log(
    `\n── fleet: upgrades one API key sustains (bucket ${BUCKET}, +${REFILL_PER_MINUTE}/min; Heroku's pace, ${PACED_SPEED}× faster) ──`,
  )
  const loads: MethodLoad[] = []
  const broken: string[] = []
  for (const method of methods)
    try {
      loads.push(await measureMethod(method, node))
    } catch (error) {
      broken.push((error as Error).message.split('\n')[0] ?? '')
    }
  for (const why of broken) console.log(`  ! ${why}`)
  if (!loads.length) return false
  const plan = await measurePlan(node)
  printLoads(loads, plan)
  const figure = Math.min(...loads.map((load) => load.forFleet))
  const busiest = loads.reduce((a, b) => (b.perMinute > a.perMinute ? b : a))
  console.log(
    `  figure: one API key upgrades ${figure} apps at once (max-parallel ${figure}): a fleet of ${FLEET} apps then spends at most half its bucket, whatever the method; with no fleet-size limit, ${loads.map((l) => `${l.method} ${l.sustained}`).join(', ')}`,
  )
  if (!check) return broken.length === 0
  const method = METHODS.find((candidate) => candidate.name === busiest.method) as BenchMethod
  const result = await checkFleet(method, node, figure * 3, figure)
  console.log(
    `  check: ${result.apps} apps on one key, max-parallel ${result.maxParallel}, ${busiest.method} (the most requests per minute): ${result.succeeded}/${result.apps} succeeded in ${f1(result.herokuMinutes)} Heroku min; ${result.limited} × 429; lowest RateLimit-Remaining ${result.lowestRemaining ?? 'n/a'} of ${BUCKET}`,
  )
  return result.succeeded === result.apps && result.limited === 0 && broken.length === 0
}

function printLoads(loads: MethodLoad[], plan: number): void {
  console.log(
    `  method           requests  run (Heroku min)  req/min  busiest min  never drains  ${FLEET} apps in ½ bucket`,
  )
  for (const load of loads)
    console.log(
      `  ${load.method.padEnd(15)}  ${String(load.requests).padStart(8)}  ${f1(load.minutes).padStart(16)}  ${f1(load.perMinute).padStart(7)}  ${String(load.busiestMinute).padStart(11)}  ${String(load.sustained).padStart(12)}  ${String(load.forFleet).padStart(20)}`,
    )
  console.log(
    `  never drains: runs at once ≤ 75·T / R; ${FLEET} apps in ½ bucket: the most runs at once with which ${FLEET} apps leave ${SPENDABLE} of the ${BUCKET} requests`,
  )
  console.log(
    `  phase plan: ${plan} requests per app, so the plan jobs of a ${FLEET}-app fleet, all at once, take ${plan * FLEET}`,
  )
}

function chosen(argv: string[]): BenchMethod[] {
  const names = argv.flatMap((arg, index) => (arg === '--method' ? [argv[index + 1] ?? ''] : []))
  const unknown = names.filter((name) => !METHODS.some((method) => method.name === name))
  if (unknown.length)
    throw new Error(
      `--method ${unknown.join(', ')}: not a bench method; allowed: ${METHODS.map((m) => m.name).join(', ')}`,
    )
  return names.length ? METHODS.filter((method) => names.includes(method.name)) : METHODS
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2)
  if (argv.includes('--help')) {
    console.log('Usage: npx tsx scripts/bench/fleet.ts [--method NAME]... [--no-check]')
    process.exit(0)
  }
  if (!existsSync(ENTRY)) {
    console.error('dist/index.js is missing: run `npm run build` first.')
    process.exit(1)
  }
  benchFleet(chosen(argv), actionNode(), !argv.includes('--no-check')).then(
    (ok) => process.exit(ok ? 0 : 1),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exit(1)
    },
  )
}
