// The parts of the workflow emulation that examples/fleet.yml and the environment secrets lean on, with
// `run:` steps only (no simulator, no action): a matrix runs at most max-parallel legs at once, fail-fast
// cancels the legs not yet started, artifacts carry files between the jobs of a run, an environment's
// secrets reach only the jobs in it, and legs sharing a concurrency group are refused.
import { describe, expect, it } from 'vitest'
import { runWorkflow, type LegResult, type WorkflowSpec } from '../../scripts/run-example'

type Jobs = WorkflowSpec['jobs']

const dispatch = (jobs: Jobs): Promise<Awaited<ReturnType<typeof runWorkflow>>> =>
  runWorkflow(
    { on: { workflow_dispatch: null }, jobs },
    {
      event: { name: 'workflow_dispatch' },
      runId: '9001',
      secrets: { GITHUB_TOKEN: 'repo-token' },
      environmentSecrets: { production: { HEROKU_API_KEY: 'env-key' } },
      env: {},
    },
  )

/** The most legs running at the same moment. */
function mostAtOnce(legs: LegResult[]): number {
  return Math.max(
    ...legs.map(
      (leg) =>
        legs.filter((other) => other.startedAt <= leg.startedAt && other.endedAt > leg.startedAt).length,
    ),
  )
}

describe('a matrix', () => {
  it('runs one leg per value, at most max-parallel at once', async () => {
    const run = await dispatch({
      work: {
        strategy: { 'max-parallel': 2, matrix: { app: ['a', 'b', 'c', 'd'] } },
        steps: [{ run: 'sleep 0.4' }],
      },
    })
    const legs = run.jobs[0]?.legs ?? []
    expect(legs.map((leg) => leg.name)).toEqual(['work (a)', 'work (b)', 'work (c)', 'work (d)'])
    expect(legs.every((leg) => leg.result === 'success')).toBe(true)
    expect(mostAtOnce(legs)).toBe(2)
  })

  it('takes its values from an expression, such as fromJSON of an input', async () => {
    const spec: WorkflowSpec = {
      on: { workflow_dispatch: { inputs: { apps: { type: 'string', default: '["x", "y"]' } } } },
      jobs: {
        work: {
          strategy: { matrix: { app: '${{ fromJSON(inputs.apps) }}' } },
          steps: [{ id: 'echo', run: 'echo "app=${{ matrix.app }}" >> "$GITHUB_OUTPUT"' }],
        },
      },
    }
    const run = await runWorkflow(spec, {
      event: { name: 'workflow_dispatch' },
      runId: '9002',
      secrets: {},
      env: {},
    })
    expect(run.jobs[0]?.legs.map((leg) => leg.steps[0]?.main.outputs.app)).toEqual(['x', 'y'])
  })

  it('cancels the legs not yet started when one fails, unless fail-fast is false', async () => {
    const job = (failFast: boolean): Jobs => ({
      work: {
        strategy: { 'fail-fast': failFast, 'max-parallel': 1, matrix: { app: ['bad', 'b', 'c'] } },
        steps: [{ run: '[ "${{ matrix.app }}" != bad ]' }],
      },
    })
    const fast = await dispatch(job(true))
    expect(fast.jobs[0]?.legs.map((leg) => leg.result)).toEqual(['failure', 'cancelled', 'cancelled'])
    const patient = await dispatch(job(false))
    expect(patient.jobs[0]?.legs.map((leg) => leg.result)).toEqual(['failure', 'success', 'success'])
    expect(patient.jobs[0]?.result).toBe('failure')
  })

  it('refuses legs that share a job-level concurrency group', async () => {
    await expect(
      dispatch({
        work: {
          concurrency: { group: 'one-for-all' },
          strategy: { matrix: { app: ['a', 'b'] } },
          steps: [{ run: 'true' }],
        },
      }),
    ).rejects.toThrow(/share the concurrency group one-for-all/)
  })
})

describe('artifacts', () => {
  const upload = (name: string, text: string) => [
    { run: `printf '%s' "${text}" > file` },
    { uses: 'actions/upload-artifact@v4', with: { name, path: 'file' } },
  ]

  it('carry a file from a leg of one job to the leg of another that names it', async () => {
    const run = await dispatch({
      make: {
        strategy: { matrix: { app: ['a', 'b'] } },
        steps: upload('of-${{ matrix.app }}', '${{ matrix.app }}!'),
      },
      use: {
        needs: 'make',
        strategy: { matrix: { app: ['b', 'a'] } },
        steps: [
          { uses: 'actions/download-artifact@v4', with: { name: 'of-${{ matrix.app }}' } },
          { id: 'read', run: 'echo "text=$(cat file)" >> "$GITHUB_OUTPUT"' },
        ],
      },
    })
    const use = run.jobs.find((job) => job.id === 'use')
    expect(use?.legs.map((leg) => leg.steps[1]?.main.outputs.text)).toEqual(['b!', 'a!'])
  })

  it('fail the step on a second upload of the same name, and on a download of a name never uploaded', async () => {
    const run = await dispatch({
      twice: {
        steps: [
          ...upload('same', '1'),
          { uses: 'actions/upload-artifact@v4', with: { name: 'same', path: 'file' } },
        ],
      },
      missing: { steps: [{ uses: 'actions/download-artifact@v4', with: { name: 'nobody-made-it' } }] },
    })
    const twice = run.jobs.find((job) => job.id === 'twice')
    expect(twice?.steps.map((step) => step.main.exitCode)).toEqual([0, 0, 1])
    expect(twice?.steps[2]?.main.stdout).toMatch(/an artifact with the name same already exists/)
    const missing = run.jobs.find((job) => job.id === 'missing')
    expect(missing?.result).toBe('failure')
    expect(missing?.steps[0]?.main.stdout).toMatch(/Artifact not found for name: nobody-made-it/)
  })
})

describe('secrets', () => {
  it("reach a job with an environment's secrets only when it names the environment", async () => {
    const read = {
      id: 'read',
      env: { KEY: '${{ secrets.HEROKU_API_KEY }}' },
      run: 'echo "key=$KEY" >> "$GITHUB_OUTPUT"',
    }
    const run = await dispatch({
      inside: { environment: 'production', steps: [read] },
      outside: { steps: [read] },
      elsewhere: { environment: { name: 'production-approval' }, steps: [read] },
    })
    const key = (id: string): string | undefined =>
      run.jobs.find((job) => job.id === id)?.steps[0]?.main.outputs.key
    expect(key('inside')).toBe('env-key')
    expect(key('outside')).toBe('')
    expect(key('elsewhere')).toBe('')
  })
})
