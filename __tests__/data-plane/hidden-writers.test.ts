// The write fence against the hidden writers of issue 17 that run on Heroku itself, on real servers: dynos
// that write to the database the app leaves while no look of the action at the dyno list shows them.
// 1. A one-off dyno (`heroku run:detached`) that starts and exits between two of the action's looks.
// 2. A dyno in its SIGTERM grace (a teammate's `heroku ps:stop`), which the list hides while it still writes
//    (the scenario rule stopping_dynos_listed: hidden, the default); the action did not stop it, so it has no
//    grace of its own to wait out.
// Both run once the follower stopped taking the old database's writes (the upgrade request): before that,
// the lag the window waits to read 0 holds the switch until every writer is done, hidden or not. With
// `fence: off` their rows there are lost; with `fence: on` the old database refuses them, and none is lost.
//
// The moments are those of the action's own requests. The simulator runs on a manual clock, moved here at
// 600 simulated seconds per real second and held still while the hidden writers run: the upgrade cannot
// end meanwhile, so the watch's looks come at their own cadence (one a second at poll-interval 200ms) and
// each step is taken right after a look, long before the next.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { withClient } from '../../simulator/data-plane/databases.js'
import { countLost, type AcknowledgedRow } from '../../simulator/data-plane/writers.js'
import { listedDynos } from '../../simulator/model/dyno-listing.js'
import { readOnlyForNewSessions } from '../../src/postgres/fence'
import {
  cleanUpAfterEachTest,
  FAST,
  job,
  requestsOf,
  SIM_TOKEN,
  state,
  until,
  type LoggedRequest,
  type Simulator,
} from '../action/simulated'
import { databaseUrl, startOnRealServers } from './real-servers'

cleanUpAfterEachTest()

/** Simulated seconds per real second while the clock is not held. */
const SPEED = 600
const TICK_MS = 25
/** How long (real time) a hidden writer runs while the clock is held: its rows are real, at 20 a second. */
const HOLD_MS = 400

const isLook = (r: LoggedRequest): boolean => r.method === 'GET' && r.path === '/apps/acme-web/dynos'
const isUpgradeRequest = (r: LoggedRequest): boolean => r.method === 'POST' && /\/upgrade\/run$/.test(r.path)

/** standard-pg14 whose one-off `run` dynos write 20 commits a second (a backfill), on a manual clock. */
async function start(): Promise<{ sim: Simulator; oldUrl: string }> {
  const base = JSON.parse(
    readFileSync(new URL('../../simulator/scenarios/standard-pg14.json', import.meta.url), 'utf8'),
  ) as { apps: Array<{ writes_per_second: Record<string, number> }> }
  const apps = base.apps.map((app) => ({ ...app, writes_per_second: { ...app.writes_per_second, run: 20 } }))
  return startOnRealServers(0, [], { apps })
}

/**
 * The simulator's clock at SPEED, as a running one would be (the model reads it at each request and tick),
 * except while held; `advance` moves it by hand (`POST /__simulator/clock`), then waits until the model has
 * caught up and `reached` holds (the model does not move while the real servers are busy).
 */
class DrivenClock {
  private held = false
  private readonly timer: NodeJS.Timeout

  constructor(private readonly sim: Simulator) {
    this.timer = setInterval(() => {
      if (!this.held) sim.world.clock.jump((SPEED * TICK_MS) / 1000)
    }, TICK_MS)
  }

  hold(): void {
    this.held = true
  }

  release(): void {
    this.held = false
  }

  async advance(seconds: number, what: string, reached: () => boolean): Promise<void> {
    const response = await fetch(`${this.sim.url}/__simulator/clock`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ advance_seconds: seconds }),
    })
    expect(response.status).toBe(200)
    // Each request brings the model up to the clock, unless the real servers are busy at that moment.
    const caughtUp = async (): Promise<boolean> => {
      await state(this.sim)
      return reached()
    }
    await until(what, caughtUp, 10_000)
  }

  stop(): void {
    clearInterval(this.timer)
  }
}

async function heroku(sim: Simulator, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${SIM_TOKEN}`,
      Accept: 'application/vnd.heroku+json; version=3',
      'Content-Type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  expect(response.ok).toBe(true)
  return response.json()
}

/** `heroku run:detached`: a one-off dyno, with the DATABASE_URL of the moment. */
async function runDetached(sim: Simulator, command: string, timeToLive?: number) {
  const body = { command, attach: false, ...(timeToLive === undefined ? {} : { time_to_live: timeToLive }) }
  return (await heroku(sim, 'POST', '/apps/acme-web/dynos', body)) as { id: string; name: string }
}

/**
 * The index in the request log of the first request after `from` that `matches`, once there is one. Asked
 * every 50 ms: each request makes the data plane run a pass, and a look is a second apart.
 */
async function nextRequest(
  sim: Simulator,
  what: string,
  matches: (r: LoggedRequest) => boolean,
  from = 0,
): Promise<number> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const found = (await requestsOf(sim)).findIndex((r, i) => i >= from && matches(r))
    if (found >= 0) return found
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** The index in the request log of the last request that `matches` (the test's own, just made). */
async function lastRequest(sim: Simulator, matches: (r: LoggedRequest) => boolean): Promise<number> {
  const log = await requestsOf(sim)
  for (let i = log.length - 1; i >= 0; i--) if (matches(log[i]!)) return i
  return -1
}

/** The action's looks at the dyno list answered between two indexes of the request log. */
async function looksBetween(sim: Simulator, from: number, to: number): Promise<number> {
  return (await requestsOf(sim)).filter((r, i) => i > from && i < to && isLook(r)).length
}

function dynoOf(sim: Simulator, name: string) {
  return sim.world.store.findApp('acme-web')?.dynos.find((dyno) => dyno.name === name)
}

function listed(sim: Simulator, name: string): boolean {
  const app = sim.world.store.findApp('acme-web')
  return app ? listedDynos(sim.world, app).some(({ dyno }) => dyno.name === name) : false
}

/** Commits the model's old database refused so far (the fenced database takes none of them). */
async function refusedByOld(sim: Simulator): Promise<number> {
  const current = (await state(sim)) as unknown as { addons: Array<{ name: string; refused_writes: number }> }
  return current.addons.find((addon) => addon.name === 'postgresql-curved-12345')?.refused_writes ?? 0
}

interface Staged {
  label: string
  dyno: string
  /** The action's looks at the dyno list while the dyno was listed, and while it wrote unlisted. */
  looksWhileListed: number
  looksWhileHidden: number
  refusedInModel: number
}

/**
 * Once the follower is told to upgrade (it no longer takes the old database's writes), and right after a
 * look of the action at the dynos: the one-off dyno that comes up and exits before the next look; then,
 * right after the next look, the dyno a teammate starts and stops at once, which writes through its
 * SIGTERM grace while at least one look does not list it.
 */
async function stageHiddenWriters(sim: Simulator, clock: DrivenClock): Promise<Staged[]> {
  const { dyno_boot: boot, dyno_stop: grace } = sim.scenario.durations
  // The model's unfollow, read in-process (asking the API every 10 ms would load the data plane), then
  // the request that made it.
  const unfollowed = (): boolean =>
    sim.world.journal
      .events()
      .some((event) => event.type === 'unfollow' && event.detail.endsWith('(upgrade)'))
  await until('the follower to stop following (the upgrade request)', async () => unfollowed(), 60_000)
  clock.hold()
  try {
    // 1. Up and gone between two looks.
    const upgrade = await nextRequest(sim, 'the upgrade request', isUpgradeRequest)
    await nextRequest(sim, 'a look after the upgrade request', isLook, upgrade + 1)
    let refused = await refusedByOld(sim)
    const run = 20
    const quick = await runDetached(sim, 'bin/rails backfill:quick', boot + run)
    const created = await lastRequest(sim, (r) => r.method === 'POST' && r.path === '/apps/acme-web/dynos')
    await clock.advance(boot, 'the one-off dyno to come up', () => dynoOf(sim, quick.name)?.state === 'up')
    await sleep(HOLD_MS)
    await clock.advance(run + 1, 'the one-off dyno to exit', () => dynoOf(sim, quick.name) === undefined)
    // Every request from here on came after it left the list.
    const exited = (await requestsOf(sim)).length
    const staged: Staged[] = [
      {
        label: 'one-off between two looks',
        dyno: quick.name,
        looksWhileListed: await looksBetween(sim, created, exited),
        looksWhileHidden: 0,
        refusedInModel: (await refusedByOld(sim)) - refused,
      },
    ]

    // 2. Stopped by a teammate right after it came up: unlisted through its grace, writing.
    const look = await nextRequest(sim, 'the next look', isLook, exited + 1)
    refused = await refusedByOld(sim)
    const stopped = await runDetached(sim, 'bin/rails backfill:full')
    const started = await lastRequest(sim, (r) => r.method === 'POST' && r.path === '/apps/acme-web/dynos')
    expect(look).toBeLessThan(started)
    await clock.advance(boot, 'the dyno to come up', () => dynoOf(sim, stopped.name)?.state === 'up')
    await heroku(sim, 'POST', `/apps/acme-web/dynos/${stopped.id}/actions/stop`)
    const stopAt = Date.now()
    const stop = await lastRequest(sim, (r) => r.path.endsWith('/actions/stop'))
    expect(dynoOf(sim, stopped.name)).toMatchObject({ state: 'up', stopping: true })
    expect(listed(sim, stopped.name)).toBe(false)
    await nextRequest(sim, 'a look while the stopped dyno still writes', isLook, stop + 1)
    await sleep(Math.max(0, HOLD_MS - (Date.now() - stopAt)))
    await clock.advance(grace + 1, 'the stopped dyno to exit', () => dynoOf(sim, stopped.name) === undefined)
    // Up to the request that moved the clock past its grace, the model had it writing, unlisted.
    const gone = await lastRequest(sim, (r) => r.path === '/__simulator/clock')
    staged.push({
      label: 'stopped dyno in its grace, unlisted',
      dyno: stopped.name,
      looksWhileListed: await looksBetween(sim, started, stop),
      looksWhileHidden: await looksBetween(sim, stop, gone),
      refusedInModel: (await refusedByOld(sim)) - refused,
    })
    return staged
  } finally {
    clock.release()
  }
}

interface Figures extends Staged {
  /** Rows its writer committed on the old database, the only one it wrote to (what it was told it wrote). */
  committed: number
  /** Of those, the rows the database that serves at the end lacks. */
  lost: number
}

/** A hidden dyno's rows: those on the old database, and which of them the database that serves lacks. */
async function rowsOf(staged: Staged, oldUrl: string, newUrl: string): Promise<Figures> {
  const rows = await withClient(oldUrl, async (client) => {
    const { rows } = await client.query<{ writer: string; n: string }>(
      "SELECT writer, n FROM sim_writes WHERE split_part(writer, '#', 1) = $1 ORDER BY id",
      [`acme-web/${staged.dyno}`],
    )
    return rows.map((row): AcknowledgedRow => ({ writer: row.writer, n: Number(row.n) }))
  })
  return { ...staged, committed: rows.length, lost: (await countLost(newUrl, rows)).lost }
}

/** A follower upgrade with both hidden writers; the figures of each, and of the dynos' rows in all. */
async function upgradeWithHiddenWriters(fence: 'on' | 'off') {
  const { sim, oldUrl } = await start()
  const clock = new DrivenClock(sim)
  try {
    // Should the staging fail, the run still ends (the clock runs again) before the test does.
    const [ran, stagedOrNot] = await Promise.allSettled([
      job(sim, { method: 'follower', fence }).main(FAST),
      stageHiddenWriters(sim, clock),
    ])
    if (stagedOrNot.status === 'rejected') throw stagedOrNot.reason
    if (ran.status === 'rejected') throw ran.reason
    const [main, staged] = [ran.value, stagedOrNot.value]
    expect(main.record?.error).toBeUndefined()
    expect(main.outputs.status).toBe('succeeded')
    const newUrl = databaseUrl(sim)
    expect(newUrl).not.toBe(oldUrl)
    const rows = await sim.dataPlane!.rows()
    const figures = await Promise.all(staged.map((one) => rowsOf(one, oldUrl, newUrl)))
    for (const one of figures) {
      console.log(
        `fence ${fence}: ${one.label} (${one.dyno}): ${one.committed} rows acknowledged, ${one.lost} lost; ` +
          `${one.refusedInModel} commits refused in the model; looks while listed ${one.looksWhileListed}, ` +
          `while writing unlisted ${one.looksWhileHidden}`,
      )
      // The staging is what it says: no look saw the dyno listed, and one came while it wrote unlisted.
      expect(one.looksWhileListed).toBe(0)
      expect(main.log).not.toContain(one.dyno)
    }
    expect(figures[1]?.looksWhileHidden).toBeGreaterThan(0)
    const current = (await state(sim)) as unknown as Record<string, unknown>
    console.log(
      `fence ${fence}: every dyno: ${rows.acknowledged} rows acknowledged, ${rows.lost} lost ` +
        `(lost_rows ${String(current.lost_rows)}; the model's lost_writes ${String(current.lost_writes)})`,
    )
    return { sim, oldUrl, newUrl, rows, figures, current }
  } finally {
    clock.stop()
  }
}

describe('the write fence against hidden dynos, on the data plane', () => {
  it('follower, fence on: a one-off between two looks and a stopped dyno the list hides are refused; 0 rows lost', async () => {
    const { oldUrl, newUrl, rows, figures, current } = await upgradeWithHiddenWriters('on')
    for (const one of figures) {
      // Refused: the old database is read-only for every session they open; none of their rows is there.
      expect(one.committed).toBe(0)
      expect(one.lost).toBe(0)
    }
    expect(rows.lost).toBe(0)
    expect(rows.missing).toEqual([])
    expect(current.lost_rows).toBe(0)
    // The model's lost_writes (printed above) is not asserted here: it agrees with the rows only with the
    // model's own fence (a fenced database refusing the dynos' commits), which is being written; without it,
    // the model counts the hidden dynos' commits as lost.
    expect(await readOnlyForNewSessions(oldUrl)).toBe(true)
    expect(await readOnlyForNewSessions(newUrl)).toBe(false)
  }, 60_000)

  it('follower, fence off: the same hidden dynos’ rows on the old database are lost', async () => {
    const { oldUrl, rows, figures, current } = await upgradeWithHiddenWriters('off')
    for (const one of figures) {
      expect(one.committed).toBeGreaterThan(0)
      expect(one.lost).toBe(one.committed)
    }
    // Every row lost is one of theirs: the dynos the action stopped and restarted lost none.
    const hidden = figures.map((one) => `acme-web/${one.dyno}#`)
    expect(rows.lost).toBeGreaterThan(0)
    expect(rows.lost).toBeLessThanOrEqual(figures.reduce((sum, one) => sum + one.lost, 0))
    expect(rows.missing.every((row) => hidden.some((prefix) => row.writer.startsWith(prefix)))).toBe(true)
    expect(current.lost_rows).toBe(rows.lost)
    expect(current.lost_writes).toBeGreaterThan(0)
    expect(await readOnlyForNewSessions(oldUrl)).toBe(false)
  }, 60_000)
})

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
