// Undo is real: every step of every method registers, as it changes something, exactly the compensations it
// declares, and the recovery replays nothing else. Checked on a successful run of each method (where every
// step runs), and the journal refuses a registration a step did not declare.
import { describe, expect, it } from 'vitest'
import { METHODS } from '../../src/methods/registry'
import type { Method } from '../../src/domain/vocabulary'
import { Journal } from '../../src/record/journal'
import type { RunRecord } from '../../src/record/record'
import { cleanUpAfterEachTest, FAST, job, simulator } from './simulated'

cleanUpAfterEachTest()

const RUNS: Array<{ method: Method; scenario?: string; inputs: Record<string, string> }> = [
  { method: 'follower', inputs: { 'verify-command': 'true' } },
  { method: 'in-place', scenario: 'standard-pg14', inputs: { method: 'in-place' } },
  {
    method: 'in-place',
    scenario: 'essential-pg15',
    inputs: { app: 'acme-small', confirm: 'acme-small', method: 'in-place' },
  },
  { method: 'copy', scenario: 'standard-pg14', inputs: { method: 'copy' } },
  { method: 'backup-restore', scenario: 'standard-pg14', inputs: { method: 'backup-restore' } },
  {
    method: 'plan-change',
    scenario: 'standard-pg14',
    inputs: { method: 'plan-change', version: '14', plan: 'standard-2' },
  },
  {
    method: 'plan-change',
    scenario: 'essential-pg15',
    inputs: {
      app: 'acme-small',
      confirm: 'acme-small',
      method: 'plan-change',
      version: '15',
      plan: 'essential-1',
    },
  },
]

describe('each step registers exactly the undo it declares', () => {
  it.each(RUNS)('$method ($scenario)', async ({ method, scenario, inputs }) => {
    const sim = await simulator([], 600, scenario)
    const main = await job(sim, inputs).main(FAST)
    expect(main.outputs.status).toBe('succeeded')
    const record = main.record as RunRecord
    expect(record.method).toBe(method)
    const steps = record.steps.filter((step) => step.name !== 'preflight')
    expect(steps.length).toBeGreaterThan(3)
    for (const step of steps) {
      const declared = METHODS[method].declaredUndo(step.name)
      expect(declared, `${method} has a step named ${step.name}`).toBeDefined()
      const registered = [
        ...new Set((record.undo ?? []).filter((e) => e.step === step.name).map((e) => e.kind)),
      ]
      expect({ step: step.name, undo: registered.sort() }).toEqual({
        step: step.name,
        undo: [...(declared ?? [])].sort(),
      })
    }
    // A run that succeeded owes nothing: every compensation was settled by the step that made it final.
    expect((record.undo ?? []).filter((entry) => entry.owed)).toEqual([])
  })
})

describe('the journal', () => {
  const record = (): RunRecord => ({
    schema: 1,
    app: 'acme-web',
    method: 'follower',
    status: 'running',
    startedAt: new Date(0).toISOString(),
    steps: [],
    warnings: [],
  })

  it('refuses an undo the running step does not declare, and saves every fact before it returns', () => {
    const saved: string[] = []
    const journal = new Journal(
      record(),
      (r) => saved.push(JSON.stringify(r)),
      () => 0,
    )
    const entry = journal.stepStarted({ name: 'catch-up', phase: 'prepare', title: 'catching up' }, [])
    expect(() =>
      journal.windowOpened([{ app: 'acme-web', formationBefore: [], maintenanceBefore: false }]),
    ).toThrow(/Step "catch-up" registered the undo "close-window", which it does not declare/)
    journal.stepEnded(entry, 'ok')
    journal.stepStarted({ name: 'window-open', phase: 'switch', title: 'opening' }, ['close-window'])
    const before = saved.length
    journal.windowOpened([{ app: 'acme-web', formationBefore: [], maintenanceBefore: false }])
    expect(saved).toHaveLength(before + 1)
    expect(JSON.parse(saved.at(-1) ?? '{}').undo).toEqual([
      {
        kind: 'close-window',
        apps: [{ app: 'acme-web', formationBefore: [], maintenanceBefore: false }],
        step: 'window-open',
        owed: true,
      },
    ])
    journal.windowClosed()
    expect(JSON.parse(saved.at(-1) ?? '{}').undo[0].owed).toBe(false)
  })

  it('keeps a live switch owed until verify-command passed, and settles it when it did', () => {
    const journal = new Journal(
      record(),
      () => {},
      () => 0,
    )
    journal.stepStarted({ name: 'promote', phase: 'switch', title: 'promoting' }, ['undo-switch'])
    const move = {
      app: 'acme-web',
      name: 'DATABASE',
      namespace: null,
      from: { id: 'a', name: 'old' },
      to: { id: 'b', name: 'new' },
    }
    journal.movesRequested([move], true)
    journal.switchSettled('live', 'every move took effect')
    expect(journal.record.undo?.[0]?.owed).toBe(true)
    journal.verifyEnded({ verdict: 'passed', durationMs: 10 })
    expect(journal.record.undo?.[0]?.owed).toBe(false)
  })
})
