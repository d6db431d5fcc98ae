// One run per database, whatever the methods: a second run started while the first holds the database
// (here: inside the first one's window) is refused in its preflight, changes nothing, and the app ends
// exactly as it was before the first run, with no write lost.
import { describe, expect, it } from 'vitest'
import { SpawnedJob } from './process'
import { appAndDatabase, cleanUpAfterEachTest, FAST, job, simulator, until } from './simulated'

const OLD = 'postgresql-curved-12345'
cleanUpAfterEachTest()

const METHOD_INPUTS: Record<string, Record<string, string>> = {
  follower: { method: 'follower' },
  'in-place': { method: 'in-place' },
  copy: { method: 'copy' },
  'plan-change': { method: 'plan-change', version: '14', plan: 'standard-2' },
}
const QUICK = { durations: { plan_change_prepare: 60, upgrade_prepare: 60, upgrade_run_ready_after: 10 } }
const METHODS = ['follower', 'in-place', 'copy', 'plan-change']
/** The pairs a hold on the database itself decides (follower and copy pairs: see safety-once.test.ts). */
const PAIRS = METHODS.flatMap((first) => METHODS.map((second) => [first, second] as const)).filter(
  ([first, second]) => [first, second].some((m) => m === 'in-place' || m === 'plan-change'),
)
/** The first run's scale-down meets one 429 (Retry-After 4 s): its window stays open while the second starts. */
const HOLD_WINDOW = {
  method: 'PATCH',
  path: '/apps/acme-web/formation',
  status: 429,
  times: 1,
  retry_after: 4,
}

describe('two runs on one database', () => {
  for (const [first, second] of PAIRS)
    it(
      `${second} started inside the window of ${first}: refused before any change`,
      { timeout: 120_000 },
      async () => {
        const sim = await simulator([HOLD_WINDOW], 300, 'standard-pg14', QUICK)
        const before = (await appAndDatabase(sim)).app
        const running = job(sim, METHOD_INPUTS[first]!, { GITHUB_RUN_ID: '1001' }).main(FAST)
        await until(`the window of ${first}`, async () => (await appAndDatabase(sim)).app.maintenance, 90_000)
        const other = new SpawnedJob(sim, METHOD_INPUTS[second]!, { GITHUB_RUN_ID: '2002' })
        try {
          const refused = await other.main()
          expect(refused.outputs.status, refused.log).toBe('failed')
          expect(refused.record?.steps.map((s) => s.name)).toEqual(['preflight'])
          expect(refused.record?.error).toMatch(
            /is held by|changes nothing|data maintenance open|upgrade under way/,
          )
          const post = await other.post()
          expect(post.log).toContain('nothing to do')
        } finally {
          other.dispose()
        }
        const main = await running
        expect(main.outputs.status, main.log).toBe('succeeded')
        const { app, current } = await appAndDatabase(sim)
        expect(app.formation).toEqual(before.formation)
        expect(app.maintenance).toBe(false)
        expect(current.lost_writes).toBe(0)
        const created = current.addons.filter((a) => a.name !== OLD && !a.name.startsWith('postgresql-'))
        expect(created.length).toBeLessThanOrEqual(first === 'follower' || first === 'copy' ? 1 : 0)
      },
    )
})
