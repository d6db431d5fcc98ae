// The release workflow as data: its tag step is what release.test.ts runs and workflows.test.ts inspects.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

export const ROOT = join(__dirname, '..', '..')
export const WORKFLOWS = join(ROOT, '.github', 'workflows')

export interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
  if?: string
}

export interface Job {
  if?: string
  permissions?: Record<string, string> | string
  'runs-on'?: string
  'timeout-minutes'?: number
  steps?: Step[]
  uses?: string
}

export interface Workflow {
  name?: string
  on: Record<string, unknown>
  permissions?: Record<string, string> | string
  jobs: Record<string, Job>
}

export function readWorkflow(file: string): Workflow {
  return parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow
}

/** The release job of release.yml (its only job). */
export function releaseJob(): Job {
  const jobs = Object.values(readWorkflow('release.yml').jobs)
  if (jobs.length !== 1 || !jobs[0]) throw new Error(`release.yml should have one job, it has ${jobs.length}`)
  return jobs[0]
}

/** The step of the release job that calls scripts/release.mjs. */
export function tagStep(): Step {
  const steps = (releaseJob().steps ?? []).filter((step) => step.run?.includes('scripts/release.mjs'))
  if (steps.length !== 1 || !steps[0]) {
    throw new Error(`release.yml should call scripts/release.mjs in one step, it does in ${steps.length}`)
  }
  return steps[0]
}

/**
 * The tag step's environment as a runner would give it: `${{ … }}` expressions replaced by `values`
 * (expression text → value). An expression not in `values` throws, so a change to the workflow that the
 * tests do not reproduce fails them instead of running with a wrong value.
 */
export function tagStepEnv(values: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, raw] of Object.entries(tagStep().env ?? {})) {
    env[name] = String(raw).replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
      const value = values[expression]
      if (value === undefined)
        throw new Error(`release.yml's tag step uses \${{ ${expression} }}, unknown here`)
      return value
    })
  }
  return env
}
