// After a failure or a cancellation, the headline, the outputs and the next steps say what Heroku reports
// at the end (the database DATABASE names, its version and plan, an upgrade still running), not what the
// run meant to do: an upgrade that happened is never reported as not having happened, and one that Heroku
// refused is never reported as started.
import { describe, expect, it } from 'vitest'
import { SpawnedJob } from './process'
import {
  addFault,
  appAndDatabase,
  cleanUpAfterEachTest,
  FAST,
  job,
  requestsOf,
  simulator,
  until,
  type Simulator,
} from './simulated'

const OLD = 'postgresql-curved-12345'
const IN_PLACE = { method: 'in-place', 'upgrade-timeout': '60s' }
cleanUpAfterEachTest()

const headline = (summary: string): string => summary.split('\n').find((line) => line.startsWith('**')) ?? ''

/** Until Heroku accepted such a request (Heroku may first answer upgrade/run with 400 "not ready"). */
async function untilRequested(sim: Simulator, method: string, path: RegExp): Promise<void> {
  await until(`${method} ${path} accepted`, async () =>
    (await requestsOf(sim)).some((r) => r.method === method && path.test(r.path) && r.status === 200),
  )
}

describe('an in-place upgrade that happened is reported as happened', () => {
  it('cancelled while the upgrade runs: the headline, new-version and next steps name PG 17', async () => {
    const sim = await simulator([], 300)
    const controller = new AbortController()
    const running = job(sim, IN_PLACE).main({ ...FAST, signal: controller.signal })
    await untilRequested(sim, 'POST', /\/upgrade\/run$/)
    controller.abort()
    const main = await running

    const { database, app } = await appAndDatabase(sim)
    expect(database.name).toBe(OLD)
    expect(database.version).toMatch(/^17\./)
    expect(app.maintenance).toBe(false)
    expect(main.outputs.status).toBe('failed')
    expect(main.outputs['new-database']).toBe(OLD)
    expect(main.outputs['new-version']).toBe(database.version)
    expect(headline(main.summary)).toMatch(/^\*\*Failed after the upgrade\*\*: .* is now PG 17\./)
    expect(main.summary).not.toMatch(/the upgrade did not happen|its data was not changed/)
    expect(main.record?.nextSteps?.join('\n')).toMatch(
      /happened: postgresql-curved-12345 is acme-web's DATABASE, now PG 17\./,
    )
  })

  it('killed while the upgrade runs: the post step reports the upgrade Heroku finished', async () => {
    const sim = await simulator([], 300)
    const first = new SpawnedJob(sim, IN_PLACE)
    try {
      const main = first.startMain()
      await untilRequested(sim, 'POST', /\/upgrade\/run$/)
      main.child.kill('SIGKILL')
      await main.result()
      const post = await first.post()

      const { database, app } = await appAndDatabase(sim)
      expect(database.version).toMatch(/^17\./)
      expect(app.maintenance).toBe(false)
      expect(post.outputs.status).toBe('failed')
      expect(post.outputs['new-version']).toBe(database.version)
      expect(headline(post.summary)).toMatch(/Failed after the upgrade|Failed while Heroku carries on/)
      expect(post.summary).not.toMatch(/the upgrade did not happen/)
    } finally {
      first.dispose()
    }
  })
})

describe('a prepared upgrade runs as it was prepared', () => {
  it('prepared for PG 16, then a switch asking for 17: Heroku runs the prepared 16, and the run says so', async () => {
    const sim = await simulator()
    const prepared = await job(sim, { ...IN_PLACE, version: '16', phase: 'prepare' }).main(FAST)
    expect(prepared.outputs.status).toBe('prepared')
    const switched = await job(sim, { ...IN_PLACE, version: '17', phase: 'switch' }).main(FAST)
    const { database, app } = await appAndDatabase(sim)
    expect(database.version).toMatch(/^16\./)
    expect(app.maintenance).toBe(false)
    expect(switched.log).toMatch(/prepared before this run; it runs as it was prepared/)
    expect(switched.outputs.status).toBe('failed')
    expect(switched.outputs['new-version']).toBe(database.version)
    expect(headline(switched.summary)).toMatch(/^\*\*Failed after the upgrade\*\*: .* is now PG 16\./)
    expect(switched.record?.error).toMatch(/reports PG 16\.\d+, expected 17/)
  })
})

describe('an upgrade Heroku refused is not reported as started', () => {
  it('upgrade/run answered 400: rolled back, nothing started, the database unchanged', async () => {
    const sim = await simulator([
      {
        method: 'POST',
        path: '/client/v11/databases/*/upgrade/run',
        status: 400,
        body: { id: 'bad_request', message: 'This database cannot be upgraded to this version.' },
      },
    ])
    const main = await job(sim, IN_PLACE).main(FAST)
    const { database } = await appAndDatabase(sim)
    expect(database.version).toMatch(/^14\./)
    expect(main.outputs.status).toBe('rolled-back')
    expect(main.outputs['new-version']).toBe(database.version)
    const next = main.record?.nextSteps?.join('\n') ?? ''
    expect(next).not.toMatch(/was started|cannot be undone|accepted by Heroku/)
    expect(next).toMatch(/still the primary database/)
    expect(main.record?.irreversible).toBeUndefined()
  })
})

describe('a lost answer is settled by looking', () => {
  it('upgrade/run whose answer was dropped after Heroku acted: waited out, reported as happened', async () => {
    const sim = await simulator()
    await addFault(sim, {
      method: 'POST',
      path: '/client/v11/databases/*/upgrade/run',
      drop_after: true,
    })
    const main = await job(sim, IN_PLACE).main(FAST)
    const { database } = await appAndDatabase(sim)
    expect(database.version).toMatch(/^17\./)
    expect(main.outputs['new-version']).toBe(database.version)
    expect(main.outputs.status).toBe('succeeded')
  })
})
