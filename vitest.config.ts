import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * The files that take longest, longest first, as measured in CI (`test-results/report.json`, a 2-core
 * machine): each runs its tests one after the other, so one of them started last decides when the suite ends.
 * A clean checkout has no timings of its own (vitest would start the largest files first), hence this list.
 */
const SLOWEST = [
  'action/fault-matrix.test.ts',
  'action/transfers-once.test.ts',
  'action/safety-writers.test.ts',
  'action/one-run-per-database.test.ts',
  'data-plane/faults.test.ts',
  'data-plane/fence.test.ts',
  'action/safety-once.test.ts',
  'conformance/data-maintenances.test.ts',
  'conformance/in-place-upgrade.test.ts',
  'action/safety-switch.test.ts',
  'conformance/heroku-rules.test.ts',
  'conformance/follower-limits.test.ts',
  'data-plane/scenarios.test.ts',
  'action/kept-writers.test.ts',
]

/** The slowest files first, in the order above; the others after them, in vitest's own order. */
class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification): number => {
      const index = SLOWEST.findIndex((name) => file.moduleId.endsWith(`__tests__/${name}`))
      return index === -1 ? SLOWEST.length : index
    }
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b))
  }
}

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // Most tests wait on the simulator's clock rather than compute: more files at once than cores. Measured on
    // 2 cores: with 4 files at once the action's tests left the CPU 62% idle; with 6 the whole suite kept it
    // 99% busy (540 s instead of about 600 s), so 5, to keep some room for the tests that time things.
    maxWorkers: 5,
    sequence: { sequencer: SlowestFirst },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/report.json' },
  },
})
