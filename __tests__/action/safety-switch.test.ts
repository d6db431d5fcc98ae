// Once the promote was sent, nothing reopens the app until the releases say which database its dynos
// use: a cancelled run finishes forward or puts the old database back, and so does the post step of a
// killed one, from the saved state alone.
import { describe, expect, it } from 'vitest'
import {
  appState,
  cleanUpAfterEachTest,
  FAST,
  job,
  requestsOf,
  simulator,
  until,
  type Simulator,
} from './simulated'
import { SpawnedJob } from './process'

const OLD = 'postgresql-curved-12345'
cleanUpAfterEachTest()

const databaseAttachSent = async (sim: Simulator): Promise<boolean> =>
  (await appState(sim)).app.maintenance &&
  (await requestsOf(sim)).filter((r) => r.method === 'POST' && r.path === '/addon-attachments').length >= 2

/** Runs the action with a 120 s release phase and cancels it as soon as DATABASE was attached to the new database. */
async function cancelOnceDatabaseAttachSent(faults: unknown[]) {
  const sim = await simulator(faults, 60, 'standard-pg14', { durations: { release_phase: 120 } })
  const before = (await appState(sim)).app
  const controller = new AbortController()
  const running = job(sim).main({ ...FAST, signal: controller.signal })
  await until('the DATABASE attach', () => databaseAttachSent(sim), 60_000)
  controller.abort()
  return { sim, before, main: await running }
}

describe('cancel or fail once the promote was sent', () => {
  it('a cancellation while the Attach DATABASE release is pending waits for it, then finishes forward', async () => {
    const { sim, before, main } = await cancelOnceDatabaseAttachSent([])

    const { app, current } = await appState(sim)
    expect(current.lost_writes).toBe(0)
    expect(main.record?.switchOutcome).toBe('live')
    expect(main.outputs.status).toBe('succeeded')
    expect(app.serving_database).toBe(app.database)
    expect(app.database).not.toBe(OLD)
    expect(app.formation).toEqual(before.formation)
    expect(app.maintenance).toBe(false)
    expect(main.summary).toMatch(/finished the switch/)
  })

  it('a cancellation with a failing Attach DATABASE release puts the old database back before reopening', async () => {
    const { sim, before, main } = await cancelOnceDatabaseAttachSent([{ type: 'attach-release-fails' }])

    const { app, current } = await appState(sim)
    expect(current.lost_writes).toBe(0)
    expect(main.outputs.status).toBe('rolled-back')
    expect(main.record?.switchOutcome).toBe('reverted')
    expect(app.database).toBe(OLD)
    expect(app.serving_database).toBe(OLD)
    expect(app.formation).toEqual(before.formation)
    expect(app.maintenance).toBe(false)
    expect(main.summary).toContain(
      'the switch did not reach the dynos and was undone before the app reopened',
    )
    expect(main.summary).not.toContain('untouched since the switch')
  })
})

describe('killed once the promote was sent', () => {
  it('the post step, from the saved state alone, waits for the failing release and puts the old database back', async () => {
    const sim = await simulator([{ type: 'attach-release-fails' }], 60, 'standard-pg14', {
      durations: { release_phase: 120 },
    })
    const before = (await appState(sim)).app
    const spawned = new SpawnedJob(sim)
    try {
      const main = spawned.startMain()
      await until('the DATABASE attach', () => databaseAttachSent(sim), 60_000)
      main.child.kill('SIGKILL')
      await main.result()
      expect((await appState(sim)).app.maintenance).toBe(true)

      const post = await spawned.post()
      expect(post.log).toMatch(/putting the old database back/)
      expect(post.outputs.status).toBe('rolled-back')
      expect(post.summary).toContain(
        'the switch did not reach the dynos and was undone before the app reopened',
      )
    } finally {
      spawned.dispose()
    }
    const { app, current } = await appState(sim)
    expect(current.lost_writes).toBe(0)
    expect(app.database).toBe(OLD)
    expect(app.serving_database).toBe(OLD)
    expect(app.formation).toEqual(before.formation)
    expect(app.maintenance).toBe(false)
  }, 90_000)
})
