// Every method under faults, as a matrix: each mutating request of the action (rows) meets each fault
// (columns): an HTTP 429 or 500s, a dropped connection before or after Heroku acted, a cancellation
// (SIGINT) or a SIGKILL right after the request. Whatever happens, at the end no write is lost, the app is
// back as it was (or exactly as the job summary says, when the run stopped after the switch), at most one
// database was created (none by the methods that keep the add-on), and the status output tells which
// database the dynos use. The follower method meets every column; the others meet the columns that test
// what is theirs: a lost answer after Heroku acted, a cancellation and a kill.
//
// The in-process cells change process.env (see harness.ts), so they run one at a time; the SIGKILL cells run
// every step as a separate process, so they overlap with them.
import { describe, it, type ExpectStatic } from 'vitest'
import type { StepName } from '../../src/domain/vocabulary'
import type { StepResult } from './harness'
import { SpawnedJob } from './process'
import {
  addFault,
  appState,
  expectNoSecrets,
  FAST,
  job,
  simulator,
  type SimState,
  type Simulator,
} from './simulated'

const OLD = 'postgresql-curved-12345'
/** Fault columns: the run goes by in a few seconds. */
const FAULT_SPEED = 600
/**
 * Signal columns: slow enough that a signal sent as soon as the request shows lands in the step that sent
 * it (the release phase of the promote lasts 10 simulated seconds: 33 ms here).
 */
const SIGNAL_SPEED = 300
const POLL_MS = 10
/** Heroku's preparations in minutes rather than hours: the cells are about what happens around them. */
const QUICK = { durations: { plan_change_prepare: 300, upgrade_run_ready_after: 60 } }
const WAIT_MS = 30_000

interface LoggedRequest {
  method: string
  path: string
  status: number
}

interface Target {
  method: string
  /** Glob, as the simulator's faults take it. */
  path: string
}

const CREATE: Target = { method: 'POST', path: '/apps/acme-web/addons' }
const MAINTENANCE: Target = { method: 'PATCH', path: '/apps/acme-web' }
const UPGRADE: Target = { method: 'POST', path: '/client/v11/databases/*/upgrade/run' }
const ATTACH: Target = { method: 'POST', path: '/addon-attachments' }
const SCALE: Target = { method: 'PATCH', path: '/apps/acme-web/formation' }

const globRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('[^?]*')}$`,
  )

/** Index of the first request to `target` at or after `from`, or -1. */
function find(requests: LoggedRequest[], target: Target, from = 0): number {
  const path = globRegExp(target.path)
  return requests.findIndex((r, i) => i >= from && r.method === target.method && path.test(r.path))
}

interface Row {
  name: string
  target: Target
  /** When the fault is injected: at the start, once the window is open, or once DATABASE moved. */
  arm: 'start' | 'maintenance-on' | 'database-moved'
  /** Where the row's request is in the requests log, or -1. */
  locate: (requests: LoggedRequest[]) => number
  /** The steps a signal sent as soon as the request shows may stop the run in. */
  point: StepName[]
}

const afterWindowOpened = (requests: LoggedRequest[]): number => {
  const opened = find(requests, MAINTENANCE)
  return opened < 0 ? -1 : find(requests, ATTACH, opened + 1)
}

const FOLLOWER_ROWS: Row[] = [
  {
    name: 'create',
    target: CREATE,
    arm: 'start',
    locate: (requests) => find(requests, CREATE),
    point: ['provision'],
  },
  {
    // Maintenance goes on before the formation is scaled down (see openWindow in src/window.ts).
    name: 'window open',
    target: MAINTENANCE,
    arm: 'start',
    locate: (requests) => find(requests, MAINTENANCE),
    point: ['window-open', 'final-catch-up'],
  },
  {
    name: 'upgrade',
    target: UPGRADE,
    arm: 'start',
    locate: (requests) => find(requests, UPGRADE),
    point: ['upgrade'],
  },
  {
    // The attach of DATABASE, not the earlier one that gives the old database its alias during catch-up.
    name: 'promote',
    target: ATTACH,
    arm: 'maintenance-on',
    locate: afterWindowOpened,
    point: ['promote', 'release'],
  },
  {
    // The scale-up once DATABASE moved.
    name: 'window close',
    target: SCALE,
    arm: 'database-moved',
    locate: (requests) => {
      const promoted = afterWindowOpened(requests)
      return promoted < 0 ? -1 : find(requests, SCALE, promoted + 1)
    },
    point: ['window-close'],
  },
]

const PREPARE: Target = { method: 'POST', path: '/client/v11/databases/*/upgrade/prepare' }
const PLAN_CHANGE: Target = { method: 'PATCH', path: '/apps/acme-web/addons/*' }
const CHANGEOVER: Target = { method: 'POST', path: '/data/maintenances/v1/*/run' }
const COPY: Target = { method: 'POST', path: '/client/v11/databases/*/transfers' }
const BACKUP: Target = { method: 'POST', path: '/client/v11/databases/*/backups' }
const RESTORE: Target = { method: 'POST', path: '/client/v11/databases/*/restores' }

const rowFor = (name: string, target: Target, point: StepName[]): Row => ({
  name,
  target,
  arm: 'start',
  locate: (requests) => find(requests, target),
  point,
})

/** One method on the standard-pg14 scenario, with the rows and columns it meets. */
interface MethodCase {
  method: 'follower' | 'in-place' | 'plan-change' | 'copy' | 'backup-restore'
  inputs: Record<string, string>
  rows: Row[]
  columns: Array<FaultColumn['name'] | 'SIGINT' | 'SIGKILL'>
  /** in-place and plan-change change the database itself: nothing is created, DATABASE never moves. */
  keepsAddon: boolean
  /** What the old add-on looks like once the method succeeded (keepsAddon only). */
  reached?: (addon: SimState['addons'][number]) => boolean
}

const EVERY_COLUMN = ['429', '500×3', 'drop', 'drop_after', 'SIGINT', 'SIGKILL'] as const
const THEIR_COLUMNS = ['500×3', 'drop_after', 'SIGINT', 'SIGKILL'] as const

const CASES: MethodCase[] = [
  { method: 'follower', inputs: {}, rows: FOLLOWER_ROWS, columns: [...EVERY_COLUMN], keepsAddon: false },
  {
    method: 'in-place',
    inputs: {},
    rows: [rowFor('prepare', PREPARE, ['prepare-upgrade']), rowFor('upgrade', UPGRADE, ['upgrade'])],
    columns: [...THEIR_COLUMNS],
    keepsAddon: true,
    reached: (addon) => addon.version.startsWith('17.'),
  },
  {
    method: 'plan-change',
    inputs: { version: '14', plan: 'standard-2' },
    rows: [
      rowFor('plan change', PLAN_CHANGE, ['prepare-plan-change']),
      rowFor('changeover', CHANGEOVER, ['changeover']),
    ],
    columns: [...THEIR_COLUMNS],
    keepsAddon: true,
    reached: (addon) => addon.plan.endsWith('standard-2'),
  },
  {
    method: 'copy',
    inputs: {},
    rows: [rowFor('copy', COPY, ['copy'])],
    columns: [...THEIR_COLUMNS],
    keepsAddon: false,
  },
  {
    method: 'backup-restore',
    inputs: {},
    rows: [rowFor('backup', BACKUP, ['backup']), rowFor('restore', RESTORE, ['restore'])],
    columns: [...THEIR_COLUMNS],
    keepsAddon: false,
  },
]

interface FaultColumn {
  name: string
  fault: (target: Target) => Record<string, unknown>
  /** The status the simulator logs for the row's request: the fault's, 0 when dropped, or Heroku's own. */
  logged: (status: number) => boolean
}

const FAULT_COLUMNS: FaultColumn[] = [
  {
    name: '429',
    fault: (target) => ({ ...target, status: 429, retry_after: 1 }),
    logged: (status) => status === 429,
  },
  {
    name: '500×3',
    fault: (target) => ({ ...target, status: 500, times: 3 }),
    logged: (status) => status === 500,
  },
  { name: 'drop', fault: (target) => ({ ...target, drop: true }), logged: (status) => status === 0 },
  {
    name: 'drop_after',
    fault: (target) => ({ ...target, drop_after: true }),
    logged: (status) => status >= 200 && status < 300,
  },
]

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function requestsOf(sim: Simulator): Promise<LoggedRequest[]> {
  return (await (await fetch(`${sim.url}/__simulator/requests`)).json()) as LoggedRequest[]
}

async function faultsLeft(sim: Simulator): Promise<unknown[]> {
  return ((await (await fetch(`${sim.url}/__simulator/faults`)).json()) as { http: unknown[] }).http
}

type App = SimState['apps'][number] & { serving_database: string | null }

async function app(sim: Simulator): Promise<{ current: SimState; app: App }> {
  const { current, app } = await appState(sim)
  return { current, app: app as App }
}

/** Polls `check` every few ms until it gives a value; fails when `ended` settles first, or after WAIT_MS. */
async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ended: Promise<unknown>,
): Promise<T> {
  let over = false
  ended.then(
    () => (over = true),
    () => (over = true),
  )
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (over) throw new Error(`The step ended before ${what}.`)
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`)
    await sleep(POLL_MS)
  }
}

const untilRequest = (sim: Simulator, row: Row, ended: Promise<unknown>): Promise<number> =>
  waitFor(
    `the ${row.name} request (${row.target.method} ${row.target.path})`,
    async () => {
      const at = row.locate(await requestsOf(sim))
      return at < 0 ? undefined : at
    },
    ended,
  )

/** Injects the fault once the row's moment came; returns how many requests the log held then. */
async function armLate(sim: Simulator, row: Row, fault: unknown, ended: Promise<unknown>): Promise<number> {
  await waitFor(
    row.arm === 'maintenance-on' ? 'maintenance on' : `DATABASE to leave ${OLD}`,
    async () => {
      const { app: current } = await app(sim)
      const ready = row.arm === 'maintenance-on' ? current.maintenance : current.database !== OLD
      return ready ? true : undefined
    },
    ended,
  )
  const logged = (await requestsOf(sim)).length
  await addFault(sim, fault)
  return logged
}

/** The step a run stopped in: the last one before the failure handling's rollback. */
function stoppedIn(result: StepResult): StepName | undefined {
  return result.record?.steps.filter((step) => step.name !== 'rollback').at(-1)?.name
}

interface Ending {
  /** Every step of the job(s), for the secret check. */
  steps: StepResult[]
  /** The step whose status output and job summary tell how the run ended. */
  final: StepResult
}

/**
 * The end state every cell must reach: no write lost; the app as before, or exactly as the summary says when
 * the run stopped after the switch; at most one new add-on; a final status that matches the database the
 * dynos use; no secret anywhere.
 */
async function expectSettled(
  expect: ExpectStatic,
  sim: Simulator,
  before: App,
  { steps, final }: Ending,
  kase: MethodCase,
): Promise<void> {
  const { current, app: after } = await app(sim)
  const status = final.outputs.status
  const summary = final.summary
  const context = `status ${status}; summary:\n${summary}\nlog:\n${final.log}`

  expect(current.lost_writes, context).toBe(0)

  const created = current.addons.filter((addon) => addon.name !== OLD).map((addon) => addon.name)
  expect(created.length, `add-ons created: ${created.join(', ')}`).toBeLessThanOrEqual(
    kase.keepsAddon ? 0 : 1,
  )

  expect(['succeeded', 'rolled-back', 'failed', 'skipped'], context).toContain(status)
  expect(summary, 'the job summary').not.toBe('')
  if (kase.keepsAddon) {
    expect(after.serving_database, context).toBe(OLD)
    if (status === 'succeeded' || status === 'skipped')
      expect(kase.reached!(current.addons.find((addon) => addon.name === OLD)!), context).toBe(true)
  } else {
    const switched = status === 'succeeded' || summary.includes('**Failed after the switch**')
    expect(after.serving_database, context).toBe(switched ? created[0] : OLD)
  }
  if (final.outputs['new-database'])
    expect(final.outputs['new-database'], context).toBe(after.serving_database)
  // What the report says of the database follows what Heroku shows: a version or plan that changed is
  // never reported as unchanged.
  const serving = current.addons.find((addon) => addon.name === after.serving_database)!
  if (final.outputs['new-version'] && serving.upgrade !== 'running')
    expect(final.outputs['new-version'], context).toBe(serving.version)
  if (kase.keepsAddon && kase.reached!(serving))
    expect(summary, context).not.toMatch(/the upgrade did not happen|its data was not changed/)

  const leftDown =
    status === 'failed' && summary.includes('left in maintenance with its dynos scaled down on purpose')
  const expected = leftDown
    ? { maintenance: true, formation: before.formation.map((entry) => ({ ...entry, quantity: 0 })) }
    : { maintenance: before.maintenance, formation: before.formation }
  expect({ maintenance: after.maintenance, formation: after.formation }, context).toEqual(expected)

  expectNoSecrets(...steps)
}

/** Serialises the in-process cells' harness use (in case the runner ever starts two at once). */
let inProcess: Promise<unknown> = Promise.resolve()
function oneAtATime<T>(body: () => Promise<T>): Promise<T> {
  const run = inProcess.then(body, body)
  inProcess = run.catch(() => undefined)
  return run
}

/** Starts an in-process main step; `cancel` is SIGINT, `stop` ends it when the cell failed before it did. */
function startMain(sim: Simulator, kase: MethodCase) {
  const run = job(sim, { method: kase.method, ...kase.inputs })
  const controller = new AbortController()
  const main = run.main({ ...FAST, signal: controller.signal })
  const cancel = (): void => controller.abort()
  const stop = async (): Promise<void> => {
    controller.abort()
    await main.catch(() => undefined)
  }
  return { run, main, cancel, stop }
}

async function faultCell(
  expect: ExpectStatic,
  kase: MethodCase,
  row: Row,
  column: FaultColumn,
): Promise<void> {
  const fault = column.fault(row.target)
  const sim = await simulator(row.arm === 'start' ? [fault] : [], FAULT_SPEED, 'standard-pg14', QUICK)
  const before = (await app(sim)).app
  const { run, main, stop } = startMain(sim, kase)
  try {
    const armedAt = row.arm === 'start' ? 0 : await armLate(sim, row, fault, main)
    const mainResult = await main
    const post = await run.post(FAST)

    const requests = await requestsOf(sim)
    const at = row.locate(requests)
    expect(at, `the ${row.name} request was sent after the fault was injected`).toBeGreaterThanOrEqual(
      armedAt,
    )
    expect(await faultsLeft(sim), 'the fault fired').toEqual([])
    expect(column.logged(requests[at]!.status), `logged as ${requests[at]!.status}`).toBe(true)

    await expectSettled(expect, sim, before, { steps: [mainResult, post], final: mainResult }, kase)
  } finally {
    await stop()
    run.cleanup()
    await sim.stop()
  }
}

async function sigintCell(expect: ExpectStatic, kase: MethodCase, row: Row): Promise<void> {
  const sim = await simulator([], SIGNAL_SPEED, 'standard-pg14', QUICK)
  const before = (await app(sim)).app
  const { run, main, cancel, stop } = startMain(sim, kase)
  try {
    await untilRequest(sim, row, main)
    cancel()
    const mainResult = await main
    expect(row.point, `cancelled in step ${stoppedIn(mainResult)}`).toContain(stoppedIn(mainResult))
    const post = await run.post(FAST)
    await expectSettled(expect, sim, before, { steps: [mainResult, post], final: mainResult }, kase)
  } finally {
    await stop()
    run.cleanup()
    await sim.stop()
  }
}

async function sigkillCell(expect: ExpectStatic, kase: MethodCase, row: Row): Promise<void> {
  const sim = await simulator([], SIGNAL_SPEED, 'standard-pg14', QUICK)
  const inputs = { method: kase.method, ...kase.inputs }
  const first = new SpawnedJob(sim, inputs)
  const rerun = new SpawnedJob(sim, inputs)
  try {
    const before = (await app(sim)).app
    const main = first.startMain()
    await untilRequest(sim, row, main.exited)
    main.child.kill('SIGKILL')
    const killed = await main.result()
    expect(killed.failed).toBe(true)
    expect(row.point, `killed in step ${stoppedIn(killed)}`).toContain(stoppedIn(killed))

    const post = await first.post()
    const again = await rerun.main()
    const againPost = await rerun.post()
    expect(againPost.log, againPost.log).toContain('nothing to do')
    // The killed run's own hold never blocks its re-run: the post step let go of it.
    expect(again.record?.error ?? '', again.log).not.toMatch(/is held by/)

    // A re-run after a post step that finished the switch has nothing left to do: the post step then tells
    // how the run ended, and the re-run must agree on where DATABASE is.
    const skipped = again.outputs.status === 'skipped' && post.outputs.status === 'succeeded'
    if (skipped) expect(again.outputs['new-database']).toBe(post.outputs['new-database'])
    await expectSettled(
      expect,
      sim,
      before,
      { steps: [killed, post, again, againPost], final: skipped ? post : again },
      kase,
    )
  } finally {
    first.dispose()
    rerun.dispose()
    await sim.stop()
  }
}

/** At most `n` bodies at a time; a body that ends hands its slot to the next one waiting. */
function limit(n: number): <T>(body: () => Promise<T>) => Promise<T> {
  let active = 0
  const waiting: Array<() => void> = []
  return async (body) => {
    if (active < n) active++
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await body()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else active--
    }
  }
}

/** Two spawned cells at a time: each step is a node process compiling the action on a 2-core machine. */
const spawnSlot = limit(2)

for (const kase of CASES)
  describe.concurrent(`${kase.method} fault matrix (standard-pg14)`, () => {
    const columns = FAULT_COLUMNS.filter((column) => kase.columns.includes(column.name))
    describe.concurrent('in process: HTTP faults and SIGINT', () => {
      for (const row of kase.rows) {
        for (const column of columns)
          it.sequential(`${row.name} × ${column.name}`, ({ expect }) =>
            oneAtATime(() => faultCell(expect, kase, row, column)),
          )
        if (kase.columns.includes('SIGINT'))
          it.sequential(`${row.name} × SIGINT`, ({ expect }) =>
            oneAtATime(() => sigintCell(expect, kase, row)),
          )
      }
    })

    describe.concurrent('spawned: SIGKILL, post step, re-run', () => {
      if (kase.columns.includes('SIGKILL'))
        for (const row of kase.rows)
          it(`${row.name} × SIGKILL`, { timeout: 150_000 }, ({ expect }) =>
            spawnSlot(() => sigkillCell(expect, kase, row)),
          )
    })
  })
