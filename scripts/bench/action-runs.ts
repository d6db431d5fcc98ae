// Runs of the bundled action (dist/index.js) through the runner emulation of scripts/run-action.ts, and
// its cold start: process start to its first request reaching the simulator.

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startSimulator } from '../../simulator/index'
import { ENTRY, inputEnvironment, ROOT, RunnerJob, type StepRun } from '../run-action'
import { API_KEY, benchScenario, GITHUB_TOKEN } from './scenario'
import { isIntrospection } from './simulator-log'

const NODE_24 = join(ROOT, 'tools', 'node24', 'node_modules', '.bin', 'node')

export interface NodeBinary {
  path: string
  version: string
}

function nodeVersion(path: string): string {
  return spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim()
}

/** The Node action.yml declares (24, from tools/node24) when installed, else the one running the bench. */
export function actionNode(): NodeBinary {
  if (existsSync(NODE_24)) {
    const version = nodeVersion(NODE_24)
    if (version.startsWith('v')) return { path: NODE_24, version }
  }
  return { path: process.execPath, version: process.version }
}

export const currentNode = (): NodeBinary => ({ path: process.execPath, version: process.version })

export interface ActionRun {
  main: StepRun
  post: StepRun
  /** Exit 0 and status `succeeded`. */
  ok: boolean
  why?: string
}

/** Main step then post step of one job against the simulator at `url`, as the runner would. */
export async function runAction(options: {
  url: string
  app: string
  inputs: Record<string, string>
  node: NodeBinary
  timeoutMs: number
  repository?: string
  /** Added to the runner's environment (the bench's scaled clock). */
  env?: Record<string, string>
}): Promise<ActionRun> {
  const job = new RunnerJob({
    githubToken: GITHUB_TOKEN,
    node: options.node.path,
    inputs: { 'heroku-api-key': API_KEY, app: options.app, confirm: options.app, ...options.inputs },
    env: {
      HEROKU_API_URL: options.url,
      HEROKU_DATA_API_URL: options.url,
      GITHUB_API_URL: options.url,
      GITHUB_REPOSITORY: options.repository ?? `acme/${options.app}`,
      ...options.env,
    },
    timeoutMs: options.timeoutMs,
  })
  try {
    const main = await job.main()
    const post = await job.post()
    const status = main.outputs.status ?? '(none)'
    const ok = main.exitCode === 0 && status === 'succeeded' && post.exitCode === 0
    const why = ok
      ? undefined
      : `main step exit ${main.exitCode ?? main.signal}, status ${status}, post step exit ${post.exitCode ?? post.signal}\n${tail(main.stdout + main.stderr)}`
    return { main, post, ok, why }
  } finally {
    rmSync(job.workDir, { recursive: true, force: true })
  }
}

const tail = (text: string, lines = 25): string =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('::add-mask::'))
    .slice(-lines)
    .map((line) => `    | ${line}`)
    .join('\n')

/** A one-line script that sends one request: the floor of spawn → first request on this machine. */
export const BARE_NODE_REQUEST = [
  '-e',
  "require('node:http').get(process.env.HEROKU_API_URL + '/apps/acme-web', (res) => res.resume())",
]

/**
 * Milliseconds from spawning `node dist/index.js` (runner environment, inputs of a real run) to its first
 * request reaching a fresh simulator. The process is killed at that point: nothing more is measured.
 */
export async function coldStartOnce(
  node: NodeBinary,
  inputs: Record<string, string>,
  args: string[] = [ENTRY],
): Promise<number> {
  let resolveFirst: (at: number) => void = () => {}
  const firstRequest = new Promise<number>((resolve) => (resolveFirst = resolve))
  const simulator = await startSimulator({
    scenario: benchScenario(),
    log: (line) => {
      const path = /^[A-Z]+ (\/\S*)/.exec(line)?.[1]
      if (path !== undefined && !isIntrospection(path)) resolveFirst(performance.now())
    },
  })
  const workDir = mkdtempSync(join(tmpdir(), 'bench-cold-'))
  const file = (name: string): string => {
    const path = join(workDir, name)
    writeFileSync(path, '')
    return path
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? workDir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workDir,
    RUNNER_TEMP: workDir,
    GITHUB_OUTPUT: file('github_output'),
    GITHUB_STATE: file('github_state'),
    GITHUB_STEP_SUMMARY: file('step_summary.md'),
    GITHUB_ENV: file('github_env'),
    GITHUB_PATH: file('github_path'),
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '1',
    GITHUB_REPOSITORY: 'acme/acme-web',
    ...inputEnvironment(
      { 'heroku-api-key': API_KEY, app: 'acme-web', confirm: 'acme-web', ...inputs },
      GITHUB_TOKEN,
    ),
    HEROKU_API_URL: simulator.url,
    HEROKU_DATA_API_URL: simulator.url,
    GITHUB_API_URL: simulator.url,
  }
  const startedAt = performance.now()
  const child = spawn(node.path, args, { cwd: workDir, env, stdio: 'ignore' })
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()))
  const failed = new Promise<never>((_, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before any request`)))
  })
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('no request within 15 s')), 15_000).unref(),
  )
  try {
    const at = await Promise.race([firstRequest, failed, timeout])
    return at - startedAt
  } finally {
    child.kill('SIGKILL')
    await closed
    await simulator.stop()
    rmSync(workDir, { recursive: true, force: true })
  }
}
