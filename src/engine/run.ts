// One run of the main step: the journal over a fresh record, what the steps get, and the failure handling
// around the method. Before the point of no return a failure puts the app back exactly as it was
// (rolled-back); after it the run fails loudly with next steps. It never throws.
import * as core from '@actions/core'
import { errorMessage } from '../domain/error-message'
import type { Method, RunStatus } from '../domain/vocabulary'
import type { HerokuApis } from '../heroku/api'
import type { RetryPolicy } from '../heroku/retry'
import { resolvePolicy } from '../inputs/policy'
import type { Settings } from '../inputs/settings'
import { Journal } from '../record/journal'
import type { RunRecord } from '../record/record'
import { saveRunRecord } from '../record/state'
import { CancelledError, type Clock } from '../runtime/clock'
import type { StepDeps } from '../steps/deps'
import { describeChanges } from '../steps/window'
import { createApis, createRecoveryApis, retryPolicyFor } from './apis'
import { readEndState } from './end-state'
import { concludeFailure } from './outcome'
import { recoverApp, recoveryOwed, releaseOwedHold, type RecoveryOutcome } from './recovery'
import { runStep } from './step-runner'

export interface RunOptions {
  clock: Clock
  signal: AbortSignal
  retryPolicy?: Partial<RetryPolicy>
  save?: (record: RunRecord) => void
}

/** What the engine holds for one run. The steps see only `deps`. */
export interface Run {
  settings: Readonly<Settings>
  journal: Journal
  deps: StepDeps
  /** Calls that put the app back after a failure or cancellation: short retries, never cancelled. */
  recoveryApi: HerokuApis
}

export type EndStatus = Extract<RunStatus, 'succeeded' | 'skipped' | 'planned' | 'prepared'>

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

export function startRun(settings: Readonly<Settings>, record: RunRecord, options: RunOptions): Run {
  const { clock, signal, retryPolicy } = options
  const journal = new Journal(record, options.save ?? saveRunRecord, () => clock.now())
  const deps: StepDeps = {
    api: createApis(settings, clock, signal, retryPolicy, record),
    clock,
    signal,
    journal,
    poll: resolvePolicy(settings).poll,
    log: (line) => core.info(line),
    warn: (line) => {
      journal.warned(line)
      core.warning(line)
    },
    retryPolicyNow: () => retryPolicyFor(record, retryPolicy),
  }
  return { settings, journal, deps, recoveryApi: createRecoveryApis(settings, clock, retryPolicy) }
}

/** Runs the method body and turns any failure into a journaled, explained outcome. Never throws. */
export async function runMethod(run: Run, body: (run: Run) => Promise<EndStatus>): Promise<RunRecord> {
  const { journal } = run
  try {
    journal.ended(await body(run))
  } catch (error) {
    await handleFailure(run, error)
    journal.ended()
  }
  return journal.record
}

async function handleFailure(run: Run, error: unknown): Promise<void> {
  const { journal, deps, recoveryApi, settings } = run
  const cancelled = error instanceof CancelledError
  const failedStep = journal.record.steps.at(-1)
  journal.failedWith(
    cancelled ? `${error.message} during step "${failedStep?.title ?? 'start'}".` : errorMessage(error),
  )
  let recovery: RecoveryOutcome | undefined
  let restoreError: string | undefined
  if (recoveryOwed(journal)) {
    await runStep(
      journal,
      deps.clock,
      { name: 'rollback', title: 'Putting the app back as it was' },
      async (step) => {
        recovery = await recoverApp(journal, {
          platform: recoveryApi.platform,
          data: recoveryApi.data,
          clock: deps.clock,
          log: deps.log,
          pollIntervalMs: settings.pollIntervalMs,
          upgradeTimeoutMs: settings.upgradeTimeoutMs,
        })
        step.setDetail(
          recovery.leftDown ??
            (recovery.changes.length
              ? `restored ${describeChanges(recovery.changes)}`
              : 'nothing to restore'),
        )
      },
    ).catch((restoreFailure: unknown) => {
      restoreError = errorMessage(restoreFailure)
    })
  }
  await readEndState(journal, recoveryApi, deps.clock)
  journal.concluded(concludeFailure(journal.record, { recovery, restoreError, cancelled }))
  await releaseOwedHold(journal, recoveryApi.platform, deps.clock, deps.warn)
}
