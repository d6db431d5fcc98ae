// Runs a workflow of examples/ as GitHub would for one event, against whatever the environment points the
// action at (the simulator in the tests): its jobs in `needs` order, each job's `if:` and each step's
// `with:` evaluated as GitHub evaluates them (scripts/workflow-expressions.ts: GitHub's own libraries), every
// step that uses this action run by RunnerJob (main, then post, with a state file of its own), and job
// outputs handed to the jobs that need them. A `strategy.matrix` runs one leg per combination, at most
// `max-parallel` at once, with `fail-fast`; a job-level `concurrency` group is evaluated per leg. Secrets come
// as GitHub gives them: repository secrets to every job, an environment's secrets only to the jobs that name
// that environment. `run:` steps run in bash as on an Ubuntu runner, and actions/upload-artifact and
// actions/download-artifact keep files between the jobs of one run. A scheduled run starts at its cron time
// on the action's clock. Whatever the examples do not use is refused rather than skipped, so that no part of
// an example goes unexercised unnoticed.
//
// npx tsx scripts/run-example.ts examples/<file>.yml [--input name=value]... [--schedule '<cron>']...
//   [--scenario NAME|FILE]
//
// runs it on a fresh simulator: one workflow run per --schedule, in order, or one workflow_dispatch run.
// --scenario is the simulator's scenario: a built-in name (simulator/scenarios/, standard-pg14 by default;
// fleet-standard-pg14 for examples/fleet.yml, whose three apps are fleet.yml's default `apps`) or the path
// of a scenario JSON file. The HEROKU_API_KEY secret belongs to the `production` environment.

import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isValidCron } from '@actions/workflow-parser/model/converter/cron'
import { parse } from 'yaml'
import { parseFileCommands, ROOT, RunnerJob, type StepRun } from './run-action'
import {
  condition,
  evaluate,
  interpolate,
  nextCronTime,
  type JobStatus,
  type Scope,
  type Value,
} from './workflow-expressions'

/** The action under test, however a workflow names its owner and version. */
export const ACTION_USES = /(^|\/)heroku-postgres-upgrade-action@[^/\s]+$/
const UPLOAD = /^actions\/upload-artifact@v4$/
const DOWNLOAD = /^actions\/download-artifact@v4$/
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

interface StrategySpec {
  matrix?: Record<string, unknown> | string
  'max-parallel'?: unknown
  'fail-fast'?: unknown
}

interface JobSpec {
  needs?: string | string[]
  if?: unknown
  env?: Record<string, unknown>
  outputs?: Record<string, unknown>
  environment?: string | { name: string }
  concurrency?: string | { group: string; 'cancel-in-progress'?: unknown }
  strategy?: StrategySpec
  'timeout-minutes'?: unknown
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
  /** Repository secrets: every job sees them. */
  secrets: Record<string, string>
  /** Environment secrets by environment: only a job that names the environment sees them. */
  environmentSecrets?: Record<string, Record<string, string>>
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
  /** `uses:` of the step; undefined for a `run:` step. */
  uses?: string
  inputs: Record<string, string>
  main: StepRun
  /** The post step of an action that has one (this action); undefined otherwise. */
  post?: StepRun
}

export interface LegResult {
  /** `upgrade (acme-web)` for a matrix leg, as GitHub names it; the job id otherwise. */
  name: string
  matrix: Record<string, Value>
  result: 'success' | 'failure' | 'cancelled'
  /** The job-level concurrency group this leg ran in, when the job has one. */
  concurrencyGroup?: string
  startedAt: number
  endedAt: number
  steps: StepResult[]
  /** The leg's job outputs (a matrix job has none: see runJob). */
  outputs: Record<string, string>
}

export interface JobResult {
  id: string
  result: 'success' | 'failure' | 'skipped'
  outputs: Record<string, string>
  /** The steps of every leg, leg after leg. */
  steps: StepResult[]
  legs: LegResult[]
  environment?: string
  timeoutMinutes?: number
  maxParallel?: number
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
  if (unknown.length)
    throw new Error(
      `Unexpected inputs provided: ${unknown.join(', ')}; the workflow declares: ${Object.keys(declared).join(', ')}.`,
    )
  const inputs: Record<string, Value> = {}
  for (const [name, input] of Object.entries(declared)) {
    const value = given[name] ?? (input.default === undefined ? '' : String(input.default))
    if (input.required && value === '') throw new Error(`Input ${name} is required.`)
    if (input.type === 'choice' && !(input.options ?? []).map(String).includes(value))
      throw new Error(`Input ${name} is "${value}", not one of ${(input.options ?? []).join(', ')}.`)
    inputs[name] = input.type === 'boolean' ? value === 'true' : value
  }
  return inputs
}

/** The crons of `on.schedule`, each checked as GitHub's workflow parser checks it. */
function scheduleCrons(spec: WorkflowSpec): string[] {
  const crons = ((triggers(spec).schedule ?? []) as Array<{ cron: string }>).map((entry) => entry.cron)
  const invalid = crons.filter((cron) => !isValidCron(cron))
  if (invalid.length)
    throw new Error(
      `GitHub refuses the cron ${invalid.join(', ')}: five fields, minute hour day month weekday.`,
    )
  return crons
}

const needsOf = (job: JobSpec | undefined): string[] =>
  job?.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]

/** Jobs in an order GitHub could run them: each after every job it needs. */
export function jobOrder(spec: WorkflowSpec): string[] {
  const order: string[] = []
  const pending = Object.keys(spec.jobs)
  while (pending.length) {
    const index = pending.findIndex((id) => needsOf(spec.jobs[id]).every((need) => order.includes(need)))
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

/** A YAML value that may be a whole `${{ }}` expression (a matrix from fromJSON): its value, not its text. */
function valueOf(value: unknown, scope: Scope): Value {
  if (typeof value !== 'string') return (value ?? null) as Value
  const whole = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(value)
  return whole ? evaluate(whole[1] ?? '', scope) : interpolate(value, scope)
}

/** The legs of a job: one per combination of its matrix, or one with an empty matrix. */
function matrixLegs(job: JobSpec, scope: Scope): Array<Record<string, Value>> {
  const spec = job.strategy?.matrix
  if (spec === undefined) return [{}]
  const matrix = valueOf(spec, scope)
  if (!matrix || typeof matrix !== 'object' || Array.isArray(matrix))
    throw new Error(`strategy.matrix must be a mapping of lists, not ${JSON.stringify(matrix)}.`)
  let legs: Array<Record<string, Value>> = [{}]
  for (const [key, raw] of Object.entries(matrix)) {
    if (key === 'include' || key === 'exclude')
      throw new Error(`The workflow emulation does not run strategy.matrix.${key}.`)
    const values = valueOf(raw, scope)
    if (!Array.isArray(values) || values.length === 0)
      throw new Error(`strategy.matrix.${key} must be a non-empty list, not ${JSON.stringify(values)}.`)
    legs = legs.flatMap((leg) => values.map((value) => ({ ...leg, [key]: value })))
  }
  return legs
}

function positiveInteger(value: unknown, scope: Scope, what: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(valueOf(value, scope))
  if (!Number.isInteger(number) || number < 1)
    throw new Error(`${what} must be a positive integer, not ${String(value)}.`)
  return number
}

function environmentName(job: JobSpec, scope: Scope): string | undefined {
  if (job.environment === undefined) return undefined
  return interpolate(typeof job.environment === 'string' ? job.environment : job.environment.name, scope)
}

interface RunContext {
  spec: WorkflowSpec
  options: WorkflowRunOptions
  github: Record<string, Value>
  inputs: Record<string, Value>
  workflowEnv: Record<string, string>
  clockOffset: number
  /** Artifacts of this run, by name: a directory each. */
  artifacts: string
}

function scopeOf(
  run: RunContext,
  extra: Record<string, Value>,
  status: Scope['status'],
  secrets: Record<string, string>,
): Scope {
  const { github, inputs, options } = run
  return { contexts: { github, inputs, vars: options.vars ?? {}, secrets, ...extra }, status }
}

export async function runWorkflow(spec: WorkflowSpec, options: WorkflowRunOptions): Promise<WorkflowRun> {
  const { event } = options
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
    if (!scheduleCrons(spec).includes(event.cron))
      throw new Error(`The workflow has no schedule "${event.cron}".`)
    github.event = { schedule: event.cron }
    startedAt = options.startsAt ?? nextCronTime(event.cron, Date.now())
  }
  const run: RunContext = {
    spec,
    options,
    github,
    inputs,
    workflowEnv: {},
    clockOffset: startedAt - Date.now(),
    artifacts: mkdtempSync(join(tmpdir(), 'artifacts-')),
  }
  run.workflowEnv = stringMap(spec.env, scopeOf(run, {}, { success: true, failure: false }, options.secrets))
  const results = new Map<string, JobResult>()
  for (const id of jobOrder(spec)) results.set(id, await runJob(run, id, results))
  return { runId: options.runId, jobs: [...results.values()], startedAt }
}

/** The `needs` context of a job and the status its `if:` starts from. */
function neededBy(
  job: JobSpec,
  results: Map<string, JobResult>,
): { needs: Record<string, Value>; status: JobStatus } {
  const needed = needsOf(job).map((need) => ({ need, result: results.get(need) }))
  const needs: Record<string, Value> = Object.fromEntries(
    needed.map(({ need, result }) => [
      need,
      { result: result?.result ?? 'skipped', outputs: result?.outputs ?? {} },
    ]),
  )
  const status = {
    success: needed.every(({ result }) => result?.result === 'success'),
    failure: needed.some(({ result }) => result?.result === 'failure'),
  }
  return { needs, status }
}

/** What GitHub settles before a job's legs start: its environment's secrets, its legs, their limits. */
function jobSettings(
  run: RunContext,
  id: string,
  job: JobSpec,
  scope: (matrix?: Record<string, Value>) => Scope,
) {
  const environment = environmentName(job, scope())
  const legs = matrixLegs(job, scope())
  if (job.outputs && legs.length > 1)
    throw new Error(
      `${id}: GitHub keeps one leg's outputs of a matrix job; the emulation refuses to guess which.`,
    )
  const failFast = job.strategy?.['fail-fast']
  return {
    environment,
    secrets: {
      ...run.options.secrets,
      ...(environment ? run.options.environmentSecrets?.[environment] : {}),
    },
    legs,
    maxParallel: positiveInteger(job.strategy?.['max-parallel'], scope(), `${id}: strategy.max-parallel`),
    timeoutMinutes: positiveInteger(job['timeout-minutes'], scope(), `${id}: timeout-minutes`),
    failFast: failFast === undefined ? true : valueOf(failFast, scope()) !== false,
    groups: concurrencyGroups(job, legs, scope),
  }
}

async function runJob(run: RunContext, id: string, results: Map<string, JobResult>): Promise<JobResult> {
  const job = run.spec.jobs[id] as JobSpec
  const { needs, status } = neededBy(job, results)
  // The contexts of a job's keys: no secrets (GitHub refuses them in a job's if:), the matrix where allowed.
  const scope = (matrix: Record<string, Value> = {}): Scope => scopeOf(run, { needs, matrix }, status, {})
  if (!condition(job.if, scope())) return { id, result: 'skipped', outputs: {}, steps: [], legs: [] }
  const settings = jobSettings(run, id, job, scope)
  const { legs, maxParallel, failFast, secrets } = settings
  await run.options.beforeJob?.(id)
  const ran = await runLegs(id, legs, maxParallel ?? legs.length, failFast, (matrix, index) =>
    runLeg(run, id, job, {
      ...{ needs, secrets, matrix, index, total: legs.length, maxParallel, failFast },
      concurrencyGroup: settings.groups[index],
    }),
  )
  return {
    id,
    result: ran.some((leg) => leg.result !== 'success') ? 'failure' : 'success',
    outputs: legs.length === 1 ? (ran[0]?.outputs ?? {}) : {},
    steps: ran.flatMap((leg) => leg.steps),
    legs: ran,
    environment: settings.environment,
    timeoutMinutes: settings.timeoutMinutes,
    maxParallel,
  }
}

/**
 * The job-level concurrency group of each leg. Legs of one run in the same group would queue on GitHub, and
 * a third would cancel the one pending: the emulation refuses that rather than run them side by side.
 */
function concurrencyGroups(
  job: JobSpec,
  legs: Array<Record<string, Value>>,
  scope: (matrix: Record<string, Value>) => Scope,
): Array<string | undefined> {
  if (!job.concurrency) return legs.map(() => undefined)
  const group = typeof job.concurrency === 'string' ? job.concurrency : job.concurrency.group
  const groups = legs.map((matrix) => interpolate(group, scope(matrix)))
  const shared = groups.filter((name, index) => groups.indexOf(name) !== index)
  if (shared.length)
    throw new Error(`Matrix legs share the concurrency group ${shared.join(', ')}: give each leg its own.`)
  return groups
}

/** `upgrade (acme-web)`, as GitHub names a matrix leg; the job id when there is no matrix. */
const legName = (id: string, matrix: Record<string, Value>): string =>
  Object.keys(matrix).length ? `${id} (${Object.values(matrix).map(String).join(', ')})` : id

/** At most `limit` legs at once; with fail-fast, a failed leg cancels the legs that have not started. */
async function runLegs(
  id: string,
  legs: Array<Record<string, Value>>,
  limit: number,
  failFast: boolean,
  runOne: (matrix: Record<string, Value>, index: number) => Promise<LegResult>,
): Promise<LegResult[]> {
  const results: LegResult[] = new Array<LegResult>(legs.length)
  let next = 0
  let failed = false
  const worker = async (): Promise<void> => {
    for (let index = next++; index < legs.length; index = next++) {
      const matrix = legs[index] as Record<string, Value>
      if (failed && failFast) {
        const now = Date.now()
        results[index] = {
          name: legName(id, matrix),
          matrix,
          result: 'cancelled',
          startedAt: now,
          endedAt: now,
          steps: [],
          outputs: {},
        }
        continue
      }
      results[index] = await runOne(matrix, index)
      if (results[index]?.result !== 'success') failed = true
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, legs.length) }, worker))
  return results
}

interface LegInput {
  needs: Record<string, Value>
  secrets: Record<string, string>
  matrix: Record<string, Value>
  index: number
  total: number
  maxParallel: number | undefined
  failFast: boolean
  concurrencyGroup: string | undefined
}

async function runLeg(run: RunContext, id: string, job: JobSpec, leg: LegInput): Promise<LegResult> {
  const name = legName(id, leg.matrix)
  const strategy = {
    'fail-fast': leg.failFast,
    'job-index': leg.index,
    'job-total': leg.total,
    'max-parallel': leg.maxParallel ?? leg.total,
  }
  const base = { needs: leg.needs, matrix: leg.matrix, strategy }
  const scope = (extra: Record<string, Value>, failed: boolean): Scope =>
    scopeOf(run, { ...base, ...extra }, { success: !failed, failure: failed }, leg.secrets)
  const jobEnv = { ...run.workflowEnv, ...stringMap(job.env, scope({ env: run.workflowEnv }, false)) }
  const workspace = mkdtempSync(join(tmpdir(), 'workspace-'))
  const startedAt = Date.now()
  const steps = await runSteps(run, { id, name, job, jobEnv, workspace, scope })
  const failed = steps.failed
  const outputs = stringMap(job.outputs, scope({ env: jobEnv, steps: steps.context }, failed))
  return {
    name,
    matrix: leg.matrix,
    result: failed ? 'failure' : 'success',
    concurrencyGroup: leg.concurrencyGroup,
    startedAt,
    endedAt: Date.now(),
    steps: steps.results,
    outputs,
  }
}

interface LegSteps {
  id: string
  name: string
  job: JobSpec
  jobEnv: Record<string, string>
  workspace: string
  scope: (extra: Record<string, Value>, failed: boolean) => Scope
}

/** Main steps in order, then the post steps of the actions that ran, last first, whatever the outcome. */
async function runSteps(
  run: RunContext,
  leg: LegSteps,
): Promise<{ results: StepResult[]; context: Record<string, Value>; failed: boolean }> {
  const context: Record<string, Value> = {}
  const ran: Array<{ result: StepResult; runner?: RunnerJob }> = []
  let failed = false
  for (const [index, step] of (leg.job.steps ?? []).entries()) {
    const label = step.id ?? step.name ?? `step ${index + 1}`
    const stepScope = (env: Record<string, string>): Scope => leg.scope({ env, steps: context }, failed)
    if (!condition(step.if, stepScope(leg.jobEnv))) {
      if (step.id) context[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' }
      continue
    }
    const env = { ...leg.jobEnv, ...stringMap(step.env, stepScope(leg.jobEnv)) }
    const inputs = stringMap(step.with, stepScope(env))
    // The runner replaces a script's expressions before the shell sees it.
    const script = step.run === undefined ? undefined : interpolate(step.run, stepScope(env))
    const done = await runStep(run, leg, { ...step, run: script }, label, env, inputs)
    const outcome = done.result.main.exitCode === 0 ? 'success' : 'failure'
    if (step.id) context[step.id] = { outputs: done.result.main.outputs, outcome, conclusion: outcome }
    if (outcome === 'failure') failed = true
    ran.push(done)
  }
  for (const entry of [...ran].reverse()) {
    if (!entry.runner) continue
    entry.result.post = await entry.runner.post()
    if (entry.result.post.exitCode !== 0) failed = true
  }
  return { results: ran.map((entry) => entry.result), context, failed }
}

async function runStep(
  run: RunContext,
  leg: LegSteps,
  step: StepSpec,
  label: string,
  env: Record<string, string>,
  inputs: Record<string, string>,
): Promise<{ result: StepResult; runner?: RunnerJob }> {
  const { options } = run
  const onOutput = options.onOutput
    ? (chunk: string) => options.onOutput?.(chunk, { job: leg.name, step: label, stage: 'main' })
    : undefined
  const result = (main: StepRun): { result: StepResult } => ({
    result: { id: step.id, uses: step.uses, inputs, main },
  })
  if (step.run !== undefined) return result(await runScript(step.run, env, leg.workspace, onOutput))
  if (step.uses && UPLOAD.test(step.uses)) return result(uploadArtifact(run, leg.workspace, inputs, onOutput))
  if (step.uses && DOWNLOAD.test(step.uses))
    return result(downloadArtifact(run, leg.workspace, inputs, onOutput))
  if (!step.uses || !ACTION_USES.test(step.uses))
    throw new Error(
      `${leg.id} / ${label}: the emulation runs this action, run: steps and actions/upload-artifact@v4 and download-artifact@v4, not ${step.uses}.`,
    )
  const actionInputs = { ...inputs, ...options.extraInputs }
  const runner = new RunnerJob({
    inputs: actionInputs,
    githubToken: options.secrets.GITHUB_TOKEN ?? '',
    env: { ...env, ...options.env, ...runnerEnv(run, leg.id) },
    timeoutMs: options.stepTimeoutMs ?? 120_000,
    onOutput,
  })
  const main = await runner.main()
  return { result: { id: step.id, uses: step.uses, inputs: actionInputs, main }, runner }
}

function runnerEnv(run: RunContext, job: string): Record<string, string> {
  const { options, clockOffset } = run
  return {
    GITHUB_RUN_ID: options.runId,
    GITHUB_RUN_NUMBER: options.runId,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: job,
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_WORKFLOW: run.spec.name ?? '',
    ...(clockOffset > 60_000 || clockOffset < -60_000
      ? { NODE_OPTIONS: `--require "${CLOCK_PRELOAD}"`, CLOCK_OFFSET_MS: String(clockOffset) }
      : {}),
  }
}

/** A StepRun for a step the emulation performs itself. */
function stepRun(exitCode: number, stdout: string, outputs: Record<string, string> = {}): StepRun {
  return {
    exitCode,
    signal: null,
    stdout,
    stderr: '',
    outputs,
    state: {},
    files: { output: '', state: '', summary: '' },
    summary: '',
  }
}

/** A `run:` step as an Ubuntu runner runs it: `bash --noprofile --norc -eo pipefail`, GITHUB_OUTPUT read back. */
function runScript(
  script: string,
  env: Record<string, string>,
  workspace: string,
  onOutput?: (chunk: string) => void,
): Promise<StepRun> {
  const output = join(workspace, '.github_output')
  writeFileSync(output, '')
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd: workspace,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: workspace,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        ...env,
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: output,
      },
    })
    let stdout = ''
    const collect = (chunk: string): void => {
      stdout += chunk
      onOutput?.(chunk)
    }
    child.stdout.setEncoding('utf8').on('data', collect)
    child.stderr.setEncoding('utf8').on('data', collect)
    child.on('error', reject)
    child.on('close', (code) =>
      resolvePromise(stepRun(code ?? 1, stdout, parseFileCommands(readFileSync(output, 'utf8')))),
    )
  })
}

const ARTIFACT_INPUTS = ['name', 'path', 'if-no-files-found', 'retention-days', 'overwrite']

/** actions/upload-artifact@v4 for one file or directory: names are unique within a run unless overwrite. */
function uploadArtifact(
  run: RunContext,
  workspace: string,
  inputs: Record<string, string>,
  onOutput?: (chunk: string) => void,
): StepRun {
  const unknown = Object.keys(inputs).filter((name) => !ARTIFACT_INPUTS.includes(name))
  if (unknown.length)
    throw new Error(
      `upload-artifact: the emulation knows ${ARTIFACT_INPUTS.join(', ')}, not ${unknown.join(', ')}.`,
    )
  const name = inputs.name || 'artifact'
  const source = resolve(workspace, inputs.path ?? '')
  const target = join(run.artifacts, name)
  const fail = (message: string): StepRun => {
    onOutput?.(`::error::${message}\n`)
    return stepRun(1, message)
  }
  if (!existsSync(source)) {
    const policy = inputs['if-no-files-found'] || 'warn'
    const message = `No files were found with the provided path: ${inputs.path ?? ''}. No artifacts will be uploaded.`
    if (policy === 'error') return fail(message)
    onOutput?.(`::warning::${message}\n`)
    return stepRun(0, message)
  }
  if (existsSync(target) && inputs.overwrite !== 'true')
    return fail(`Failed to CreateArtifact: an artifact with the name ${name} already exists in this run.`)
  mkdirSync(target, { recursive: true })
  cpSync(source, join(target, basename(source)), { recursive: true })
  onOutput?.(`Artifact ${name} has been successfully uploaded.\n`)
  return stepRun(0, `Artifact ${name} has been successfully uploaded.`)
}

/** actions/download-artifact@v4 of one artifact by name, into `path` (the workspace by default). */
function downloadArtifact(
  run: RunContext,
  workspace: string,
  inputs: Record<string, string>,
  onOutput?: (chunk: string) => void,
): StepRun {
  if (!inputs.name) throw new Error('download-artifact: the emulation downloads one artifact, by name.')
  const source = join(run.artifacts, inputs.name)
  if (!existsSync(source)) {
    const message = `Unable to download artifact(s): Artifact not found for name: ${inputs.name}`
    onOutput?.(`::error::${message}\n`)
    return stepRun(1, message)
  }
  const target = resolve(workspace, inputs.path || '.')
  mkdirSync(target, { recursive: true })
  cpSync(source, target, { recursive: true })
  onOutput?.(`Artifact ${inputs.name} downloaded to ${target}\n`)
  return stepRun(0, `Artifact ${inputs.name} downloaded to ${target}`, { 'download-path': target })
}

const USAGE = `Usage: npx tsx scripts/run-example.ts examples/<file>.yml [options]

Runs the workflow on a fresh Heroku simulator as GitHub would run it, job by job (matrix legs included),
with the bundled action (dist/index.js), then prints each app's DATABASE and the lost writes.

  --input name=value   A workflow_dispatch input (repeatable); the workflow's defaults fill the rest.
  --schedule '<cron>'  One scheduled run at that cron's next time, instead of a dispatch (repeatable: the
                       runs follow one another, each at the cron time after the previous one).
  --scenario NAME|FILE The simulator's scenario: a built-in name (${'standard-pg14'} by default;
                       fleet-standard-pg14 for examples/fleet.yml) or the path of a scenario JSON file.
  --help               Print this text.

The HEROKU_API_KEY secret is an environment secret of \`production\`, as the examples expect.
Example: npx tsx scripts/run-example.ts examples/fleet.yml --scenario fleet-standard-pg14 --input version=17`

interface CliArgs {
  file: string
  given: Record<string, string>
  schedules: string[]
  scenario: string
}

function parseArgs(argv: string[]): CliArgs | undefined {
  const file = argv[0]
  if (!file || file === '--help' || file.startsWith('--')) return undefined
  const args: CliArgs = { file, given: {}, schedules: [], scenario: 'standard-pg14' }
  for (let index = 1; index < argv.length; index += 2) {
    const flag = argv[index]
    const value = argv[index + 1] ?? ''
    if (flag === '--help') return undefined
    if (flag === '--input') {
      const [name, ...rest] = value.split('=')
      args.given[name ?? ''] = rest.join('=')
    } else if (flag === '--schedule') args.schedules.push(value)
    else if (flag === '--scenario') args.scenario = value
    else throw new Error(`Unknown argument ${flag}; allowed: --input, --schedule, --scenario, --help.`)
  }
  return args
}

function printJob(job: JobResult): void {
  for (const leg of job.legs) {
    const statuses = leg.steps.map((step) => step.main.outputs.status).filter(Boolean)
    console.log(`job ${leg.name}: ${leg.result}${statuses.length ? ` (status ${statuses.join(', ')})` : ''}`)
  }
  if (job.legs.length === 0) console.log(`job ${job.id}: ${job.result}`)
}

async function cli(argv: string[]): Promise<number> {
  const args = parseArgs(argv)
  if (!args) {
    console.log(USAGE)
    return argv.includes('--help') ? 0 : 2
  }
  const { startSimulator } = await import('../simulator/index')
  const spec = readWorkflow(resolve(args.file))
  const simulator = await startSimulator({ scenario: args.scenario, speed: 600 })
  try {
    const events: WorkflowEvent[] = args.schedules.length
      ? args.schedules.map((cron) => ({ name: 'schedule', cron }))
      : [{ name: 'workflow_dispatch', inputs: args.given }]
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
        secrets: { GITHUB_TOKEN: 'sim-github-token' },
        environmentSecrets: { production: { HEROKU_API_KEY: 'sim-heroku-token' } },
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
      for (const job of run.jobs) printJob(job)
      if (run.jobs.some((job) => job.result === 'failure')) ok = false
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
