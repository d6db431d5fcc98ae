// Runs the action in-process as the runner would: INPUT_* variables, real GITHUB_OUTPUT, GITHUB_STATE and
// GITHUB_STEP_SUMMARY files, then the post step with the STATE_* variables the runner derives from them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '@actions/core'
import { vi } from 'vitest'
import type { RunDependencies } from '../../src/engine/publish'
import { runMain } from '../../src/main'
import { runPost } from '../../src/post'
import type { RunRecord } from '../../src/record/record'

export interface StepResult {
  record?: RunRecord
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  log: string
  failed: boolean
}

/** Parses a GITHUB_OUTPUT / GITHUB_STATE file (name<<delimiter ... delimiter). The last value wins. */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!)
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!)
    values[name!] = value.join('\n')
  }
  return values
}

export class ActionJob {
  readonly dir = mkdtempSync(join(tmpdir(), 'pg-upgrade-action-'))
  private state: Record<string, string> = {}

  constructor(
    private readonly inputs: Record<string, string>,
    private readonly env: Record<string, string>,
  ) {}

  async main(dependencies: RunDependencies = {}): Promise<StepResult> {
    return this.step('main', () => runMain(dependencies), {})
  }

  async post(dependencies: RunDependencies = {}): Promise<StepResult> {
    const stateEnv = Object.fromEntries(Object.entries(this.state).map(([k, v]) => [`STATE_${k}`, v]))
    return this.step('post', () => runPost(dependencies), stateEnv)
  }

  /** Takes over the state a main step saved elsewhere (e.g. a killed child process). */
  useState(state: Record<string, string>): void {
    Object.assign(this.state, state)
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }

  private async step(
    name: string,
    run: () => Promise<RunRecord | undefined>,
    extraEnv: Record<string, string>,
  ): Promise<StepResult> {
    const files = {
      GITHUB_OUTPUT: join(this.dir, `${name}-output`),
      GITHUB_STATE: join(this.dir, `${name}-state`),
      GITHUB_STEP_SUMMARY: join(this.dir, `${name}-summary`),
    }
    for (const file of Object.values(files)) writeFileSync(file, '')
    const inputEnv = Object.fromEntries(
      Object.entries(this.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
    )
    const saved = { ...process.env }
    Object.assign(process.env, inputEnv, this.env, files, extraEnv)
    // @actions/core keeps the first GITHUB_STEP_SUMMARY path it saw for the life of the process; a runner
    // starts one process per step, so each emulated step starts from a fresh summary.
    ;(core.summary as unknown as { _filePath?: string })._filePath = undefined
    const chunks: string[] = []
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk))
      return true
    })
    let record: RunRecord | undefined
    try {
      record = await run()
    } finally {
      spy.mockRestore()
      process.env = saved
    }
    const failed = process.exitCode === 1
    process.exitCode = undefined
    const state = parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8'))
    Object.assign(this.state, state)
    return {
      record,
      outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
      state,
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
      log: chunks.join(''),
      failed,
    }
  }
}
