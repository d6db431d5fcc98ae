import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { afterAll } from 'vitest'
import { HEROKU_CLI_ENTRY, isolatedCliEnvironment, isolatedCliHome } from '../../scripts/heroku-cli-isolation'

// Drives the pinned official Heroku CLI (npm package `heroku`, see package.json) as a child process,
// hermetically: only 127.0.0.1 is reachable, nothing is written outside a throwaway HOME.

export interface HerokuTarget {
  /** Base URL of the simulator, e.g. http://127.0.0.1:5001 */
  url: string
  apiKey: string
}

export interface RunOptions extends HerokuTarget {
  env?: Record<string, string>
  timeoutMs?: number
}

export interface CliResult {
  stdout: string
  stderr: string
  /** Exit code, or null when the CLI was killed because it exceeded the timeout. */
  code: number | null
  timedOut: boolean
}

let cliHome: string | undefined

// Registered in the suite of each test file that imports this module: its HOME goes with it.
afterAll(() => {
  if (cliHome) rmSync(cliHome, { recursive: true, force: true })
  cliHome = undefined
})

function cliHomeDirectory(): string {
  cliHome ??= isolatedCliHome('heroku-cli-home-')
  return cliHome
}

/** The environment the CLI runs with: the simulator as Heroku, and every phone-home feature off. */
export function herokuEnvironment(
  target: HerokuTarget,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { ...isolatedCliEnvironment(cliHomeDirectory(), target.url, target.apiKey), ...extra }
}

// eslint-disable-next-line no-control-regex
const ansiEscape = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g

export function stripAnsi(text: string): string {
  return text.replace(ansiEscape, '')
}

/** Runs `heroku <args>` against the simulator; never prompts (stdin is closed). */
export function runHeroku(args: string[], options: RunOptions): Promise<CliResult> {
  const timeoutMs = options.timeoutMs ?? 30_000
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--no-deprecation', HEROKU_CLI_ENTRY, ...args], {
      env: herokuEnvironment(options, options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    const startedAt = Date.now()
    child.on('close', (code) => {
      clearTimeout(timer)
      if (process.env.CONFORMANCE_TRACE) {
        process.stderr.write(`[${Date.now() - startedAt} ms] heroku ${args.join(' ')} → ${code}\n`)
      }
      resolvePromise({ stdout: stripAnsi(stdout), stderr: stripAnsi(stderr), code, timedOut })
    })
  })
}

/** Output of a command that must have succeeded; on failure the error shows what the CLI printed. */
export async function runHerokuOk(args: string[], options: RunOptions): Promise<CliResult> {
  const result = await runHeroku(args, options)
  if (result.code !== 0) {
    const why = result.timedOut ? 'timed out' : `exited ${result.code}`
    throw new Error(
      `heroku ${args.join(' ')} ${why}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    )
  }
  return result
}
