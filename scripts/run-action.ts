// Runs the bundled action the way the GitHub runner does: `node dist/index.js` with INPUT_* variables
// (defaults from action.yml applied), fresh GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files,
// and, for the post step, STATE_* variables read back from GITHUB_STATE.
// Used by `npm run demo` and by the tests of dist/.

import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const ENTRY = join(ROOT, 'dist', 'index.js')

export interface StepRun {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** Parsed GITHUB_OUTPUT. */
  outputs: Record<string, string>
  /** Parsed GITHUB_STATE. */
  state: Record<string, string>
  /** Raw contents of the three files, for scanning. */
  files: { output: string; state: string; summary: string }
  summary: string
}

export interface RunnerOptions {
  /** Inputs by their action.yml name (`heroku-api-key`); missing ones get action.yml defaults. */
  inputs: Record<string, string>
  /** Extra environment (HEROKU_API_URL, GITHUB_API_URL, GITHUB_REPOSITORY...). */
  env?: Record<string, string>
  /** The bundle to run; dist/index.js by default. */
  entry?: string
  /** Node binary; defaults to the one running this code. */
  node?: string
  /** Token that `${{ github.token }}` stands for. */
  githubToken?: string
  /** Working directory holding the GITHUB_* files; a new temp directory by default. */
  workDir?: string
  /** Streams the action's stdout and stderr as they come. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void
  /** Kills the step after this many milliseconds (SIGKILL). */
  timeoutMs?: number
}

/** One job: a main step and its post step share the workspace and the state file. */
export class RunnerJob {
  readonly workDir: string
  private readonly files: { output: string; state: string; summary: string; env: string; path: string }

  constructor(private readonly options: RunnerOptions) {
    this.workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'runner-'))
    mkdirSync(this.workDir, { recursive: true })
    this.files = {
      output: join(this.workDir, 'github_output'),
      state: join(this.workDir, 'github_state'),
      summary: join(this.workDir, 'step_summary.md'),
      env: join(this.workDir, 'github_env'),
      path: join(this.workDir, 'github_path'),
    }
  }

  /** The main step: fresh output and summary files, empty state. */
  main(): Promise<StepRun> {
    for (const file of Object.values(this.files)) writeFileSync(file, '')
    return this.step({})
  }

  /** The post step: STATE_* from what the main step saved; fresh output and summary files. */
  post(): Promise<StepRun> {
    const saved = parseFileCommands(readFileSync(this.files.state, 'utf8'))
    writeFileSync(this.files.output, '')
    writeFileSync(this.files.summary, '')
    writeFileSync(this.files.state, '')
    const stateEnv = Object.fromEntries(
      Object.entries(saved).map(([name, value]) => [`STATE_${name}`, value]),
    )
    return this.step(stateEnv)
  }

  private step(extraEnv: Record<string, string>): Promise<StepRun> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? this.workDir,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: this.workDir,
      RUNNER_TEMP: this.workDir,
      GITHUB_OUTPUT: this.files.output,
      GITHUB_STATE: this.files.state,
      GITHUB_STEP_SUMMARY: this.files.summary,
      GITHUB_ENV: this.files.env,
      GITHUB_PATH: this.files.path,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '1',
      ...inputEnvironment(this.options.inputs, this.options.githubToken ?? ''),
      ...this.options.env,
      ...extraEnv,
    }
    return new Promise((resolvePromise, reject) => {
      const child = spawn(this.options.node ?? process.execPath, [this.options.entry ?? ENTRY], {
        cwd: this.workDir,
        env,
      })
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk
        this.options.onOutput?.(chunk, 'stdout')
      })
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk
        this.options.onOutput?.(chunk, 'stderr')
      })
      const timer = this.options.timeoutMs
        ? setTimeout(() => child.kill('SIGKILL'), this.options.timeoutMs)
        : undefined
      child.on('error', reject)
      child.on('close', (exitCode, signal) => {
        if (timer) clearTimeout(timer)
        const files = {
          output: readFileSync(this.files.output, 'utf8'),
          state: readFileSync(this.files.state, 'utf8'),
          summary: readFileSync(this.files.summary, 'utf8'),
        }
        resolvePromise({
          exitCode,
          signal,
          stdout,
          stderr,
          outputs: parseFileCommands(files.output),
          state: parseFileCommands(files.state),
          files,
          summary: files.summary,
        })
      })
    })
  }
}

/** INPUT_<NAME> as the runner sets them: upper case, spaces to `_`, hyphens kept, defaults applied. */
export function inputEnvironment(
  inputs: Record<string, string>,
  githubToken: string,
): Record<string, string> {
  const env: Record<string, string> = {}
  const merged = { ...actionDefaults(githubToken), ...inputs }
  for (const [name, value] of Object.entries(merged))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  return env
}

/** Default values of action.yml's inputs, with `${{ github.token }}` replaced by the given token. */
export function actionDefaults(githubToken: string): Record<string, string> {
  const metadata = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  const defaults: Record<string, string> = {}
  for (const [name, input] of Object.entries(metadata.inputs))
    if (input.default !== undefined)
      defaults[name] = String(input.default).replace(/\$\{\{\s*github\.token\s*\}\}/g, githubToken)
  return defaults
}

/** `name<<delimiter` blocks as @actions/core writes them, and plain `name=value` lines. */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const heredoc = line.match(/^([^=<]+)<<(.+)$/)
    if (heredoc) {
      const name = heredoc[1] as string
      const delimiter = heredoc[2] as string
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '')
      values[name] = value.join('\n')
      continue
    }
    const pair = line.match(/^([^=]+)=(.*)$/)
    if (pair) values[pair[1] as string] = pair[2] as string
  }
  return values
}
