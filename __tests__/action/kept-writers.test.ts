// Process types that scale-down leaves running are writers until proven otherwise when the app moves to a
// new database: the window waits until their dynos are stopped, or the user accepts losing their writes.
// A lag of 0 read while they boot is no proof that they stopped writing.
import { describe, expect, it } from 'vitest'
import {
  SIM_TOKEN,
  appState,
  cleanUpAfterEachTest,
  FAST,
  job,
  simulator,
  until,
  type Simulator,
} from './simulated'

const OLD = 'postgresql-curved-12345'
cleanUpAfterEachTest()

/** ps:restart, as a person (or a release) would restart every dyno of the app. */
async function restartAllDynos(sim: Simulator): Promise<void> {
  const response = await fetch(`${sim.url}/apps/acme-web/dynos`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${SIM_TOKEN}`, Accept: 'application/vnd.heroku+json; version=3' },
  })
  expect(response.ok).toBe(true)
}

describe('process types kept running through the window', () => {
  it('follower with scale-down web, kept dynos restarted as the window opens: rolled back naming them, no write lost', async () => {
    // A dyno boots for 60 simulated seconds (1 s here): long enough for the lag to drain to 0 meanwhile.
    const sim = await simulator([], 60, 'standard-pg14', {
      durations: { provision: 10, follower_catch_up: 10, upgrade: 60, release_phase: 5, dyno_boot: 60 },
    })
    const before = (await appState(sim)).app
    const running = job(sim, { 'scale-down': 'web', 'lag-timeout': '5s' }).main(FAST)
    await until('the window to open', async () => (await appState(sim)).app.maintenance, 60_000)
    await restartAllDynos(sim)
    const main = await running

    const { app, current } = await appState(sim)
    expect(current.lost_writes).toBe(0)
    expect(main.outputs.status).toBe('rolled-back')
    expect(main.record?.error).toMatch(/acme-web process types left running \(worker=1:\S+, clock=1:\S+\)/)
    expect(main.record?.warnings.join('\n')).toMatch(/the window waits until their dynos are stopped/)
    expect(app.database).toBe(OLD)
    expect(app.formation).toEqual(before.formation)
    expect(app.maintenance).toBe(false)
  }, 90_000)

  it('copy with scale-down web: kept writers are waited for, not copied past', async () => {
    const sim = await simulator([], 600)
    const main = await job(sim, { method: 'copy', 'scale-down': 'web', 'lag-timeout': '3s' }).main(FAST)
    expect(main.outputs.status).toBe('rolled-back')
    expect(main.record?.error).toMatch(/process types left running \(worker=1:\S+, clock=1:\S+\)/)
    expect((await appState(sim)).current.lost_writes).toBe(0)
  })

  it('in-place with scale-down web: kept writers reach the database the app keeps; the upgrade goes on', async () => {
    const sim = await simulator([], 600)
    const main = await job(sim, { method: 'in-place', 'scale-down': 'web' }).main(FAST)
    expect(main.outputs.status).toBe('succeeded')
    expect(main.record?.warnings.join('\n')).toMatch(/which the app keeps/)
    expect((await appState(sim)).current.lost_writes).toBe(0)
  })

  it('accept-lost-writes with kept writers that write nothing: a lag of 0 that held is taken, and the summary says what was accepted', async () => {
    const sim = await simulator([], 600, 'standard-pg14', {
      apps: [
        {
          ...(await import('../../simulator/scenarios/standard-pg14.json')).apps[0],
          writes_per_second: { web: 20, worker: 0, clock: 0 },
        },
      ],
    })
    const main = await job(sim, { 'scale-down': 'web', 'accept-lost-writes': 'true' }).main(FAST)
    expect(main.outputs.status).toBe('succeeded')
    expect(main.summary).toMatch(/accept-lost-writes is true/)
    const detail = main.record?.steps.find((step) => step.name === 'final-catch-up')?.detail
    expect(detail).toMatch(
      /behind by 0 commits for \S+ with acme-web worker\.1 \(up\), acme-web clock\.1 \(up\) running/,
    )
    expect((await appState(sim)).current.lost_writes).toBe(0)
  }, 90_000)
})
