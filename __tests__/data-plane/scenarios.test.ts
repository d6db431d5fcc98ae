// Every built-in scenario on the data plane: the action upgrades its first app's DATABASE (method auto, as the
// demo does), and the two oracles agree: the model's lost_writes and the rows missing from the database
// DATABASE_URL names at the end are both 0, on a real server of the target major, with rows acknowledged before
// the action started among those checked, and the web dynos' reads counted.
import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { serverVersion } from '../../simulator/data-plane/databases.js'
import { cleanUpAfterEachTest, FAST, job, simulator, state } from '../action/simulated'

cleanUpAfterEachTest()

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const SCENARIOS = readdirSync(new URL('../../simulator/scenarios/', import.meta.url))
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''))
  .sort()

describe('every built-in scenario on the data plane', () => {
  it('has the six scenarios the README lists', () => {
    expect(SCENARIOS).toEqual([
      'essential-pg15',
      'fleet-standard-pg14',
      'premium-follower-pooler',
      'private-space-migration',
      'scheduler-app',
      'standard-pg14',
    ])
  })

  it.each(SCENARIOS)(
    '%s: upgraded to 17 with no row lost, and the model agrees',
    async (name) => {
      const sim = await simulator([], 600, name, { data_plane: true })
      const plane = sim.dataPlane
      if (!plane) throw new Error('the data plane did not start')
      const app = sim.scenario.apps[0]?.name ?? ''
      const databaseUrl = (): string => sim.world.store.findApp(app)?.config.get('DATABASE_URL') ?? ''
      const before = await serverVersion(databaseUrl())

      const deadline = Date.now() + 10_000
      while ((await plane.rows()).acknowledged < 5 && Date.now() < deadline) await sleep(100)
      const early = (await plane.rows()).acknowledged
      expect(early).toBeGreaterThanOrEqual(5)

      const main = await job(sim, {
        'heroku-api-key': sim.scenario.api_key,
        app,
        confirm: app,
        method: 'auto',
      }).main(FAST)
      expect(main.record?.error).toBeUndefined()
      expect(main.outputs.status).toBe('succeeded')

      const rows = await plane.rows()
      const after = await serverVersion(databaseUrl())
      const current = (await state(sim)) as unknown as Record<string, number>
      console.log(
        `data plane, ${name} (${app}, ${main.outputs.method}): PostgreSQL ${before} → ${after}; ` +
          `${rows.acknowledged} rows acknowledged (${early} before the action), ${rows.lost} lost; ` +
          `model: ${current.lost_writes} lost writes; reads ${current.reads_served} served, ${current.reads_failed} failed`,
      )
      expect(after.split('.')[0]).toBe('17')
      expect(rows.missing).toEqual([])
      expect(rows.lost).toBe(0)
      expect(current.lost_rows).toBe(0)
      expect(current.lost_writes).toBe(0)
      expect(rows.acknowledged).toBeGreaterThan(early)
      expect(current.reads_served).toBeGreaterThan(0)
    },
    90_000,
  )
})
