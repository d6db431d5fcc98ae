// The write fence on real servers (issue 17): a writer Heroku does not list (a laptop with DATABASE_URL) keeps
// writing through the upgrade. With the fence, the database the app leaves refuses its writes once the window
// opens, so none of its acknowledged rows is lost; without, the rows it writes there after the switch are.
// Cancelled or killed once the fence is up, the run lifts it from the database that serves.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { serverVersion, withClient } from '../../simulator/data-plane/databases.js'
import { countLost, longestReadGap, Writer } from '../../simulator/data-plane/writers.js'
import { readOnlyForNewSessions } from '../../src/postgres/fence'
import { parseFileCommands } from '../action/harness'
import { SpawnedJob } from '../action/process'
import { appState, cleanUpAfterEachTest, FAST, job, state, until, type Simulator } from '../action/simulated'
import { databaseUrl, expectAppAsBefore, expectDynoRowsKept, startOnRealServers } from './real-servers'

cleanUpAfterEachTest()

/** A client outside Heroku writing with the URL DATABASE_URL held when it started: no dyno list shows it. */
function laptop(url: string): Promise<Writer> {
  return Writer.start({ name: 'laptop', url, rate: 20 })
}

/** An upgrade that succeeds while a laptop writes with the URL DATABASE_URL held before it. */
async function upgradeWithLaptop(method: string, fence: string) {
  const { sim, oldUrl } = await startOnRealServers()
  const stray = await laptop(oldUrl)
  const main = await job(sim, { method, fence }).main(FAST)
  expect(main.record?.error).toBeUndefined()
  expect(main.outputs.status).toBe('succeeded')
  // The laptop goes on a moment after the app reopened, then stops: what it was told it wrote is checked,
  // once the real servers have done what the model did (a follower's move to 17 ends a little after).
  await sleep(500)
  await sim.dataPlane?.rows()
  return { sim, oldUrl, main, laptop: await stray.stop(1000) }
}

describe('the write fence on the data plane', () => {
  it('follower, fence on: a writer no dyno list shows is refused, not lost; the old database stays read-only', async () => {
    const { sim, oldUrl, main, laptop: summary } = await upgradeWithLaptop('follower', 'on')
    expect(main.log).toContain('Write fence: on, through DATABASE_URL')
    const fenceStep = main.record?.steps.find((step) => step.name === 'fence')
    expect(fenceStep?.detail).toMatch(/read-only for every new session; \d+ sessions? opened before ended/)
    const newUrl = databaseUrl(sim)
    expect(newUrl).not.toBe(oldUrl)
    expect((await serverVersion(newUrl)).split('.')[0]).toBe('17')
    const verdict = await countLost(newUrl, summary.acknowledged)
    console.log(
      `fence on: the laptop had ${summary.acknowledged.length} rows acknowledged, ${verdict.lost} lost, ` +
        `${summary.failed} refused (${summary.lastError})`,
    )
    expect(verdict.lost).toBe(0)
    expect(summary.failed).toBeGreaterThan(0)
    expect(summary.lastError).toMatch(/read-only transaction|terminat/)
    // The database that serves takes writes; the one left behind refuses them, and the issue says how to lift.
    expect(await readOnlyForNewSessions(newUrl)).toBe(false)
    expect(await readOnlyForNewSessions(oldUrl)).toBe(true)
    const issue = (await state(sim)).github_issues.at(-1)
    expect(issue?.body).toContain('is read-only (the write fence')
    await expectDynoRowsKept(sim)
  }, 60_000)

  it('follower, fence off: the same writer’s rows after the switch are lost', async () => {
    const { sim, oldUrl, laptop: summary } = await upgradeWithLaptop('follower', 'off')
    const verdict = await countLost(databaseUrl(sim), summary.acknowledged)
    console.log(
      `fence off: the laptop had ${summary.acknowledged.length} rows acknowledged, ${verdict.lost} lost`,
    )
    expect(verdict.lost).toBeGreaterThan(0)
    expect(await readOnlyForNewSessions(oldUrl)).toBe(false)
  }, 60_000)

  it('in place, fence on: the upgraded database keeps no fence, and the writer lost nothing', async () => {
    const { sim, oldUrl, main, laptop: summary } = await upgradeWithLaptop('in-place', 'on')
    expect(main.record?.steps.map((step) => step.name)).toEqual(
      expect.arrayContaining(['fence', 'upgrade', 'lift-fence']),
    )
    expect(databaseUrl(sim)).toBe(oldUrl)
    expect((await serverVersion(oldUrl)).split('.')[0]).toBe('17')
    expect((await countLost(oldUrl, summary.acknowledged)).lost).toBe(0)
    expect(await readOnlyForNewSessions(oldUrl)).toBe(false)
    await expectDynoRowsKept(sim)
  }, 60_000)

  it.each(['follower', 'copy'])(
    '%s, window read-only: web serves reads through the upgrade, its writes are refused, none is lost',
    async (method) => {
      const { sim, oldUrl } = await startOnRealServers()
      const plane = sim.dataPlane!
      const watching = watchWindow(sim)
      const refusedBefore = await refusedWrites(sim)
      const main = await job(sim, { method, fence: 'on', window: 'read-only' }).main(FAST)
      const seen = await watching.stop()
      expect(main.record?.error).toBeUndefined()
      expect(main.outputs.status).toBe('succeeded')
      expect(main.log).toContain('web kept serving reads (window: read-only)')
      // The window is the worker scaled down; web was never stopped, nor the app put in maintenance.
      expect(seen).toMatchObject({ maintenance: false, webStopped: false })
      const { openedAt = 0, closedAt = 0 } = seen
      expect(closedAt).toBeGreaterThan(openedAt)
      const served = plane.readTimes().filter((at) => at >= openedAt && at <= closedAt).length
      const gapMs = longestReadGap(plane.readTimes(), openedAt, closedAt)
      const refused = (await refusedWrites(sim)) - refusedBefore
      console.log(
        `${method}, window read-only: ${served} reads served in a window of ${closedAt - openedAt} ms (longest gap ${gapMs} ms); ` +
          `${refused} writes refused (the model)`,
      )
      expect(served).toBeGreaterThan(0)
      expect(refused).toBeGreaterThan(0)
      expect(main.summary).toMatch(
        /\*\*Succeeded\*\*: .* with no planned read downtime .* and \d.* of write downtime\./,
      )
      expect(main.summary).toContain('Read-only window (measured write downtime)')
      const newUrl = databaseUrl(sim)
      expect((await serverVersion(newUrl)).split('.')[0]).toBe('17')
      expect(await readOnlyForNewSessions(newUrl)).toBe(false)
      expect(await readOnlyForNewSessions(oldUrl)).toBe(true)
      expect((await appState(sim)).app.formation).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'worker', quantity: 1 })]),
      )
      await expectDynoRowsKept(sim)
    },
    60_000,
  )

  it('parity: a row the new database lacks stops the promote, and the run rolls back', async () => {
    // Maintenance mode is refused once with Retry-After: the run waits a few seconds before its window.
    const { sim, oldUrl } = await startOnRealServers(300, [
      { method: 'PATCH', path: '/apps/acme-web', status: 429, times: 1, retry_after: 4 },
    ])
    const main = job(sim, { method: 'follower', fence: 'on' }).main(FAST)
    // A planted difference: once the follower holds rows, its oldest one goes (the simulator's followers are
    // logical, so their database takes a delete; Heroku's would be missing a row through some fault).
    const followerUrl = (): string | undefined =>
      [...(sim.world.store.findApp('acme-web')?.config.entries() ?? [])].find(([name]) =>
        /^UPGRADE_HOLD_\w+_URL$/.test(name),
      )?.[1]
    let planted = false
    await until(
      'the follower to hold rows',
      async () => {
        const url = followerUrl()
        if (url === undefined) return false
        planted = await withClient(url, async (client) => {
          const { rowCount } = await client.query(
            'DELETE FROM sim_writes WHERE id = (SELECT min(id) FROM sim_writes)',
          )
          return rowCount === 1
        }).catch(() => false)
        return planted
      },
      60_000,
    )
    const result = await main
    expect(result.outputs.status).toBe('rolled-back')
    expect(result.record?.error).toMatch(
      /does not hold what postgresql-curved-12345 holds, so it is not promoted: table public\.sim_writes has (\d+) rows on the new database, \d+ on the old one/,
    )
    expect(result.record?.steps.map((step) => step.name)).not.toContain('promote')
    expect(databaseUrl(sim)).toBe(oldUrl)
    expect(await readOnlyForNewSessions(oldUrl)).toBe(false)
    await expectDynoRowsKept(sim)
  }, 60_000)

  it.each(['maintenance', 'read-only'])(
    'window %s, SIGINT once the fence is up: rolled back, the old database serves and takes writes',
    async (window) => {
      const { sim, oldUrl } = await startOnRealServers(300)
      const before = (await appState(sim)).app
      const watching = watchWindow(sim)
      const run = job(sim, { method: 'follower', fence: 'on', window })
      const controller = new AbortController()
      const main = run.main({ ...FAST, signal: controller.signal })
      await until('the fence', () => readOnlyForNewSessions(oldUrl), 60_000)
      controller.abort()
      const result = await main
      const seen = await watching.stop()
      expect(result.outputs.status).toBe('rolled-back')
      // A read-only window never stops web nor puts up the maintenance page, even while it rolls back.
      if (window === 'read-only') expect(seen).toMatchObject({ maintenance: false, webStopped: false })
      expect(databaseUrl(sim)).toBe(oldUrl)
      expect(await readOnlyForNewSessions(oldUrl)).toBe(false)
      expect(result.summary.split('\n').slice(0, 3).join('\n')).not.toMatch(/read-only/)
      await expectAppAsBefore(sim, before)
      await expectDynoRowsKept(sim)
    },
    60_000,
  )

  it('SIGKILL once the fence is up, then the post step: the fence is lifted from the database that serves', async () => {
    const { sim, oldUrl } = await startOnRealServers(300)
    const first = new SpawnedJob(sim, { method: 'follower', fence: 'on' })
    try {
      const main = first.startMain()
      await until('the fence', () => readOnlyForNewSessions(oldUrl), 60_000)
      main.child.kill('SIGKILL')
      expect((await main.result()).failed).toBe(true)
      expect(await readOnlyForNewSessions(oldUrl)).toBe(true)
      // Meanwhile, a run that looks at the database is told it is read-only.
      const look = await job(sim, { method: 'follower', phase: 'plan' }).main(FAST)
      expect(look.log).toContain('postgresql-curved-12345 is read-only already')
      const post = job(sim, { method: 'follower', fence: 'on' })
      post.useState(parseFileCommands(readFileSync(main.files.GITHUB_STATE, 'utf8')))
      const restored = await post.post(FAST)
      expect(restored.outputs.status).toBe('rolled-back')
      expect(restored.log).toContain('The write fence is lifted from')
      expect(databaseUrl(sim)).toBe(oldUrl)
      expect(await readOnlyForNewSessions(oldUrl)).toBe(false)
      expect((await appState(sim)).app.maintenance).toBe(false)
      await expectDynoRowsKept(sim)
    } finally {
      first.dispose()
    }
  }, 60_000)
})

/** The commits the model's databases refused so far (a fenced database refuses the dynos' writes). */
async function refusedWrites(sim: Simulator): Promise<number> {
  return ((await state(sim)) as unknown as { refused_writes: number }).refused_writes
}

interface WindowSeen {
  openedAt?: number
  closedAt?: number
  maintenance: boolean
  webStopped: boolean
}

/**
 * Watches acme-web every 25 ms while the action runs: when (Date.now()) its worker was scaled down and when
 * it was back, whether maintenance was ever on, and whether web was ever scaled down.
 */
function watchWindow(sim: Simulator): { stop(): Promise<WindowSeen> } {
  const seen: WindowSeen = { maintenance: false, webStopped: false }
  let running = true
  const loop = (async () => {
    while (running) {
      const { app } = await appState(sim)
      const quantity = (type: string) => app.formation.find((entry) => entry.type === type)?.quantity ?? 0
      const now = Date.now()
      if (quantity('worker') === 0) seen.openedAt ??= now
      else if (seen.openedAt !== undefined) seen.closedAt ??= now
      if (app.maintenance) seen.maintenance = true
      if (quantity('web') === 0) seen.webStopped = true
      await sleep(25)
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return seen
    },
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
