// The user's own check of the new database, run inside the window before the app reopens: the one moment
// a failed check can still be undone for free (nothing but the release phase has written to the new
// database yet). Runs through bash with @actions/exec; its output goes to the log as it comes.
import * as exec from '@actions/exec'
import * as io from '@actions/io'
import { abandonOnAbort, type Clock } from '../clock'

export type VerifyVerdict = 'passed' | 'failed' | 'timed-out'

export interface VerifyCommandResult {
  verdict: VerifyVerdict
  exitCode?: number
  durationMs: number
}

/** What coreutils' `timeout` exits with when it had to stop the command. */
const TIMED_OUT = 124
/** After the TERM at the deadline, how long the command gets before it is killed. */
const KILL_AFTER_SECONDS = 5

export async function runVerifyCommand(
  command: string,
  env: Record<string, string>,
  timeoutMs: number,
  clock: Clock,
  signal?: AbortSignal,
): Promise<VerifyCommandResult> {
  const started = clock.now()
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000))
  const timeout = await io.which('timeout', false)
  const options = { env: { ...stringEnv(process.env), ...env }, ignoreReturnCode: true }
  const run = timeout
    ? exec.exec(
        timeout,
        ['--kill-after', `${KILL_AFTER_SECONDS}s`, `${seconds}s`, 'bash', '-c', command],
        options,
      )
    : // Without coreutils' timeout (macOS runners) the deadline still holds; the command is left to finish.
      Promise.race([
        exec.exec('bash', ['-c', command], options),
        clock.sleep(timeoutMs).then(() => TIMED_OUT),
      ])
  // A cancelled run stops waiting for the check (which then counts as not passed); the runner ends the process.
  const exitCode = signal ? await abandonOnAbort(run, signal) : await run
  const durationMs = clock.now() - started
  if (exitCode === TIMED_OUT && durationMs >= timeoutMs - 1000) return { verdict: 'timed-out', durationMs }
  return { verdict: exitCode === 0 ? 'passed' : 'failed', exitCode, durationMs }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  )
}
