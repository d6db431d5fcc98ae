// What the data-plane tests of the write fence share: standard-pg14 on real servers with rows written before
// the action starts, the URL DATABASE_URL names, and the oracle that every dyno row acknowledged is on the
// database that serves.
import { expect } from 'vitest'
import { appState, simulator, state, until, type Simulator } from '../action/simulated'

/** Short enough that an upgrade's prepared steps do not dominate a test. */
export const QUICK = { durations: { plan_change_prepare: 300, upgrade_run_ready_after: 60 } }

export function databaseUrl(sim: Simulator): string {
  const url = sim.world.store.findApp('acme-web')?.config.get('DATABASE_URL')
  if (!url) throw new Error('acme-web has no DATABASE_URL')
  return url
}

/** standard-pg14 on the data plane, once its dynos have written 10 rows; `overrides` go into the scenario. */
export async function startOnRealServers(
  speed = 600,
  faults: unknown[] = [],
  overrides: Record<string, unknown> = {},
): Promise<{ sim: Simulator; oldUrl: string }> {
  const sim = await simulator(faults, speed, 'standard-pg14', { data_plane: true, ...QUICK, ...overrides })
  const plane = sim.dataPlane
  if (!plane) throw new Error('the data plane did not start')
  await until('rows on PG 14', async () => (await plane.rows()).acknowledged >= 10, 15_000)
  return { sim, oldUrl: databaseUrl(sim) }
}

/** Every acknowledged row of the dynos is on the database that serves, and the model agrees. */
export async function expectDynoRowsKept(sim: Simulator): Promise<void> {
  const rows = await sim.dataPlane!.rows()
  expect(rows.missing).toEqual([])
  const current = (await state(sim)) as unknown as Record<string, unknown>
  expect(current.lost_rows).toBe(0)
  expect(current.lost_writes).toBe(0)
}

/** The app as it was before the run: maintenance off and the same formation. */
export async function expectAppAsBefore(
  sim: Simulator,
  before: Awaited<ReturnType<typeof appState>>['app'],
): Promise<void> {
  const { app } = await appState(sim)
  expect({ maintenance: app.maintenance, formation: app.formation }).toEqual({
    maintenance: false,
    formation: before.formation,
  })
}
