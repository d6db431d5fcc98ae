// A transfer belongs to the run that started it: a re-run never takes the copy a killed attempt started
// while the app was up, and a transfer whose answer came late is found, finished or not, before any
// second send.
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
cleanUpAfterEachTest()

const TRANSFER_POSTS = /\/client\/v11\/databases\/[^/]+\/(transfers|backups|restores)$/

async function transferPosts(sim: Simulator): Promise<string[]> {
  return (await requestsOf(sim))
    .filter((r) => r.method === 'POST' && TRANSFER_POSTS.test(r.path))
    .map((r) => r.path.split('/').at(-1)!)
}

describe('a re-run never takes a transfer it did not start', () => {
  it.each([
    ['copy', '/client/v11/databases/*/transfers'],
    ['backup-restore', '/client/v11/databases/*/backups'],
  ])(
    '%s killed 1 s into its transfer, post step, re-run whose first send fails: its own transfer, no write lost',
    async (method, path) => {
      // 2 GB at 20 MB/s: 100 simulated seconds, 5 s here.
      const sim = await simulator([], 20, 'standard-pg14', {
        durations: { provision: 20, release_phase: 4, promote: 4, dyno_boot: 4, dyno_stop: 4 },
      })
      const inputs = { method, 'upgrade-timeout': '120s', 'lag-timeout': '60s' }
      const first = new SpawnedJob(sim, inputs)
      const rerun = new SpawnedJob(sim, inputs)
      try {
        const main = first.startMain()
        await until(
          'the first attempt to start its transfer',
          async () => (await transferPosts(sim)).length > 0,
          60_000,
        )
        await new Promise((resolve) => setTimeout(resolve, 1000))
        main.child.kill('SIGKILL')
        await main.result()
        const post = await first.post()
        expect(post.outputs.status).toBe('rolled-back')
        expect((await appAndDatabase(sim)).app.maintenance).toBe(false)

        // The re-run's first send meets a 503: its reconciliation must not take the first attempt's.
        await addFault(sim, { method: 'POST', path, status: 503, times: 1 })
        const again = await rerun.main()
        expect(again.outputs.status, again.log).toBe('succeeded')
        const { current, database } = await appAndDatabase(sim)
        expect(database.name).not.toBe(OLD)
        expect(current.lost_writes).toBe(0)
        expect(again.record?.transfers?.length).toBeGreaterThan(0)
        // The summary names the re-run's own transfers, and only those.
        for (const transfer of again.record?.transfers ?? [])
          expect(again.summary).toContain(`heroku pg:backups:info ${transfer.name} --app ${transfer.app}`)
      } finally {
        first.dispose()
        rerun.dispose()
      }
    },
    150_000,
  )
})

describe('one transfer per send, even when its answer comes late', () => {
  it.each([
    ['copy', ['transfers'], '/client/v11/databases/*/transfers'],
    ['backup-restore', ['backups', 'restores'], '/client/v11/databases/*/backups'],
    ['backup-restore', ['backups', 'restores'], '/client/v11/databases/*/restores'],
  ])(
    '%s whose %s answer comes after 31 s (the transfer already finished): not sent again',
    async (method, expected, path) => {
      const sim = await simulator([{ method: 'POST', path, delay_seconds: 31 }])
      const main = await job(sim, { method }).main(FAST)
      expect(main.outputs.status).toBe('succeeded')
      expect(await transferPosts(sim)).toEqual(expected)
      const { current } = await appAndDatabase(sim)
      expect(current.lost_writes).toBe(0)
    },
    90_000,
  )
})
