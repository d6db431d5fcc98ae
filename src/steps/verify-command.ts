// The user's own check of the new database, run inside the window before the app reopens: the one moment
// a failed check can still be undone for free (nothing but the release phase has written to the new
// database yet). Runs through bash in a process group of its own, with only the variables it needs; its
// output goes to the log line by line as it comes. Nothing it starts outlives it: when its main process
// exits, at the deadline, or when the run is cancelled, the whole group is stopped.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { constants } from 'node:os'
import type { Readable } from 'node:stream'
import { cancellationReason, type Clock } from '../runtime/clock'

export type VerifyVerdict = 'passed' | 'failed' | 'timed-out'

export interface VerifyCommandResult {
  verdict: VerifyVerdict
  exitCode?: number
  durationMs: number
}

/** After the TERM to the check's process group, how long its processes get before they are killed. */
const KILL_AFTER_SECONDS = 5
/** How often the group is looked at while it is given time to end after the TERM. */
const GROUP_POLL_MS = 50
/** How long, once the group is gone, the last of its output may take to reach the log. */
const OUTPUT_DRAIN_MS = 1000

/** Variables of the runner's environment that the check is given, by name. */
const PASSED_NAMES = new Set(['PATH', 'HOME', 'CI', 'LANG', 'TZ', 'TMPDIR', 'SHELL', 'USER', 'TERM'])
/** ... and by prefix: the runner's description of the job and the run, and the locale. */
const PASSED_PREFIXES = ['GITHUB_', 'RUNNER_', 'LC_']
/** Files through which a step sets its outputs, its state and the job's environment: this action's own. */
const STEP_FILES = new Set([
  'GITHUB_OUTPUT',
  'GITHUB_STATE',
  'GITHUB_ENV',
  'GITHUB_PATH',
  'GITHUB_STEP_SUMMARY',
])
/** A name that says it holds a credential is never passed, whatever its prefix (GITHUB_TOKEN set on the job). */
const CREDENTIAL = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE_?KEY/i

/**
 * The check's whole environment: `own` (DATABASE_URL, OLD_DATABASE_URL when known, HEROKU_APP), and from the
 * runner's only PATH, HOME, CI, LANG, LC_*, TZ, TMPDIR, SHELL, USER, TERM, GITHUB_* and RUNNER_*. Never an
 * INPUT_* (the action's inputs, the Heroku API key and the GitHub token among them), HEROKU_API_KEY,
 * ACTIONS_* (the runner's tokens), a name that says it holds a credential, or this step's files.
 */
export function checkEnvironment(
  runner: NodeJS.ProcessEnv,
  own: Record<string, string>,
): Record<string, string> {
  const passed: Record<string, string> = {}
  for (const [name, value] of Object.entries(runner)) {
    if (value === undefined || CREDENTIAL.test(name) || STEP_FILES.has(name)) continue
    if (PASSED_NAMES.has(name) || PASSED_PREFIXES.some((prefix) => name.startsWith(prefix)))
      passed[name] = value
  }
  return { ...passed, ...own }
}

type Ending = { kind: 'exited'; code: number } | { kind: 'deadline' } | { kind: 'cancelled' }

export async function runVerifyCommand(
  command: string,
  env: Record<string, string>,
  timeoutMs: number,
  clock: Clock,
  signal?: AbortSignal,
): Promise<VerifyCommandResult> {
  if (signal?.aborted) throw cancellationReason(signal)
  const started = clock.now()
  const child = spawn('bash', ['-c', command], {
    env: checkEnvironment(process.env, env),
    // A group of its own, so that whatever the check starts can be stopped with it.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = [logLines(child.stdout), logLines(child.stderr)]
  const exited = new Promise<Ending>((resolve) => {
    child.once('exit', (code, killedBy) => resolve({ kind: 'exited', code: exitCodeOf(code, killedBy) }))
    child.on('error', (error) => {
      process.stdout.write(`Could not start bash for verify-command: ${error.message}\n`)
      resolve({ kind: 'exited', code: 127 })
    })
  })
  const stopWaiting = new AbortController()
  const deadline = clock.sleep(timeoutMs, stopWaiting.signal).then(
    (): Ending => ({ kind: 'deadline' }),
    // Only once the wait is over: the deadline no longer matters.
    () => new Promise<Ending>(() => {}),
  )
  let onAbort = (): void => {}
  const cancelled = new Promise<Ending>((resolve) => {
    onAbort = () => resolve({ kind: 'cancelled' })
    signal?.addEventListener('abort', onAbort, { once: true })
  })
  let ending: Ending
  try {
    ending = await Promise.race([exited, deadline, cancelled])
  } finally {
    stopWaiting.abort()
    signal?.removeEventListener('abort', onAbort)
  }
  const durationMs = clock.now() - started
  // Whatever ended the wait, nothing the check started is left holding the database URLs.
  if (child.pid !== undefined) await stopGroup(child.pid, clock)
  const drained = new AbortController()
  await Promise.race([
    Promise.all(output.map((lines) => lines.closed)),
    clock.sleep(OUTPUT_DRAIN_MS, drained.signal).catch(() => {}),
  ])
  drained.abort()
  for (const lines of output) lines.stop()
  // A check stopped by a cancelled run counts as not passed; the caller undoes the switch.
  if (ending.kind === 'cancelled') throw cancellationReason(signal as AbortSignal)
  if (ending.kind === 'deadline') return { verdict: 'timed-out', durationMs }
  return { verdict: ending.code === 0 ? 'passed' : 'failed', exitCode: ending.code, durationMs }
}

/** The exit code as a shell reports it: 128 + the signal's number for a process a signal ended. */
function exitCodeOf(code: number | null, killedBy: NodeJS.Signals | null): number {
  if (code !== null) return code
  return 128 + (killedBy ? (constants.signals[killedBy] ?? 0) : 0)
}

/**
 * Sends TERM to the process group, gives it KILL_AFTER_SECONDS to end, then KILL to what is left. Returns as
 * soon as no process of the group runs any more.
 */
async function stopGroup(group: number, clock: Clock): Promise<void> {
  if (!signalGroup(group, 'SIGTERM')) return
  const killAt = clock.now() + KILL_AFTER_SECONDS * 1000
  while (groupRuns(group)) {
    if (clock.now() >= killAt) {
      signalGroup(group, 'SIGKILL')
      return
    }
    await clock.sleep(GROUP_POLL_MS)
  }
}

/** Sends a signal (0: none, only the check) to every process of the group; false when none is left. */
function signalGroup(group: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, name)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Whether a process of the group still runs. On Linux, processes that ended but that their new parent has not
 * reaped yet (a container's init may never do it) hold nothing any more and do not count.
 */
function groupRuns(group: number): boolean {
  if (!signalGroup(group, 0)) return false
  if (process.platform !== 'linux') return true
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return true
  }
  return pids.some((pid) => {
    try {
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return Number(pgrp) === group && state !== 'Z' && state !== 'X'
    } catch {
      return false
    }
  })
}

/**
 * Writes a stream to the log a whole line at a time, so that lines of stdout and stderr do not interleave
 * mid-line. `closed` resolves when the stream ends; `stop` writes what is left and lets go of the stream.
 */
function logLines(stream: Readable): { closed: Promise<void>; stop: () => void } {
  let partial = ''
  let stopped = false
  const flush = (): void => {
    if (partial !== '') process.stdout.write(`${partial}\n`)
    partial = ''
  }
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    if (stopped) return
    const text = partial + chunk
    const end = text.lastIndexOf('\n')
    if (end >= 0) process.stdout.write(text.slice(0, end + 1))
    partial = text.slice(end + 1)
  })
  const closed = new Promise<void>((resolve) => {
    stream.once('close', resolve)
    stream.once('error', () => resolve())
  })
  return {
    closed,
    stop: () => {
      if (stopped) return
      flush()
      stopped = true
      stream.destroy()
    },
  }
}
