// A part of the fault matrix again, on the data plane (issue 16): real PostgreSQL servers behind the add-ons
// and a real writer per writing dyno, so that "nothing lost" is counted in rows. A cancellation right after
// the switch's request (the promote of follower, copy and backup-restore; the upgrade of in-place), a SIGKILL
// in the window followed by the post step and a re-run, two runs at once on one database, and the follower's
// switch itself, compared row by row between the old and the new database.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { serverVersion, withClient } from '../../simulator/data-plane/databases.js'
import { readOnlyForNewSessions } from '../../src/postgres/fence'
import { parseFileCommands } from '../action/harness'
import { SpawnedJob } from '../action/process'
import {
  appState,
  cleanUpAfterEachTest,
  FAST,
  job,
  requestsOf,
  simulator,
  until,
  type LoggedRequest,
  type Simulator,
} from '../action/simulated'

cleanUpAfterEachTest()

const OLD = 'postgresql-curved-12345'
/** Heroku's preparations in minutes rather than hours, as in the fault matrix. */
const QUICK = { durations: { plan_change_prepare: 300, upgrade_run_ready_after: 60 } }
const DATA_PLANE = { data_plane: true, ...QUICK }

function databaseUrl(sim: Simulator): string {
  const url = sim.world.store.findApp('acme-web')?.config.get('DATABASE_URL')
  if (!url) throw new Error('acme-web has no DATABASE_URL')
  return url
}

function planeOf(sim: Simulator) {
  const plane = sim.dataPlane
  if (!plane) throw new Error('the data plane did not start')
  return plane
}

/** Starts standard-pg14 on the data plane and waits until the dynos have committed some rows on PG 14. */
async function start(faults: unknown[] = [], speed = 600): Promise<{ sim: Simulator; early: number }> {
  const sim = await simulator(faults, speed, 'standard-pg14', DATA_PLANE)
  const plane = planeOf(sim)
  expect(await serverVersion(databaseUrl(sim))).toMatch(/^14\./)
  await until('rows on PG 14', async () => (await plane.rows()).acknowledged >= 10, 15_000)
  return { sim, early: (await plane.rows()).acknowledged }
}

/**
 * The rows at the end: none lost, more than before the action, and DATABASE_URL on a real server whose
 * major is the serving add-on's. Returns what the report tells.
 */
async function expectRows(sim: Simulator, early: number, major: '14' | '17', what: string): Promise<string> {
  const rows = await planeOf(sim).rows()
  const version = await serverVersion(databaseUrl(sim))
  const line =
    `${what}: ${rows.acknowledged} rows acknowledged (${early} before the action), ${rows.lost} lost; ` +
    `DATABASE_URL on PostgreSQL ${version}`
  console.log(line)
  expect(rows.missing, line).toEqual([])
  expect(rows.lost, line).toBe(0)
  expect(rows.acknowledged, line).toBeGreaterThan(early)
  expect(version.split('.')[0], line).toBe(major)
  // The write fence (fence: auto reaches these servers) is never left on the database that serves.
  expect(await readOnlyForNewSessions(databaseUrl(sim)), `${line}: DATABASE_URL is read-only`).toBe(false)
  const current = (await appState(sim)).current as unknown as Record<string, unknown>
  expect(current.lost_rows, line).toBe(0)
  expect(current.lost_writes, line).toBe(0)
  return line
}

/** The add-on DATABASE names now, and its major as Heroku shows it. */
async function serving(sim: Simulator): Promise<{ name: string | null; major: string }> {
  const { app, current } = await appState(sim)
  const name = app.serving_database ?? app.database
  const addon = current.addons.find((a) => a.name === name)
  return { name, major: addon?.version.split('.')[0] ?? '' }
}

/** The attach of DATABASE (the promote): the first attachment request once maintenance went on. */
function promoteAt(requests: LoggedRequest[]): number {
  const opened = requests.findIndex((r) => r.method === 'PATCH' && r.path === '/apps/acme-web')
  if (opened < 0) return -1
  return requests.findIndex((r, i) => i > opened && r.method === 'POST' && r.path === '/addon-attachments')
}

/** Until the window is fully open: maintenance on and every process type scaled to zero. */
async function untilWindowOpen(sim: Simulator): Promise<void> {
  await until(
    'the window to open',
    async () => {
      const { app } = await appState(sim)
      return app.maintenance && app.formation.every((entry) => entry.quantity === 0)
    },
    60_000,
  )
}

// upgrade/run is refused once with Retry-After, which holds the action inside the window that many seconds.
const HOLD_IN_WINDOW = (seconds: number) => ({
  method: 'POST',
  path: '/client/v11/databases/*/upgrade/run',
  status: 429,
  times: 1,
  retry_after: seconds,
})

/** Runs the main step and cancels it (SIGINT) as soon as the requests show `what`; its result. */
async function cancelAt(
  sim: Simulator,
  run: ReturnType<typeof job>,
  what: string,
  reached: (requests: LoggedRequest[]) => boolean,
) {
  const controller = new AbortController()
  const main = run.main({ ...FAST, signal: controller.signal })
  let ended = false
  main.then(
    () => (ended = true),
    () => (ended = true),
  )
  await until(
    what,
    async () => {
      if (ended) throw new Error(`the run ended before ${what}`)
      return reached(await requestsOf(sim))
    },
    60_000,
  )
  controller.abort()
  return main
}

type Row = { writer: string; n: string; at: Date }

async function writes(url: string): Promise<Row[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<Row>('SELECT writer, n::text AS n, at FROM sim_writes')
    return rows
  })
}

describe('the fault matrix on the data plane', () => {
  it.each(['follower', 'copy', 'backup-restore'])(
    '%s, SIGINT right after the promote: the run ends in promote or release, and DATABASE_URL agrees',
    async (method) => {
      // Slow enough that a cancel sent as soon as the attach shows lands in the promote or its release.
      const { sim, early } = await start([], 300)
      const before = (await appState(sim)).app
      const run = job(sim, { method })
      const result = await cancelAt(sim, run, 'the promote', (requests) => promoteAt(requests) >= 0)
      const post = await run.post(FAST)

      const stopped = result.record?.steps.filter((step) => step.name !== 'rollback').at(-1)?.name
      expect(['promote', 'release'], `cancelled in step ${stopped}`).toContain(stopped)
      const status = result.outputs.status
      const context = `status ${status}; summary:\n${result.summary}`
      expect(['succeeded', 'rolled-back', 'failed'], context).toContain(status)
      // As the fault matrix says: DATABASE is on the new database when the run succeeded or the summary says it
      // failed after the switch, and on the old one otherwise; the app is back as it was, or left down on purpose
      // when the summary says so.
      const switched = status === 'succeeded' || result.summary.includes('**Failed after the switch**')
      const leftDown =
        status === 'failed' &&
        result.summary.includes('left in maintenance with its dynos scaled down on purpose')
      const now = await serving(sim)
      expect(now.name === OLD, context).toBe(!switched)
      expect(now.major, context).toBe(switched ? '17' : '14')
      if (result.outputs['new-database']) expect(result.outputs['new-database']).toBe(now.name)
      const { app } = await appState(sim)
      expect({ maintenance: app.maintenance, formation: app.formation }, context).toEqual(
        leftDown
          ? { maintenance: true, formation: before.formation.map((entry) => ({ ...entry, quantity: 0 })) }
          : { maintenance: false, formation: before.formation },
      )
      expect(post.failed).toBe(false)
      await expectRows(
        sim,
        early,
        switched ? '17' : '14',
        `${method}, SIGINT after the promote, ${status} in ${stopped}`,
      )
    },
    60_000,
  )

  it('in place, SIGINT right after the upgrade is sent: Heroku finishes it, and no row is lost', async () => {
    const { sim, early } = await start([], 300)
    const run = job(sim, { method: 'in-place' })
    const result = await cancelAt(sim, run, 'the upgrade request', (requests) =>
      requests.some((r) => r.method === 'POST' && r.path.endsWith('/upgrade/run')),
    )
    const post = await run.post(FAST)
    expect(post.failed).toBe(false)
    const status = result.outputs.status
    const context = `status ${status}; summary:\n${result.summary}\npost step:\n${post.log}`
    // What was sent cannot be called back: Heroku finishes the upgrade on its own.
    await until('Heroku to finish the upgrade', async () => (await serving(sim)).major === '17', 60_000)
    expect((await serving(sim)).name).toBe(OLD)
    const { app } = await appState(sim)
    // An app left down is said in the summary's first line.
    if (app.maintenance) expect(result.summary.split('\n')[0], context).toMatch(/maintenance/i)
    await expectRows(sim, early, '17', `in place, SIGINT after the upgrade was sent, ${status}`)
  }, 60_000)

  it('SIGKILL in the window, then the post step and a re-run: DATABASE_URL on 17, no row lost', async () => {
    const { sim, early } = await start([HOLD_IN_WINDOW(2)])
    const first = new SpawnedJob(sim)
    try {
      const main = first.startMain()
      await untilWindowOpen(sim)
      main.child.kill('SIGKILL')
      const killed = await main.result()
      expect(killed.failed).toBe(true)

      // The post step of the killed job, in process, with what its main step saved.
      const post = job(sim)
      post.useState(parseFileCommands(readFileSync(main.files.GITHUB_STATE, 'utf8')))
      const restored = await post.post(FAST)
      expect(restored.outputs.status).toBe('rolled-back')
      expect((await appState(sim)).app.maintenance).toBe(false)
      // The window was closed on the old database: nothing lost there either.
      await expectRows(sim, early, '14', 'SIGKILL in the window, after the post step')

      const resumed = await job(sim).main(FAST)
      expect(resumed.record?.error).toBeUndefined()
      expect(resumed.outputs.status).toBe('succeeded')
      expect(resumed.log).toMatch(/Resuming with follower/)
      const now = await serving(sim)
      expect(now.name).not.toBe(OLD)
      expect(now.major).toBe('17')
      await expectRows(sim, early, '17', 'SIGKILL in the window, after the re-run')
    } finally {
      first.dispose()
    }
  }, 60_000)

  it('two runs at once on one database: one succeeds, the other changes nothing', async () => {
    // The first run is held in its window a few seconds, long enough for the second to start and be refused.
    const { sim, early } = await start([HOLD_IN_WINDOW(8)])
    const before = (await appState(sim)).app
    const first = job(sim, {}, { GITHUB_RUN_ID: '1001' })
    const running = first.main(FAST)
    await until('the window of run 1001', async () => (await appState(sim)).app.maintenance, 60_000)
    const count = (await requestsOf(sim)).length
    const second = new SpawnedJob(sim)
    let refusedState: Record<string, string> = {}
    try {
      const refused = await second.main()
      refusedState = refused.state
      expect(refused.outputs.status).toBe('failed')
      expect(refused.log).toMatch(/held by workflow run 1001 .*changes nothing/)
      // The second run creates nothing; only the first run's own changes happen meanwhile.
      const created = (await requestsOf(sim))
        .slice(count)
        .filter((r) => r.method === 'POST' && r.path.endsWith('/addons'))
      expect(created).toEqual([])
    } finally {
      second.dispose()
    }
    const main = await running
    expect(main.outputs.status).toBe('succeeded')
    // The refused run's post step, in process once the first run is over (the harness owns process.env while
    // a step runs), with what its main step saved: it has nothing to undo and leaves the switch alone.
    const secondPost = job(sim)
    secondPost.useState(refusedState)
    expect((await secondPost.post(FAST)).log).toContain('nothing to do')
    const { app, current } = await appState(sim)
    expect(app.formation).toEqual(before.formation)
    expect(app.maintenance).toBe(false)
    expect(current.addons.filter((a) => a.name !== OLD)).toHaveLength(1)
    await expectRows(sim, early, '17', 'two runs at once')
  }, 60_000)

  it('at the switch, the new database holds exactly the rows of the old one', async () => {
    const { sim, early } = await start()
    const oldUrl = databaseUrl(sim)
    const main = await job(sim, { method: 'follower' }).main(FAST)
    expect(main.record?.error).toBeUndefined()
    expect(main.outputs.status).toBe('succeeded')
    const line = await expectRows(sim, early, '17', 'follower, old and new compared')
    const newUrl = databaseUrl(sim)
    expect(newUrl).not.toBe(oldUrl)

    // The old database takes no write once the window closed its writers: what it holds now is what it held
    // at the switch, and its last row is the moment the switch was made. The new database must hold exactly
    // those rows up to that moment (the same count, and every one of them by writer and number), and only
    // rows the dynos wrote after the switch beyond it. Both servers run on this machine, so their clocks
    // (the rows' `at`) agree.
    const oldRows = await writes(oldUrl)
    expect(await serverVersion(oldUrl)).toMatch(/^14\./)
    // Some rows written after the switch, so that the comparison has rows on both sides of it.
    const plane = planeOf(sim)
    await until('rows after the switch', async () => (await plane.rows()).acknowledged > oldRows.length + 5)
    const newRows = await writes(newUrl)
    expect((await writes(oldUrl)).length, 'the old database took no write after the switch').toBe(
      oldRows.length,
    )
    expect(oldRows.length).toBeGreaterThanOrEqual(early)
    const switchedAt = Math.max(...oldRows.map((row) => row.at.getTime()))
    const atSwitch = newRows.filter((row) => row.at.getTime() <= switchedAt)
    const key = (row: Row) => `${row.writer}#${row.n}`
    const onNew = new Set(newRows.map(key))
    const missing = oldRows.filter((row) => !onNew.has(key(row)))
    console.log(
      `${line}; old ${oldRows.length} rows at the switch, new ${atSwitch.length} up to the switch and ` +
        `${newRows.length} in all`,
    )
    expect(missing).toEqual([])
    expect(atSwitch.length).toBe(oldRows.length)
    expect(new Set(atSwitch.map(key))).toEqual(new Set(oldRows.map(key)))
    expect(newRows.length).toBeGreaterThan(oldRows.length)
  }, 60_000)
})
