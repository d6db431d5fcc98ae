// Cancelled or killed at the `lift-fence` step (issue 17): the fence is up, and the run is lifting it from the
// database that will serve (the follower through its hold attachment before parity and the promote; the
// database upgraded in place after the upgrade). Whatever the run then does, the database that serves at the
// end takes writes, or the summary's first line says it does not.
//
// The moment: once the old database is read-only (the `fence` step has read the config vars and raised the
// fence), the next GET /apps/acme-web/config-vars is the `lift-fence` step's, which reads the URL of the
// database it lifts: no step between them reads the config vars (only preflight, the fence, lift-fence,
// parity, transfers, verify-command and the recovery do). A fault holds that one answer back, so the run
// waits inside `lift-fence` for as long as the test needs; the test stops it once the fault was taken and the
// record's last step is `lift-fence`, and checks afterwards that the run stopped there.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { serverVersion } from '../../simulator/data-plane/databases.js'
import { readOnlyForNewSessions } from '../../src/postgres/fence'
import type { RunRecord } from '../../src/record/record'
import { parseFileCommands } from '../action/harness'
import { SpawnedJob } from '../action/process'
import {
  addFault,
  appState,
  cleanUpAfterEachTest,
  FAST,
  job,
  until,
  type Simulator,
} from '../action/simulated'
import { databaseUrl, expectAppAsBefore, expectDynoRowsKept, startOnRealServers } from './real-servers'

cleanUpAfterEachTest()

const CONFIG_VARS = '/apps/acme-web/config-vars'

/** The run record a step saved last to its GITHUB_STATE file (saved at every change of the record). */
function savedRecord(stateFile: string): RunRecord | undefined {
  const saved = parseFileCommands(readFileSync(stateFile, 'utf8')).runRecord
  return saved ? (JSON.parse(saved) as RunRecord) : undefined
}

/** The HTTP faults not taken yet. */
async function faultsLeft(sim: Simulator): Promise<unknown[]> {
  return ((await (await fetch(`${sim.url}/__simulator/faults`)).json()) as { http: unknown[] }).http
}

/**
 * Resolves while the run waits inside `lift-fence`: once the fence is up on `fencedUrl`, the next read of the
 * config vars (lift-fence's, see the top of the file) is answered 20 s late; the fault taken and the record's
 * last step `lift-fence` say that the run is there now.
 */
async function holdAtLiftFence(sim: Simulator, fencedUrl: string, stateFile: string): Promise<void> {
  await until('the fence', () => readOnlyForNewSessions(fencedUrl), 60_000)
  await addFault(sim, { method: 'GET', path: CONFIG_VARS, delay_seconds: 20 })
  await until(
    'lift-fence to read the config vars',
    async () =>
      (await faultsLeft(sim)).length === 0 && savedRecord(stateFile)?.steps.at(-1)?.name === 'lift-fence',
    60_000,
  )
}

/** The summary's first line under its title: the outcome, led by a serving database left read-only. */
function headline(summary: string): string {
  return summary.split('\n').find((line) => line.trim() !== '' && !line.startsWith('#')) ?? ''
}

/**
 * lift-fence started and the run stopped in it: it is the last step of the method in the record (a rollback may
 * follow), and neither parity nor the promote ran.
 */
function expectStoppedInLiftFence(record: RunRecord | undefined): void {
  const names = record?.steps.map((step) => step.name) ?? []
  expect(names).toContain('lift-fence')
  const methodSteps = record?.steps.filter((step) => step.name !== 'rollback') ?? []
  expect(methodSteps.at(-1)).toMatchObject({ name: 'lift-fence' })
  expect(names).not.toContain('parity')
  expect(names).not.toContain('promote')
}

/** The run, in process, held inside lift-fence; the controller cancels it. */
async function runUntilLiftFence(sim: Simulator, oldUrl: string, method: string) {
  const run = job(sim, { method, fence: 'on' })
  const controller = new AbortController()
  const main = run.main({ ...FAST, signal: controller.signal })
  await holdAtLiftFence(sim, oldUrl, join(run.dir, 'main-state'))
  return { main, controller }
}

describe('cancelled or killed at the lift-fence step', () => {
  it('follower, SIGINT at lift-fence: rolled back, the old database serves and takes writes', async () => {
    const { sim, oldUrl } = await startOnRealServers()
    const before = (await appState(sim)).app
    const { main, controller } = await runUntilLiftFence(sim, oldUrl, 'follower')
    controller.abort()
    const result = await main
    expectStoppedInLiftFence(result.record)
    expect(result.record?.steps.find((step) => step.name === 'lift-fence')?.outcome).toBe('failed')
    expect(result.record?.error).toMatch(/cancelled .*during step "Lifting the write fence from /)
    expect(result.outputs.status).toBe('rolled-back')
    expect(databaseUrl(sim)).toBe(oldUrl)
    expect(await readOnlyForNewSessions(oldUrl)).toBe(false)
    expect(result.summary.split('\n').slice(0, 3).join('\n')).not.toMatch(/read-only/)
    expect(headline(result.summary)).toMatch(/^\*\*Rolled back\*\*/)
    await expectAppAsBefore(sim, before)
    await expectDynoRowsKept(sim)
  }, 60_000)

  it('follower, SIGKILL at lift-fence, then the post step: rolled back, the serving database takes writes', async () => {
    const { sim, oldUrl } = await startOnRealServers()
    const before = (await appState(sim)).app
    const first = new SpawnedJob(sim, { method: 'follower', fence: 'on' })
    try {
      const main = first.startMain()
      await holdAtLiftFence(sim, oldUrl, main.files.GITHUB_STATE)
      main.child.kill('SIGKILL')
      const killed = await main.result()
      expect(killed.failed).toBe(true)
      expectStoppedInLiftFence(killed.record)
      expect(killed.record?.status).toBe('running')
      const post = job(sim, { method: 'follower', fence: 'on' })
      post.useState(parseFileCommands(readFileSync(main.files.GITHUB_STATE, 'utf8')))
      const restored = await post.post(FAST)
      expect(restored.outputs.status).toBe('rolled-back')
      expect(restored.log).toContain('The write fence is lifted from postgresql-curved-12345')
      expect(databaseUrl(sim)).toBe(oldUrl)
      // Never silently read-only: the database that serves takes writes, and the first line does not say
      // otherwise (a serving database left read-only would have to lead it).
      expect({
        readOnly: await readOnlyForNewSessions(oldUrl),
        firstLine: headline(restored.summary),
      }).toEqual({ readOnly: false, firstLine: expect.stringMatching(/^\*\*Rolled back\*\*/) })
      expect(headline(restored.summary)).not.toMatch(/read-only/)
      await expectAppAsBefore(sim, before)
      await expectDynoRowsKept(sim)
    } finally {
      first.dispose()
    }
  }, 60_000)

  it('in place, SIGINT at lift-fence after Heroku upgraded: failed after the upgrade, the database takes writes', async () => {
    const { sim, oldUrl } = await startOnRealServers()
    const before = (await appState(sim)).app
    const { main, controller } = await runUntilLiftFence(sim, oldUrl, 'in-place')
    // Heroku has finished: the database is on 17 already, and still read-only (the upgrade kept the fence).
    expect((await serverVersion(oldUrl)).split('.')[0]).toBe('17')
    expect(await readOnlyForNewSessions(oldUrl)).toBe(true)
    controller.abort()
    const result = await main
    expectStoppedInLiftFence(result.record)
    expect(result.record?.steps.find((step) => step.name === 'upgrade')?.outcome).toBe('ok')
    // The upgrade cannot be rolled back: the run says it failed after it, on the upgraded database.
    expect(result.outputs.status).toBe('failed')
    expect(headline(result.summary)).toMatch(
      /^\*\*Failed after the upgrade\*\*: acme-web's DATABASE `postgresql-curved-12345` is now PG 17/,
    )
    expect(headline(result.summary)).not.toMatch(/read-only/)
    expect(databaseUrl(sim)).toBe(oldUrl)
    expect(await readOnlyForNewSessions(oldUrl)).toBe(false)
    expect(result.log).toContain('The write fence is lifted from postgresql-curved-12345')
    await expectAppAsBefore(sim, before)
    await expectDynoRowsKept(sim)
  }, 60_000)
})
