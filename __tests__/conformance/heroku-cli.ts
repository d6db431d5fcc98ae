import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'

// Drives the pinned official Heroku CLI (npm package `heroku`, see package.json) as a child process,
// hermetically: only 127.0.0.1 is reachable, nothing is written outside a throwaway HOME.

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const herokuEntryPoint = join(repoRoot, 'node_modules/heroku/bin/run.js')

// Any request the CLI would send somewhere other than 127.0.0.1 goes to this proxy, where nothing
// listens (port 9, discard), so it fails instead of reaching the internet.
const deadProxy = 'http://127.0.0.1:9'

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

/** A HOME for the CLI where the terms-of-service banner was already seen and nothing real is touched. */
function cliHomeDirectory(): string {
  if (cliHome) return cliHome
  const home = mkdtempSync(join(tmpdir(), 'heroku-cli-home-'))
  const cacheDir = join(home, '.cache', 'heroku')
  mkdirSync(cacheDir, { recursive: true })
  // The init hook prints a terms-of-service warning until this marker exists.
  writeFileSync(join(cacheDir, 'terms-of-service'), '')
  cliHome = home
  return home
}

/** The environment the CLI runs with: the simulator as Heroku, and every phone-home feature off. */
export function herokuEnvironment(
  target: HerokuTarget,
  extra: Record<string, string> = {},
): Record<string, string> {
  const home = cliHomeDirectory()
  const { hostname } = new URL(target.url)
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    HEROKU_HOST: target.url,
    HEROKU_DATA_HOST: hostname,
    HEROKU_API_KEY: target.apiKey,
    // Telemetry (OpenTelemetry, Sentry, Herokulytics), update checks, auto-update, OS notifications.
    DISABLE_TELEMETRY: 'true',
    HEROKU_SKIP_NEW_VERSION_CHECK: 'true',
    HEROKU_DISABLE_AUTOUPDATE: '1',
    HEROKU_NOTIFICATIONS: '0',
    // Plain output: no colours, no spinner redraws.
    NO_COLOR: '1',
    TERM: 'dumb',
    // Errors and warnings are word-wrapped at 80 columns off a TTY; keep each message on one line.
    OCLIF_COLUMNS: '400',
    HTTP_PROXY: deadProxy,
    HTTPS_PROXY: deadProxy,
    NO_PROXY: '127.0.0.1,localhost',
    ...extra,
  }
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
    const child = spawn(process.execPath, ['--no-deprecation', herokuEntryPoint, ...args], {
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
