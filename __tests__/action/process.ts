// The action as separate processes, started the way the runner starts dist/index.js: INPUT_* variables,
// fresh GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files per step, and for the post step the STATE_*
// variables the runner derives from what the main step saved. A step can be killed while it runs.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunRecord } from '../../src/record/record'
import { parseFileCommands, type StepResult } from './harness'
import { DEFAULT_INPUTS, type Simulator } from './simulated'

const ROOT = new URL('../..', import.meta.url).pathname
const ENTRY = new URL('../../src/index.ts', import.meta.url).pathname

export interface JobFiles {
  GITHUB_OUTPUT: string
  GITHUB_STATE: string
  GITHUB_STEP_SUMMARY: string
}

export interface SpawnedStep {
  child: ChildProcess
  files: JobFiles
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
  /** What the step left behind, once it exited: outputs, saved state, summary, log. */
  result(): Promise<StepResult>
}

/**
 * One job of a workflow run whose steps are separate processes. Every step gets the same inputs and
 * environment; `post()` hands the post step what the job's main steps saved, as the runner does.
 */
export class SpawnedJob {
  readonly dir = mkdtempSync(join(tmpdir(), 'pg-upgrade-spawned-'))
  private saved: Record<string, string> = {}
  private steps = 0
  private readonly running = new Set<ChildProcess>()
  private readonly env: Record<string, string>

  constructor(sim: Simulator, inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
    this.env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...Object.fromEntries(
        Object.entries({ ...DEFAULT_INPUTS, ...inputs }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
      ),
      HEROKU_API_URL: sim.url,
      HEROKU_DATA_API_URL: sim.url,
      GITHUB_API_URL: sim.url,
      GITHUB_REPOSITORY: 'acme/web',
      ...env,
    }
  }

  /** Starts a main step; the caller may kill it. */
  startMain(): SpawnedStep {
    return this.start('main', {})
  }

  async main(): Promise<StepResult> {
    return this.start('main', {}).result()
  }

  /** The post step, with STATE_* from what the job's steps saved so far. */
  async post(): Promise<StepResult> {
    const stateEnv = Object.fromEntries(Object.entries(this.saved).map(([k, v]) => [`STATE_${k}`, v]))
    return this.start('post', stateEnv).result()
  }

  /** Kills what is still running (only the processes this job started) and removes the job's files. */
  dispose(): void {
    for (const child of this.running) child.kill('SIGKILL')
    this.running.clear()
    rmSync(this.dir, { recursive: true, force: true })
  }

  private start(name: string, extraEnv: Record<string, string>): SpawnedStep {
    const prefix = join(this.dir, `${++this.steps}-${name}`)
    const files: JobFiles = {
      GITHUB_OUTPUT: `${prefix}-output`,
      GITHUB_STATE: `${prefix}-state`,
      GITHUB_STEP_SUMMARY: `${prefix}-summary`,
    }
    for (const file of Object.values(files)) writeFileSync(file, '')
    // node itself (not the tsx wrapper), so that a SIGKILL really kills the action.
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
      cwd: ROOT,
      env: { ...this.env, ...files, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.running.add(child)
    const chunks: string[] = []
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')))
    child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')))
    const exited = new Promise<number | null>((resolve) =>
      child.on('close', (code) => {
        this.running.delete(child)
        resolve(code)
      }),
    )
    const result = async (): Promise<StepResult> => {
      const code = await exited
      const state = parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8'))
      Object.assign(this.saved, state)
      return {
        record: state.runRecord ? (JSON.parse(state.runRecord) as RunRecord) : undefined,
        outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
        state,
        summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
        log: chunks.join(''),
        failed: code !== 0,
      }
    }
    return { child, files, exited, result }
  }
}
