// Every workflow of examples/ run as GitHub would run it (scripts/run-example.ts): jobs in `needs` order,
// the expressions the examples use evaluated, the bundled action spawned as the runner spawns it (main and
// post, a fresh state file per job), job outputs carried to the jobs that need them, against the simulator.
// A README example that does not work is worse than none: these prove each ends with the database upgraded
// and no write lost.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseDuration } from '../../src/domain/duration'
import { startSimulator } from '../../simulator/index'
import { ENTRY, ROOT } from '../../scripts/run-action'
import {
  ACTION_USES,
  readWorkflow,
  runWorkflow,
  type JobResult,
  type StepResult,
  type WorkflowEvent,
  type WorkflowRun,
  type WorkflowSpec,
} from '../../scripts/run-example'
import { nextCronTime } from '../../scripts/workflow-expressions'

const EXAMPLES = join(ROOT, 'examples')
const SECRETS = { HEROKU_API_KEY: 'sim-heroku-token', GITHUB_TOKEN: 'sim-github-token' }
/** As the examples expect: the Heroku key is a secret of the `production` environment, the token the job's. */
const REPOSITORY_SECRETS = { GITHUB_TOKEN: SECRETS.GITHUB_TOKEN }
const ENVIRONMENT_SECRETS = { production: { HEROKU_API_KEY: SECRETS.HEROKU_API_KEY } }
/** GitHub ends a job on its hosted runners after 6 hours. */
const GITHUB_JOB_LIMIT_MINUTES = 360
const APP = 'acme-web'
const OLD_DATABASE = 'postgresql-curved-12345'
const PLAN_ID = /^p2(-[0-9a-f]{4}){7}$/
/** GETs, and the POSTs with which Heroku answers a name lookup (`/actions/addons/resolve`). */
const READ_ONLY = (request: { method: string; path: string }): boolean =>
  request.method === 'GET' ||
  (request.method === 'POST' && /^\/actions\/[a-z-]+\/resolve$/.test(request.path))

interface SimulatorState {
  apps: Array<{
    name: string
    maintenance: boolean
    database: string
    formation: Array<{ type: string; quantity: number; size: string }>
  }>
  addons: Array<{ name: string; plan: string; version: string }>
  lost_writes: number
}

interface SimulatorEvent {
  type: string
  at_real: string
  app?: string
}

interface SimulatorRequest {
  method: string
  path: string
  status: number
}

type Simulator = Awaited<ReturnType<typeof startSimulator>>

async function get<T>(simulator: Simulator, path: string): Promise<T> {
  return (await (await fetch(`${simulator.url}${path}`)).json()) as T
}

/** The add-on attached as DATABASE, with its version and plan. */
function databaseOf(state: SimulatorState): { name: string; plan: string; version: string } {
  const app = state.apps.find((candidate) => candidate.name === APP)
  const addon = state.addons.find((candidate) => candidate.name === app?.database)
  if (!app || !addon) throw new Error(`${APP} or its DATABASE is missing from the simulator's state`)
  return addon
}

function job(run: WorkflowRun, id: string): JobResult {
  const found = run.jobs.find((candidate) => candidate.id === id)
  if (!found) throw new Error(`job ${id} is not in run ${run.runId}`)
  return found
}

/** The log of a job's steps, for the message of a failed expectation. */
function log(result: JobResult): string {
  return result.steps
    .flatMap((step) => [step.main.stdout, step.main.stderr, step.post?.stdout, step.post?.stderr])
    .join('\n')
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .slice(-60)
    .join('\n')
}

/** The step of a job (or leg) that uses this action. */
function actionStep(steps: StepResult[]): StepResult {
  const found = steps.find((step) => step.uses !== undefined && ACTION_USES.test(step.uses))
  if (!found) throw new Error('no step of this action ran')
  return found
}

/** Run one workflow run of an example (a file of examples/, or a workflow given whole) against the simulator. */
function run(
  simulator: Simulator,
  file: string | WorkflowSpec,
  event: WorkflowEvent,
  runId: string,
  extra: { startsAt?: number; beforeJob?: (job: string) => Promise<void> } = {},
): Promise<WorkflowRun> {
  return runWorkflow(typeof file === 'string' ? readWorkflow(join(EXAMPLES, file)) : file, {
    event,
    runId,
    secrets: REPOSITORY_SECRETS,
    environmentSecrets: ENVIRONMENT_SECRETS,
    env: {
      HEROKU_API_URL: simulator.url,
      HEROKU_DATA_API_URL: simulator.url,
      GITHUB_API_URL: simulator.url,
      GITHUB_REPOSITORY: 'acme/web',
    },
    // The simulator runs Heroku 600 times faster: the default 5 s poll would be most of each run.
    extraInputs: { 'poll-interval': '200ms' },
    stepTimeoutMs: 90_000,
    ...extra,
  })
}

function expectUpgraded(
  state: SimulatorState,
  formationBefore: SimulatorState['apps'][number]['formation'],
): void {
  expect(databaseOf(state).version).toMatch(/^17\./)
  expect(state.lost_writes).toBe(0)
  const app = state.apps.find((candidate) => candidate.name === APP)
  expect(app?.maintenance).toBe(false)
  expect(app?.formation).toEqual(formationBefore)
}

beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error('dist/index.js is missing: run `npm run build`')
})

it('tests every workflow in examples/', () => {
  expect(readdirSync(EXAMPLES).sort()).toEqual([
    'approval-gate.yml',
    'fleet.yml',
    'maintenance-window.yml',
    'upgrade-button.yml',
  ])
})

describe('every example', () => {
  const examples = readdirSync(EXAMPLES).map((file) => ({ file, spec: readWorkflow(join(EXAMPLES, file)) }))
  const jobs = examples.flatMap(({ file, spec }) =>
    Object.entries(spec.jobs).map(([id, job]) => ({ where: `${file} / ${id}`, job })),
  )

  it("gives every job a timeout-minutes within GitHub's 6-hour limit", () => {
    const outside = jobs.filter(({ job }) => {
      const minutes = Number(job['timeout-minutes'])
      return !Number.isInteger(minutes) || minutes < 1 || minutes >= GITHUB_JOB_LIMIT_MINUTES
    })
    expect(outside.map(({ where }) => where)).toEqual([])
  })

  it('reads the API key only in a job of the production environment', () => {
    const reading = jobs.filter(({ job }) => JSON.stringify(job.steps).includes('secrets.HEROKU_API_KEY'))
    expect(reading.length).toBeGreaterThanOrEqual(6)
    expect(reading.filter(({ job }) => job.environment !== 'production').map(({ where }) => where)).toEqual(
      [],
    )
  })

  it("stops waiting for a prepare before the job's timeout, wherever a step may prepare", () => {
    const preparing = jobs.flatMap(({ where, job }) =>
      (job.steps ?? [])
        .filter((step) => step.uses !== undefined && ACTION_USES.test(step.uses))
        .filter((step) => ['all', 'prepare', 'switch'].includes(String(step.with?.phase ?? 'all')))
        .map((step) => ({
          where,
          jobMs: Number(job['timeout-minutes']) * 60_000,
          // Without it, the action's default (6 h) outlasts any job.
          prepareMs: parseDuration(String(step.with?.['prepare-timeout'] ?? '6h')) ?? Infinity,
        })),
    )
    expect(preparing.length).toBeGreaterThanOrEqual(5)
    // The window and the post step still need time after the prepare gives up: at least 20 minutes.
    const tooLong = preparing.filter(({ jobMs, prepareMs }) => prepareMs > jobMs - 20 * 60_000)
    expect(tooLong.map(({ where }) => where)).toEqual([])
  })
})

describe('examples/upgrade-button.yml, dispatched with a version and a method', () => {
  let simulator: Simulator
  let result: WorkflowRun
  let state: SimulatorState
  let formationBefore: SimulatorState['apps'][number]['formation']

  beforeAll(async () => {
    simulator = await startSimulator({ scenario: 'standard-pg14', speed: 600 })
    formationBefore = (await get<SimulatorState>(simulator, '/__simulator/state')).apps[0]?.formation ?? []
    result = await run(
      simulator,
      'upgrade-button.yml',
      {
        name: 'workflow_dispatch',
        inputs: { app: APP, confirm: APP, version: '17', method: 'follower' },
      },
      '3001',
    )
    state = await get<SimulatorState>(simulator, '/__simulator/state')
  }, 150_000)

  afterAll(async () => {
    await simulator?.stop()
  })

  it('runs the one job with phase all, which succeeds', () => {
    const upgrade = job(result, 'upgrade')
    expect(upgrade.result, log(upgrade)).toBe('success')
    expect(upgrade.steps[0]?.inputs).toMatchObject({ app: APP, confirm: APP, version: '17', phase: 'all' })
    expect(upgrade.steps[0]?.main.outputs.status).toBe('succeeded')
    expect(upgrade.steps[0]?.main.outputs.method).toBe('follower')
  })

  it('leaves DATABASE on PG 17 on a new add-on, the app as it was, and no write lost', () => {
    expect(databaseOf(state).name).not.toBe(OLD_DATABASE)
    expectUpgraded(state, formationBefore)
  })
})

describe('examples/maintenance-window.yml, the prepare schedule then the switch schedule', () => {
  const PREPARE = '0 20 * * 5'
  const SWITCH = '0 3 * * 6'
  let simulator: Simulator
  let prepared: WorkflowRun
  let switched: WorkflowRun
  let afterPrepare: SimulatorState
  let state: SimulatorState
  let formationBefore: SimulatorState['apps'][number]['formation']
  let eventsOfPrepare: SimulatorEvent[]
  let requestsOfSwitch: SimulatorRequest[]

  beforeAll(async () => {
    simulator = await startSimulator({ scenario: 'standard-pg14', speed: 600 })
    formationBefore = (await get<SimulatorState>(simulator, '/__simulator/state')).apps[0]?.formation ?? []
    prepared = await run(simulator, 'maintenance-window.yml', { name: 'schedule', cron: PREPARE }, '4001')
    afterPrepare = await get<SimulatorState>(simulator, '/__simulator/state')
    eventsOfPrepare = await get<SimulatorEvent[]>(simulator, '/__simulator/events')
    const requestsBefore = (await get<SimulatorRequest[]>(simulator, '/__simulator/requests')).length
    // Another workflow run, as GitHub starts it at the next cron time: nothing but Heroku links it to the first.
    switched = await run(simulator, 'maintenance-window.yml', { name: 'schedule', cron: SWITCH }, '4002', {
      startsAt: nextCronTime(SWITCH, prepared.startedAt),
    })
    state = await get<SimulatorState>(simulator, '/__simulator/state')
    requestsOfSwitch = (await get<SimulatorRequest[]>(simulator, '/__simulator/requests')).slice(
      requestsBefore,
    )
  }, 200_000)

  afterAll(async () => {
    await simulator?.stop()
  })

  it('the prepare schedule runs only the prepare job, which ends prepared with the app up throughout', () => {
    expect(job(prepared, 'switch').result).toBe('skipped')
    const prepare = job(prepared, 'prepare')
    expect(prepare.result, log(prepare)).toBe('success')
    expect(prepare.steps[0]?.inputs).toMatchObject({ app: APP, version: '17', phase: 'prepare' })
    expect(prepare.steps[0]?.main.outputs.status).toBe('prepared')
    expect(eventsOfPrepare.filter((event) => event.type === 'maintenance-on')).toEqual([])
    expect(databaseOf(afterPrepare)).toMatchObject({ name: OLD_DATABASE, version: '14.17' })
    expect(afterPrepare.apps[0]?.formation).toEqual(formationBefore)
  })

  it('the switch schedule, a separate run, finds the prepared work on Heroku and finishes the upgrade', () => {
    expect(switched.runId).not.toBe(prepared.runId)
    expect(job(switched, 'prepare').result).toBe('skipped')
    const switchJob = job(switched, 'switch')
    expect(switchJob.result, log(switchJob)).toBe('success')
    expect(switchJob.steps[0]?.inputs).toMatchObject({
      phase: 'switch',
      'window-end': '04:00',
      'max-downtime': '30m',
    })
    expect(switchJob.steps[0]?.main.outputs.status).toBe('succeeded')
    // What the prepare made is used, not made again.
    const preparedAgain = requestsOfSwitch.filter(
      (request) =>
        request.method === 'POST' &&
        (request.path.endsWith('/upgrade/prepare') || /^\/apps\/[^/]+\/addons$/.test(request.path)),
    )
    expect(preparedAgain).toEqual([])
  })

  it('leaves DATABASE on PG 17, the app as it was, and no write lost', () => {
    expectUpgraded(state, formationBefore)
  })
})

describe('examples/approval-gate.yml, dispatched with a version and a plan', () => {
  let simulator: Simulator
  let result: WorkflowRun
  let state: SimulatorState
  let formationBefore: SimulatorState['apps'][number]['formation']
  let requestsOfPlan: SimulatorRequest[] = []

  beforeAll(async () => {
    simulator = await startSimulator({ scenario: 'standard-pg14', speed: 600 })
    formationBefore = (await get<SimulatorState>(simulator, '/__simulator/state')).apps[0]?.formation ?? []
    let planStart = 0
    result = await run(
      simulator,
      'approval-gate.yml',
      { name: 'workflow_dispatch', inputs: { version: '17', plan: 'standard-2' } },
      '5001',
      {
        beforeJob: async (id) => {
          const requests = await get<SimulatorRequest[]>(simulator, '/__simulator/requests')
          if (id === 'plan') planStart = requests.length
          else requestsOfPlan = requests.slice(planStart)
        },
      },
    )
    state = await get<SimulatorState>(simulator, '/__simulator/state')
  }, 200_000)

  afterAll(async () => {
    await simulator?.stop()
  })

  it('the plan job changes nothing and hands its plan-id to the next job as a job output', () => {
    const plan = job(result, 'plan')
    expect(plan.result, log(plan)).toBe('success')
    expect(plan.outputs.status).toBe('planned')
    expect(plan.outputs['plan-id']).toMatch(PLAN_ID)
    expect(plan.outputs['estimated-downtime-seconds']).toMatch(/^\d+$/)
    expect(plan.steps[0]?.main.summary).toContain(plan.outputs['plan-id'])
    expect(requestsOfPlan.length).toBeGreaterThan(0)
    expect(requestsOfPlan.filter((request) => !READ_ONLY(request))).toEqual([])
  })

  it('waits for the approve job, in the environment with the reviewers and no secret', () => {
    const approve = job(result, 'approve')
    expect(approve.result, log(approve)).toBe('success')
    expect(approve.environment).toBe('production-approval')
    expect(approve.steps[0]?.main.stdout).toContain(job(result, 'plan').outputs['plan-id'])
    expect(result.jobs.map((candidate) => candidate.id)).toEqual(['plan', 'approve', 'upgrade'])
  })

  it('the upgrade job runs with the approved plan-id and succeeds', () => {
    const upgrade = job(result, 'upgrade')
    expect(upgrade.result, log(upgrade)).toBe('success')
    expect(upgrade.steps[0]?.inputs).toMatchObject({
      'plan-id': job(result, 'plan').outputs['plan-id'],
      version: '17',
      plan: 'standard-2',
    })
    expect(upgrade.steps[0]?.main.outputs.status).toBe('succeeded')
  })

  it('leaves DATABASE on PG 17 and Standard-2, the app as it was, and no write lost', () => {
    expect(databaseOf(state).plan).toBe('standard-2')
    expectUpgraded(state, formationBefore)
  })
})

describe('examples/approval-gate.yml when the app changes while the reviewer waits', () => {
  let simulator: Simulator
  let result: WorkflowRun
  let state: SimulatorState
  let events: SimulatorEvent[]

  beforeAll(async () => {
    simulator = await startSimulator({ scenario: 'standard-pg14', speed: 600 })
    result = await run(
      simulator,
      'approval-gate.yml',
      { name: 'workflow_dispatch', inputs: { version: '17' } },
      '6001',
      {
        beforeJob: async (id) => {
          if (id !== 'upgrade') return
          // Someone scales the worker up between the plan and the approval.
          const response = await fetch(`${simulator.url}/apps/${APP}/formation/worker`, {
            method: 'PATCH',
            headers: {
              accept: 'application/vnd.heroku+json; version=3',
              authorization: `Bearer ${SECRETS.HEROKU_API_KEY}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ quantity: 2 }),
          })
          expect(response.status).toBe(200)
        },
      },
    )
    state = await get<SimulatorState>(simulator, '/__simulator/state')
    events = await get<SimulatorEvent[]>(simulator, '/__simulator/events')
  }, 150_000)

  afterAll(async () => {
    await simulator?.stop()
  })

  it('the upgrade job refuses before any change, naming the formation', () => {
    expect(job(result, 'plan').outputs.status).toBe('planned')
    const upgrade = job(result, 'upgrade')
    expect(upgrade.result).toBe('failure')
    expect(upgrade.steps[0]?.main.stdout).toMatch(/formation/)
    expect(databaseOf(state)).toMatchObject({ name: OLD_DATABASE, version: '14.17' })
    expect(events.filter((event) => event.type === 'maintenance-on')).toEqual([])
    expect(state.lost_writes).toBe(0)
  })
})

describe('a job that reads the API key without naming its environment', () => {
  let simulator: Simulator
  let result: WorkflowRun
  let requests: SimulatorRequest[]

  beforeAll(async () => {
    simulator = await startSimulator({ scenario: 'standard-pg14', speed: 600 })
    // upgrade-button.yml's upgrade job as it was written before: no `environment:`.
    const spec = readWorkflow(join(EXAMPLES, 'upgrade-button.yml'))
    const { environment: _, needs: __, ...withoutEnvironment } = spec.jobs.upgrade ?? {}
    result = await run(
      simulator,
      { ...spec, jobs: { upgrade: withoutEnvironment } },
      { name: 'workflow_dispatch', inputs: { app: APP, confirm: APP, version: '17' } },
      '7001',
    )
    requests = await get<SimulatorRequest[]>(simulator, '/__simulator/requests')
  }, 60_000)

  afterAll(async () => {
    await simulator?.stop()
  })

  it('gets an empty key, as on GitHub, and fails before any request to Heroku', () => {
    const upgrade = job(result, 'upgrade')
    expect(upgrade.result).toBe('failure')
    expect(actionStep(upgrade.steps).inputs['heroku-api-key']).toBe('')
    expect(log(upgrade)).toMatch(/heroku-api-key/)
    const toHeroku = requests.filter((request) => !/^\/(repos|__simulator)\//.test(request.path))
    expect(toHeroku).toEqual([])
  })
})

describe('examples/fleet.yml, three apps of one account', () => {
  const APPS = ['acme-web', 'acme-api', 'acme-admin']
  let simulator: Simulator
  let result: WorkflowRun
  let state: SimulatorState
  let before: SimulatorState
  let requestsOfPlans: SimulatorRequest[] = []

  beforeAll(async () => {
    simulator = await startSimulator({ scenario: 'fleet-standard-pg14', speed: 600 })
    before = await get<SimulatorState>(simulator, '/__simulator/state')
    result = await run(
      simulator,
      'fleet.yml',
      { name: 'workflow_dispatch', inputs: { version: '17' } },
      '8001',
      {
        beforeJob: async (id) => {
          if (id === 'upgrade')
            requestsOfPlans = await get<SimulatorRequest[]>(simulator, '/__simulator/requests')
        },
      },
    )
    state = await get<SimulatorState>(simulator, '/__simulator/state')
  }, 300_000)

  afterAll(async () => {
    await simulator?.stop()
  })

  it('plans every app first, changing nothing', () => {
    const plan = job(result, 'plan')
    expect(plan.legs.map((leg) => leg.name)).toEqual(APPS.map((app) => `plan (${app})`))
    for (const leg of plan.legs) {
      expect(leg.result, log(plan)).toBe('success')
      expect(actionStep(leg.steps).main.outputs.status).toBe('planned')
    }
    expect(requestsOfPlans.length).toBeGreaterThan(0)
    expect(requestsOfPlans.filter((request) => !READ_ONLY(request))).toEqual([])
  })

  it("upgrades each app with its own plan's plan-id, in its own concurrency group, three at most at once", () => {
    const plan = job(result, 'plan')
    const upgrade = job(result, 'upgrade')
    expect(upgrade.maxParallel).toBe(3)
    for (const [index, app] of APPS.entries()) {
      const leg = upgrade.legs[index]
      expect(leg?.name).toBe(`upgrade (${app})`)
      expect(leg?.result, leg && log({ ...upgrade, steps: leg.steps })).toBe('success')
      expect(leg?.concurrencyGroup).toBe(`heroku-postgres-upgrade-${app}`)
      const planned = actionStep(plan.legs[index]?.steps ?? []).main.outputs['plan-id']
      expect(planned).toMatch(PLAN_ID)
      const step = actionStep(leg?.steps ?? [])
      expect(step.inputs).toMatchObject({ app, confirm: app, 'plan-id': planned, phase: 'all' })
      expect(step.main.outputs.status).toBe('succeeded')
    }
    // Each leg read its own app's plan, not another's.
    const ids = upgrade.legs.map((leg) => actionStep(leg.steps).inputs['plan-id'])
    expect(new Set(ids).size).toBe(APPS.length)
  })

  it('leaves every app on PG 17 with its formation, out of maintenance, and no write lost', () => {
    expect(state.lost_writes).toBe(0)
    for (const app of APPS) {
      const now = state.apps.find((candidate) => candidate.name === app)
      const addon = state.addons.find((candidate) => candidate.name === now?.database)
      expect(addon?.version, app).toMatch(/^17\./)
      expect(now?.maintenance).toBe(false)
      expect(now?.formation).toEqual(before.apps.find((candidate) => candidate.name === app)?.formation)
    }
  })
})
