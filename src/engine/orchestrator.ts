// Runs a method's steps, records each one in the run record, saves state after every step, logs
// progress a person can follow, and handles failure and cancellation: before promote the app is put
// back exactly as it was (rolled-back); after promote the run fails loudly with next steps.
import * as core from '@actions/core'
import { CancelledError, type Clock } from '../runtime/clock'
import { errorMessage } from '../domain/error-message'
import type { RunContext, StepHandle } from '../steps/context'
import { DataApi, PlatformApi, type HerokuApis } from '../heroku/api'
import { HerokuApiError } from '../heroku/errors'
import { WINDOW_RETRY_POLICY, type RetryPolicy } from '../heroku/retry'
import { createTransport } from '../heroku/transport'
import { isSwitchUnsettled, isWindowOpen, type RunRecord } from '../record/record'
import { type Method, type Phase, type RunStatus } from '../domain/vocabulary'
import type { Settings } from '../inputs/settings'
import { saveRunRecord } from '../record/state'
import { concludeFailure } from './outcome'
import { holdMayGo, readEndState } from './end-state'
import { releaseHold } from '../steps/hold'
import { describeChanges } from '../steps/window'
import { recoverApp, type RecoveryOutcome } from './recovery'

const RECOVERY_RETRY: Partial<RetryPolicy> = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 1000,
  maxTotalMs: 4000,
}

export interface ContextOptions {
  clock: Clock
  signal: AbortSignal
  retryPolicy?: Partial<RetryPolicy>
  save?: (record: RunRecord) => void
}

export function createApis(
  settings: Readonly<Settings>,
  clock: Clock,
  signal: AbortSignal | undefined,
  retryPolicy?: Partial<RetryPolicy>,
  record?: RunRecord,
): HerokuApis {
  const onRetry = (error: HerokuApiError, attempt: number, delayMs: number): void =>
    core.info(`  ${error.message}; retrying in ${Math.round(delayMs / 100) / 10}s (attempt ${attempt + 1})`)
  const policy = (): Partial<RetryPolicy> => retryPolicyFor(record, retryPolicy)
  const common = { token: settings.apiKey, clock, signal, retryPolicy: policy, onRetry }
  return {
    platform: new PlatformApi(createTransport({ ...common, baseUrl: settings.herokuApiUrl })),
    data: new DataApi(createTransport({ ...common, baseUrl: settings.herokuDataApiUrl })),
  }
}

function retryPolicyFor(
  record: RunRecord | undefined,
  override?: Partial<RetryPolicy>,
): Partial<RetryPolicy> {
  return record && isWindowOpen(record) ? { ...WINDOW_RETRY_POLICY, ...override } : { ...override }
}

export function newRunRecord(settings: Readonly<Settings>, method: Method, now: Date): RunRecord {
  return {
    schema: 1,
    app: settings.app,
    method,
    status: 'running',
    startedAt: now.toISOString(),
    targetVersion: settings.version,
    targetPlan: settings.plan,
    steps: [],
    warnings: [],
  }
}

export function createContext(
  settings: Readonly<Settings>,
  record: RunRecord,
  options: ContextOptions,
): RunContext {
  const { clock, signal } = options
  const save = (): void => (options.save ?? saveRunRecord)(record)
  const iso = (): string => new Date(clock.now()).toISOString()
  const context: RunContext = {
    settings,
    record,
    clock,
    signal,
    retryPolicy: options.retryPolicy,
    retryPolicyNow: () => retryPolicyFor(record, options.retryPolicy),
    api: createApis(settings, clock, signal, options.retryPolicy, record),
    recoveryApi: createApis(settings, clock, undefined, {
      ...RECOVERY_RETRY,
      ...pickDelays(options.retryPolicy),
    }),
    log: (line) => core.info(line),
    warn: (line) => {
      record.warnings.push(line)
      core.warning(line)
    },
    save,
    async step(name, title, run, position) {
      const phase = position?.phase ?? phaseNow(record)
      const entry = { name, phase, title, startedAt: iso() } as RunRecord['steps'][number]
      record.steps.push(entry)
      const prefix = position?.number
        ? `[${position.number}${position.total ? `/${position.total}` : ''}]`
        : '[-]'
      const handle: StepHandle = {
        setTitle: (text) => (entry.title = text),
        setDetail: (text) => (entry.detail = text),
      }
      // Each step's own lines fold under its title; the line that says how it ended stays visible.
      core.startGroup(`${prefix} ${title}`)
      save()
      const started = clock.now()
      try {
        const result = await run(handle)
        entry.outcome = 'ok'
        if (entry.title !== title) core.info(`${prefix} ${entry.title}`)
        return result
      } catch (error) {
        entry.outcome = 'failed'
        entry.detail = errorMessage(error)
        throw error
      } finally {
        entry.endedAt = iso()
        core.endGroup()
        core.info(
          `${prefix} ${entry.outcome === 'ok' ? 'done' : 'FAILED'} in ${Math.round((clock.now() - started) / 100) / 10}s${entry.detail ? `: ${entry.detail}` : ''}`,
        )
        save()
      }
    },
  }
  return context
}

/** A step that is not part of a method's list (the rollback) belongs to the phase the run is in. */
function phaseNow(record: RunRecord): Phase {
  if (isWindowOpen(record)) return 'switch'
  return record.windowClosedAt ? 'cleanup' : 'prepare'
}

/** Keeps test-speed delays for recovery calls without inheriting long total budgets. */
function pickDelays(policy: Partial<RetryPolicy> | undefined): Partial<RetryPolicy> {
  if (!policy) return {}
  const picked: Partial<RetryPolicy> = {}
  if (policy.baseDelayMs !== undefined)
    picked.baseDelayMs = Math.min(policy.baseDelayMs, RECOVERY_RETRY.baseDelayMs!)
  if (policy.maxDelayMs !== undefined)
    picked.maxDelayMs = Math.min(policy.maxDelayMs, RECOVERY_RETRY.maxDelayMs!)
  return picked
}

export type MethodBody = (
  context: RunContext,
) => Promise<Extract<RunStatus, 'succeeded' | 'skipped' | 'planned' | 'prepared'>>

/** Runs a method body and turns any failure into a recorded, explained outcome. Never throws. */
export async function runMethod(context: RunContext, body: MethodBody): Promise<RunRecord> {
  const { record } = context
  try {
    record.status = await body(context)
  } catch (error) {
    await handleFailure(context, error)
  } finally {
    record.endedAt = new Date(context.clock.now()).toISOString()
    context.save()
  }
  return record
}

async function handleFailure(context: RunContext, error: unknown): Promise<void> {
  const { record, settings } = context
  const cancelled = error instanceof CancelledError
  const failedStep = record.steps.at(-1)
  record.error = cancelled
    ? `${error.message} during step "${failedStep?.title ?? 'start'}".`
    : errorMessage(error)

  let recovery: RecoveryOutcome | undefined
  let restoreError: string | undefined
  if (isWindowOpen(record) || isSwitchUnsettled(record)) {
    await context
      .step('rollback', 'Putting the app back as it was', async (step) => {
        recovery = await recoverApp(record, {
          platform: context.recoveryApi.platform,
          data: context.recoveryApi.data,
          clock: context.clock,
          log: context.log,
          save: context.save,
          pollIntervalMs: settings.pollIntervalMs,
          upgradeTimeoutMs: settings.upgradeTimeoutMs,
        })
        step.setDetail(
          recovery.leftDown ??
            (recovery.changes.length
              ? `restored ${describeChanges(recovery.changes)}`
              : 'nothing to restore'),
        )
      })
      .catch((restoreFailure: unknown) => {
        restoreError = errorMessage(restoreFailure)
      })
  }
  await readEndState(record, context.recoveryApi, context.clock)
  concludeFailure(record, { recovery, restoreError, cancelled })
  if (holdMayGo(record))
    await releaseHold(context.recoveryApi.platform, record, {
      clock: context.clock,
      save: context.save,
    }).catch((error: unknown) =>
      context.warn(
        `Could not release the hold ${record.hold?.attachment} (${errorMessage(error)}): release it with heroku addons:detach ${record.hold?.attachment} -a ${record.app}.`,
      ),
    )
}
