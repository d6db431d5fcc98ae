// Runs a workflow of examples/ as GitHub would for one event, against whatever the environment points the
// action at (the simulator in the tests): its jobs in `needs` order, each job's `if:` and each step's
// `with:` evaluated as GitHub evaluates them, every step that uses this action run by RunnerJob (main, then
// post, with a state file of its own), and job outputs handed to the jobs that need them. A scheduled run
// starts at its cron time on the action's clock. Whatever the examples do not use is refused rather than
// skipped, so that no part of an example goes unexercised unnoticed.
//
// `npx tsx scripts/run-example.ts examples/<file>.yml [--input name=value]... [--schedule '<cron>']...
// [--scenario standard-pg14]` runs it on a fresh simulator: one workflow run per --schedule, in order,
// or one workflow_dispatch run.

import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parse } from 'yaml'
import { ROOT, RunnerJob, type StepRun } from './run-action'
import { condition, interpolate, nextCronTime, type Scope, type Value } from './workflow-expressions'

/** The action under test, however a workflow names its owner and version. */
export const ACTION_USES = /(^|\/)heroku-postgres-upgrade-action@[^/\s]+$/
const CLOCK_PRELOAD = join(ROOT, 'scripts', 'clock-preload.cjs')

interface StepSpec {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: unknown
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}

interface JobSpec {
  needs?: string | string[]
  if?: unknown
  env?: Record<string, unknown>
  outputs?: Record<string, unknown>
  steps?: StepSpec[]
}

interface DispatchInput {
  type?: string
  required?: boolean
  default?: unknown
  options?: unknown[]
}

export interface WorkflowSpec {
  name?: string
  on: Record<string, unknown> | string | string[]
  env?: Record<string, unknown>
  jobs: Record<string, JobSpec>
}

export type WorkflowEvent =
  | { name: 'workflow_dispatch'; inputs?: Record<string, string> }
  | { name: 'schedule'; cron: string }

export interface WorkflowRunOptions {
  event: WorkflowEvent
  /** GITHUB_RUN_ID: what ties a run's jobs together, and nothing else. */
  runId: string
  secrets: Record<string, string>
  vars?: Record<string, string>
  /** Environment of every step (HEROKU_API_URL, GITHUB_REPOSITORY...). */
  env: Record<string, string>
  /**
   * Inputs set on every step of the action after the example's own: only knobs that a faster simulated
   * Heroku needs, such as a shorter poll-interval.
   */
  extraInputs?: Record<string, string>
  /** When a scheduled run starts, in ms since the epoch; the cron time after now by default. */
  startsAt?: number
  stepTimeoutMs?: number
  /** Awaited before each job that runs: what happens on Heroku between jobs (while a reviewer waits). */
  beforeJob?: (job: string) => Promise<void> | void
  onOutput?: (chunk: string, where: { job: string; step: string; stage: 'main' | 'post' }) => void
}

export interface StepResult {
  id?: string
  inputs: Record<string, string>
  main: StepRun
  post: StepRun
}

export interface JobResult {
  id: string
  result: 'success' | 'failure' | 'skipped'
  outputs: Record<string, string>
  steps: StepResult[]
}

export interface WorkflowRun {
  runId: string
  /** In the order they ran (skipped ones included). */
  jobs: JobResult[]
  /** When the run started on the action's clock. */
  startedAt: number
}

export function readWorkflow(path: string): WorkflowSpec {
  const spec = parse(readFileSync(path, 'utf8')) as WorkflowSpec
  if (!spec || typeof spec !== 'object' || !spec.jobs) throw new Error(`${path} has no jobs.`)
  return spec
}

function triggers(spec: WorkflowSpec): Record<string, unknown> {
  if (typeof spec.on === 'string') return { [spec.on]: null }
  if (Array.isArray(spec.on)) return Object.fromEntries(spec.on.map((name) => [name, null]))
  return spec.on
}

/** The `inputs` context of a dispatch: what was given, the rest from the workflow's defaults. */
function dispatchInputs(spec: WorkflowSpec, given: Record<string, string>): Record<string, Value> {
  const trigger = triggers(spec)
  if (!('workflow_dispatch' in trigger)) throw new Error('The workflow has no workflow_dispatch trigger.')
  const declared = ((trigger.workflow_dispatch as { inputs?: Record<string, DispatchInput> } | null)
    ?.inputs ?? {}) as Record<string, DispatchInput>
  const unknown = Object.keys(given).filter((name) => !(name in declared))
  if (unknown.length) throw new Error(`Unexpected inputs provided: ${unknown.join(', ')}.`)
  const inputs: Record<string, Value> = {}
  for (const [name, input] of Object.entries(declared)) {
    const value = given[name] ?? (input.default === undefined ? '' : String(input.default))
    if (input.required && value === '') throw new Error(`Input ${name} is required.`)
    if (input.type === 'choice' && !(input.options ?? []).map(String).includes(value))
      throw new Error(`Input ${name} is "${value}", not one of its options.`)
    inputs[name] = input.type === 'boolean' ? value === 'true' : value
  }
  return inputs
}

/** Jobs in an order GitHub could run them: each after every job it needs. */
export function jobOrder(spec: WorkflowSpec): string[] {
  const needs = (id: string): string[] => {
    const value = spec.jobs[id]?.needs
    return value === undefined ? [] : Array.isArray(value) ? value : [value]
  }
  const order: string[] = []
  const pending = Object.keys(spec.jobs)
  while (pending.length) {
    const index = pending.findIndex((id) => needs(id).every((need) => order.includes(need)))
    if (index < 0) throw new Error(`The jobs ${pending.join(', ')} need each other or a job that is missing.`)
    order.push(...pending.splice(index, 1))
  }
  return order
}

function stringMap(values: Record<string, unknown> | undefined, scope: Scope): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).map(([name, value]) => [name, interpolate(value, scope)]),
  )
}

export async function runWorkflow(spec: WorkflowSpec, options: WorkflowRunOptions): Promise<WorkflowRun> {
  const { event } = options
  const trigger = triggers(spec)
  let inputs: Record<string, Value> = {}
  let startedAt = Date.now()
  const github: Record<string, Value> = {
    event_name: event.name,
    run_id: options.runId,
    run_number: options.runId,
    run_attempt: '1',
    repository: options.env.GITHUB_REPOSITORY ?? '',
    workflow: spec.name ?? '',
    token: options.secrets.GITHUB_TOKEN ?? '',
  }
  if (event.name === 'workflow_dispatch') {
    inputs = dispatchInputs(spec, event.inputs ?? {})
    github.event = { inputs }
  } else {
    const crons = ((trigger.schedule ?? []) as Array<{ cron: string }>).map((entry) => entry.cron)
    if (!crons.includes(event.cron)) throw new Error(`The workflow has no schedule "${event.cron}".`)
    github.event = { schedule: event.cron }
    startedAt = options.startsAt ?? nextCronTime(event.cron, Date.now())
  }
  const clockOffset = startedAt - Date.now()

  const base = (extra: Record<string, Value>, status: Scope['status']): Scope => ({
    contexts: {
      github,
      inputs,
      vars: options.vars ?? {},
      secrets: options.secrets,
      ...extra,
    },
    status,
  })
  const workflowEnv = stringMap(spec.env, base({}, { success: true, failure: false }))

  const results = new Map<string, JobResult>()
  for (const id of jobOrder(spec)) {
    const job = spec.jobs[id] as JobSpec
    const needed = job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]
    const needs: Record<string, Value> = Object.fromEntries(
      needed.map((need) => [
        need,
        { result: results.get(need)?.result ?? 'skipped', outputs: results.get(need)?.outputs ?? {} },
      ]),
    )
    const neededResults = needed.map((need) => results.get(need)?.result)
    const jobStatus = {
      success: neededResults.every((result) => result === 'success'),
      failure: neededResults.some((result) => result === 'failure'),
    }
    if (!condition(job.if, base({ needs }, jobStatus))) {
      results.set(id, { id, result: 'skipped', outputs: {}, steps: [] })
      continue
    }
    await options.beforeJob?.(id)
    const jobEnv = { ...workflowEnv, ...stringMap(job.env, base({ needs, env: workflowEnv }, jobStatus)) }
    const stepsContext: Record<string, Value> = {}
    const ran: Array<{ spec: StepSpec; runner: RunnerJob; inputs: Record<string, string>; main: StepRun }> =
      []
    let failed = false
    for (const [index, step] of (job.steps ?? []).entries()) {
      const label = step.id ?? step.name ?? `step ${index + 1}`
      const stepScope = (env: Record<string, string>): Scope =>
        base({ needs, env, steps: stepsContext }, { success: !failed, failure: failed })
      if (!step.uses || !ACTION_USES.test(step.uses))
        throw new Error(
          `${id} / ${label}: the emulation runs only steps that use heroku-postgres-upgrade-action, not ${step.uses ?? 'a run: script'}.`,
        )
      if (!condition(step.if, stepScope(jobEnv))) {
        if (step.id) stepsContext[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' }
        continue
      }
      const env = { ...jobEnv, ...stringMap(step.env, stepScope(jobEnv)) }
      const stepInputs = { ...stringMap(step.with, stepScope(env)), ...options.extraInputs }
      const runner = new RunnerJob({
        inputs: stepInputs,
        githubToken: options.secrets.GITHUB_TOKEN ?? '',
        env: {
          ...env,
          ...options.env,
          GITHUB_RUN_ID: options.runId,
          GITHUB_RUN_NUMBER: options.runId,
          GITHUB_RUN_ATTEMPT: '1',
          GITHUB_JOB: id,
          GITHUB_EVENT_NAME: event.name,
          GITHUB_WORKFLOW: spec.name ?? '',
          ...(clockOffset > 60_000 || clockOffset < -60_000
            ? {
                NODE_OPTIONS: `--require "${CLOCK_PRELOAD}"`,
                CLOCK_OFFSET_MS: String(clockOffset),
              }
            : {}),
        },
        timeoutMs: options.stepTimeoutMs ?? 120_000,
        onOutput: options.onOutput
          ? (chunk) => options.onOutput?.(chunk, { job: id, step: label, stage: 'main' })
          : undefined,
      })
      const main = await runner.main()
      const outcome = main.exitCode === 0 ? 'success' : 'failure'
      if (step.id) stepsContext[step.id] = { outputs: main.outputs, outcome, conclusion: outcome }
      if (outcome === 'failure') failed = true
      ran.push({ spec: step, runner, inputs: stepInputs, main })
    }
    // Post steps run after every main step, the last step's first, whatever the job's outcome.
    const steps: StepResult[] = []
    for (const entry of [...ran].reverse()) {
      const post = await entry.runner.post()
      if (post.exitCode !== 0) failed = true
      steps.unshift({ id: entry.spec.id, inputs: entry.inputs, main: entry.main, post })
    }
    const outputs = stringMap(
      job.outputs,
      base({ needs, env: jobEnv, steps: stepsContext }, { success: !failed, failure: failed }),
    )
    results.set(id, { id, result: failed ? 'failure' : 'success', outputs, steps })
  }
  return { runId: options.runId, jobs: [...results.values()], startedAt }
}

async function cli(argv: string[]): Promise<number> {
  const { startSimulator } = await import('../simulator/index')
  const file = argv[0]
  if (!file || file.startsWith('--')) {
    console.error(
      "Usage: npx tsx scripts/run-example.ts examples/<file>.yml [--input name=value]... [--schedule '<cron>']... [--scenario standard-pg14]",
    )
    return 2
  }
  const given: Record<string, string> = {}
  const schedules: string[] = []
  let scenario = 'standard-pg14'
  for (let index = 1; index < argv.length; index += 2) {
    const flag = argv[index]
    const value = argv[index + 1] ?? ''
    if (flag === '--input') {
      const [name, ...rest] = value.split('=')
      given[name ?? ''] = rest.join('=')
    } else if (flag === '--schedule') schedules.push(value)
    else if (flag === '--scenario') scenario = value
    else throw new Error(`Unknown argument ${flag}.`)
  }
  const spec = readWorkflow(resolve(file))
  const simulator = await startSimulator({ scenario, speed: 600 })
  try {
    const events: WorkflowEvent[] = schedules.length
      ? schedules.map((cron) => ({ name: 'schedule', cron }))
      : [{ name: 'workflow_dispatch', inputs: given }]
    let ok = true
    let startsAt: number | undefined
    for (const [index, event] of events.entries()) {
      const runId = String(1001 + index)
      console.log(
        `\n── workflow run ${runId} (${event.name === 'schedule' ? `schedule ${event.cron}` : event.name})`,
      )
      const run = await runWorkflow(spec, {
        event,
        runId,
        secrets: { HEROKU_API_KEY: 'sim-heroku-token', GITHUB_TOKEN: 'sim-github-token' },
        env: {
          HEROKU_API_URL: simulator.url,
          HEROKU_DATA_API_URL: simulator.url,
          GITHUB_API_URL: simulator.url,
          GITHUB_REPOSITORY: 'acme/acme-web',
        },
        extraInputs: { 'poll-interval': '200ms' },
        startsAt: event.name === 'schedule' ? nextCronTime(event.cron, startsAt ?? Date.now()) : undefined,
        onOutput: (chunk, where) => {
          for (const line of chunk.split('\n'))
            if (line && !line.startsWith('::add-mask::')) console.log(`  ${where.job} │ ${line}`)
        },
      })
      startsAt = run.startedAt
      for (const job of run.jobs) {
        const statuses = job.steps.map((step) => step.main.outputs.status).filter(Boolean)
        console.log(
          `job ${job.id}: ${job.result}${statuses.length ? ` (status ${statuses.join(', ')})` : ''}`,
        )
        if (job.result === 'failure') ok = false
      }
    }
    const state = (await (await fetch(`${simulator.url}/__simulator/state`)).json()) as {
      apps: Array<{ name: string; database: string }>
      addons: Array<{ name: string; version: string; plan: string }>
      lost_writes: number
    }
    for (const app of state.apps) {
      const database = state.addons.find((addon) => addon.name === app.database)
      console.log(`${app.name}: DATABASE is ${app.database} (PG ${database?.version}, ${database?.plan})`)
    }
    console.log(`Lost writes: ${state.lost_writes}`)
    return ok && state.lost_writes === 0 ? 0 : 1
  } finally {
    await simulator.stop()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exit(2)
    },
  )
}
