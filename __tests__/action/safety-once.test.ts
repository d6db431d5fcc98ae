// Nothing made twice and nothing done by two runs at once: lost answers, late answers, concurrent runs;
// and the smaller holes: a follower that never came up, an upgrade already under way.
import { describe, expect, it } from 'vitest'
import {
  appState,
  cleanUpAfterEachTest,
  expectNoSecrets,
  FAST,
  job,
  requestsOf,
  simulator,
  state,
  until,
} from './simulated'
import { SpawnedJob } from './process'

const OLD = 'postgresql-curved-12345'
cleanUpAfterEachTest()

describe('nothing made twice', () => {
  it.each([
    ['whose answer is lost after Heroku made the follower', { drop_after: true }],
    ['answered after 31 s', { delay_seconds: 31 }],
  ])(
    'a create %s is not sent again, and that follower is the one used',
    async (_, fault) => {
      const sim = await simulator([{ method: 'POST', path: '/apps/*/addons', ...fault }])
      const main = await job(sim).main(FAST)
      expect(main.outputs.status).toBe('succeeded')
      const creates = (await requestsOf(sim)).filter(
        (r) => r.method === 'POST' && r.path === '/apps/acme-web/addons',
      )
      expect(creates).toHaveLength(1)
      expect((await state(sim)).addons.filter((a) => a.name !== OLD)).toHaveLength(1)
      expect((await state(sim)).lost_writes).toBe(0)
    },
    90_000,
  )

  it('an upgrade/run answered late inside the window is not sent again (no 400, follower not spent)', async () => {
    const sim = await simulator([
      { method: 'POST', path: '/client/v11/databases/*/upgrade/run', delay_seconds: 31 },
    ])
    const main = await job(sim).main(FAST)
    expect(main.outputs.status).toBe('succeeded')
    const runs = (await requestsOf(sim)).filter((r) => r.path.endsWith('/upgrade/run'))
    expect(runs).toHaveLength(1)
    expect((await state(sim)).lost_writes).toBe(0)
  }, 90_000)
})

describe('two runs at once', () => {
  it('a second run while the first is in its window changes nothing and names the run that holds the database', async () => {
    const sim = await simulator([], 60)
    const before = (await appState(sim)).app
    const first = job(sim, {}, { GITHUB_RUN_ID: '1001' })
    const running = first.main(FAST)
    await until('the window of run 1001', async () => (await appState(sim)).app.maintenance, 60_000)
    const count = (await requestsOf(sim)).length
    const second = new SpawnedJob(sim)
    try {
      const refused = await second.main()
      expect(refused.outputs.status).toBe('failed')
      expect(refused.log).toMatch(
        /held by workflow run 1001 \(https:\/\/github\.com\/acme\/web\/actions\/runs\/1001\).*changes nothing/,
      )
      expect(refused.log).toContain('heroku addons:destroy acme-web-upgrade-1001')
      const mutating = (await requestsOf(sim))
        .slice(count)
        .filter((r) => r.method !== 'GET' && !r.path.includes('/resolve') && !r.path.startsWith('/repos/'))
      // Only the first run's own changes happen meanwhile; the second sends no change of its own.
      expect(mutating.every((r) => !r.path.endsWith('/addons'))).toBe(true)
      const post = await second.post()
      expect(post.log).toContain('nothing to do')
    } finally {
      second.dispose()
    }
    const main = await running
    expect(main.outputs.status).toBe('succeeded')
    const { app, current } = await appState(sim)
    expect(current.lost_writes).toBe(0)
    expect(app.formation).toEqual(before.formation)
    expect(app.maintenance).toBe(false)
    expect(current.addons.filter((a) => a.name !== OLD)).toHaveLength(1)
  }, 90_000)

  it('two runs that both pass preflight: Heroku lets one create the follower, the other changes nothing', async () => {
    // Each preflight's last read (the backup schedules) is held for 5 s, so both runs have seen a free
    // database before either creates, even when the spawned one starts seconds later on a loaded machine.
    const sim = await simulator(
      [{ method: 'GET', path: '/client/v11/databases/*/transfer-schedules', delay_seconds: 5, times: 2 }],
      60,
    )
    const before = (await appState(sim)).app
    const other = new SpawnedJob(sim)
    try {
      const [spawned, inProcess] = await Promise.all([
        other.main(),
        job(sim, {}, { GITHUB_RUN_ID: '2002' }).main(FAST),
      ])
      const statuses = [spawned.outputs.status, inProcess.outputs.status].sort()
      expect(statuses).toEqual(['failed', 'succeeded'])
      const loser = spawned.outputs.status === 'failed' ? spawned : inProcess
      expect(loser.log).toMatch(/\[2\/10\] FAILED .*is held by .*changes nothing/)
      await other.post()
    } finally {
      other.dispose()
    }
    const { app, current } = await appState(sim)
    expect(current.lost_writes).toBe(0)
    expect(app.formation).toEqual(before.formation)
    expect(app.maintenance).toBe(false)
    expect(current.addons.filter((a) => a.name !== OLD)).toHaveLength(1)
  }, 90_000)
})

describe('smaller holes', () => {
  it('a follower that never came up is not offered for resuming', async () => {
    const sim = await simulator([{ type: 'provision-fails' }])
    const main = await job(sim).main(FAST)
    expect(main.outputs.status).toBe('failed')
    expect(main.summary).toMatch(/never came up/)
    expect(main.summary).not.toMatch(/left in place: re-run/)
    expectNoSecrets(main)
  })

  it('sees an upgrade already prepared on the database and refuses before any change', async () => {
    const sim = await simulator()
    const prepared = await fetch(`${sim.url}/client/v11/databases/${OLD}/upgrade/prepare`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sim-heroku-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ version: '17' }),
    })
    expect(prepared.status).toBeLessThan(300)
    const count = (await requestsOf(sim)).length
    const main = await job(sim).main(FAST)
    expect(main.outputs.status).toBe('failed')
    expect(main.record?.error).toMatch(/already has an upgrade under way/)
    const after = (await requestsOf(sim)).slice(count)
    expect(after.filter((r) => r.method !== 'GET' && !r.path.includes('/resolve'))).toEqual([])
  })
})
