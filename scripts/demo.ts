// `npm run demo [-- --method M] [--scenario S] [--phase plan]`: rehearses a real upgrade on the simulator. Starts a
// built-in scenario (standard-pg14 unless told), runs the bundled action (dist/index.js) exactly as the
// GitHub runner would with the method asked for (follower unless told), then prints the job summary, the
// follow-up issue, the measured downtime, the API requests the run made and the lost-writes count.

import { existsSync } from 'node:fs'
import { startSimulator } from '../simulator/index'
import { ENTRY, RunnerJob, type StepRun } from './run-action'

const METHODS = ['auto', 'follower', 'in-place', 'copy', 'backup-restore', 'plan-change'] as const
type DemoMethod = (typeof METHODS)[number]
/** Simulated seconds per real second: the ~15 simulated minutes of the procedure take ~15 s. */
const SPEED = 60

interface Demo {
  method: DemoMethod
  /** all (default), or plan: the read-only report an approver reads, changing nothing. */
  phase: 'all' | 'plan'
  scenario: string
  app: string
  /** What the method is asked to do: a version for most, a plan for plan-change. */
  target: Record<string, string>
}

function parseArguments(argv: string[]): Demo {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag)
    return index >= 0 ? argv[index + 1] : undefined
  }
  const method = (value('--method') ?? 'follower') as DemoMethod
  if (!METHODS.includes(method)) throw new Error(`--method is "${method}". Allowed: ${METHODS.join(', ')}.`)
  const scenario = value('--scenario') ?? 'standard-pg14'
  const app = scenario.startsWith('essential')
    ? 'acme-small'
    : scenario.startsWith('premium')
      ? 'acme-shop'
      : 'acme-web'
  const essential = scenario.startsWith('essential')
  const target: Record<string, string> =
    method === 'plan-change'
      ? { version: essential ? '15' : '14', plan: essential ? 'essential-1' : 'standard-2' }
      : { version: '17' }
  const phase = value('--phase') ?? 'all'
  if (phase !== 'all' && phase !== 'plan') throw new Error(`--phase is "${phase}". Allowed: all, plan.`)
  return { method, phase, scenario, app, target }
}

const demo = parseArguments(process.argv.slice(2))
const SCENARIO = demo.scenario
const APP = demo.app
const HEROKU_TOKEN = 'sim-heroku-token'
const GITHUB_TOKEN = 'sim-github-token'
const REPOSITORY = 'acme/acme-web'

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

async function main(): Promise<number> {
  if (!existsSync(ENTRY)) {
    console.error('dist/index.js is missing. It is committed; if you removed it, run `npm run build` first.')
    return 1
  }
  const startedAt = Date.now()
  const simulator = await startSimulator({ scenario: SCENARIO, speed: SPEED })
  try {
    console.log(
      `Simulated Heroku (scenario ${SCENARIO}, ${SPEED} simulated seconds per second) at ${simulator.url}`,
    )
    console.log(
      `Running dist/index.js as the GitHub runner does: ${APP}'s DATABASE to ${demo.target.plan ? `plan ${demo.target.plan}` : `PG ${demo.target.version}`} with method ${demo.method}.`,
    )

    const job = new RunnerJob({
      githubToken: GITHUB_TOKEN,
      inputs: {
        'heroku-api-key': HEROKU_TOKEN,
        app: APP,
        confirm: APP,
        method: demo.method,
        phase: demo.phase,
        ...demo.target,
        // Real seconds: at 60× a 100 ms poll is 6 simulated seconds, close to a 5 s poll on real Heroku.
        'poll-interval': '100ms',
      },
      env: {
        HEROKU_API_URL: simulator.url,
        HEROKU_DATA_API_URL: simulator.url,
        GITHUB_API_URL: simulator.url,
        GITHUB_REPOSITORY: REPOSITORY,
      },
      onOutput: (chunk) => streamLog(chunk),
      timeoutMs: 55_000,
    })

    console.log(rule('main step'))
    const mainStep = await job.main()
    console.log(rule('post step'))
    const postStep = await job.post()

    console.log(rule('job summary ($GITHUB_STEP_SUMMARY)'))
    console.log(mainStep.summary.trim() || '(empty)')

    const state = (await (await fetch(`${simulator.url}/__simulator/state`)).json()) as SimulatorState
    console.log(rule('follow-up issue'))
    const issue = state.github_issues[state.github_issues.length - 1]
    if (issue) {
      console.log(`Title: ${issue.title}\n`)
      console.log(issue.body.trim())
    } else {
      console.log('(no issue was opened)')
    }

    console.log(rule('result'))
    const simulated = await simulatedWindowSeconds(simulator.url)
    const requests = (await (await fetch(`${simulator.url}/__simulator/requests`)).json()) as Array<{
      path: string
    }>
    const herokuRequests = requests.filter((request) => !request.path.startsWith('/repos/')).length
    printResult(mainStep, postStep, state, simulated, (Date.now() - startedAt) / 1000)
    console.log(`Heroku API requests (main and post steps): ${herokuRequests}`)
    const expected = demo.phase === 'plan' ? 'planned' : 'succeeded'
    const ok = mainStep.exitCode === 0 && mainStep.outputs.status === expected && state.lost_writes === 0
    return ok ? 0 : 1
  } finally {
    await simulator.stop()
  }
}

function printResult(
  mainStep: StepRun,
  postStep: StepRun,
  state: SimulatorState,
  simulatedSeconds: number | undefined,
  totalSeconds: number,
): void {
  const outputs = mainStep.outputs
  const realDowntime = outputs['downtime-seconds']
  console.log(
    `Status: ${outputs.status ?? '(none)'} with method ${outputs.method ?? '?'} (main step exit code ${mainStep.exitCode}, post step exit code ${postStep.exitCode})`,
  )
  console.log(
    `Database: ${outputs['old-database'] ?? '?'} (PG ${outputs['old-version'] ?? '?'}) -> ${outputs['new-database'] ?? '?'} (PG ${outputs['new-version'] ?? '?'})`,
  )
  if (realDowntime === '0' && simulatedSeconds === undefined) {
    console.log('Measured downtime: none (this method opens no maintenance window).')
  } else if (realDowntime !== undefined && realDowntime !== '') {
    const simulated = simulatedSeconds ?? Number(realDowntime) * SPEED
    const how =
      simulatedSeconds === undefined
        ? `${realDowntime} s × ${SPEED}`
        : 'maintenance on to off in the simulator'
    console.log(
      `Measured downtime: ${Math.round(simulated)} simulated seconds (${how}); downtime-seconds output: ${realDowntime} real seconds.`,
    )
  } else {
    console.log('Measured downtime: not measured (the maintenance window did not close).')
  }
  console.log(`Lost writes: ${state.lost_writes}`)
  console.log(`Demo took ${totalSeconds.toFixed(1)} real seconds.`)
}

/** Simulated seconds between the first maintenance on and the last maintenance off of the app. */
async function simulatedWindowSeconds(url: string): Promise<number | undefined> {
  const response = await fetch(`${url}/__simulator/events`)
  if (!response.ok) return undefined
  const events = ((await response.json()) as SimulatorEvent[]).filter((event) => event.app === APP)
  const on = events.find((event) => event.type === 'maintenance-on')
  const off = events.filter((event) => event.type === 'maintenance-off').pop()
  if (!on || !off) return undefined
  return off.at_simulated - on.at_simulated
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
