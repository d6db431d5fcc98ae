// Everything a step needs, passed explicitly: settings, the two API sets, the record, time and cancellation.
import type { Clock } from '../runtime/clock'
import type { HerokuApis } from '../heroku/api'
import type { RetryPolicy } from '../heroku/retry'
import type { RunRecord } from '../record/record'
import type { Phase, StepName } from '../domain/vocabulary'
import type { Settings } from '../inputs/settings'

export interface StepHandle {
  /** Replace the title shown in the timeline once the step knows more (e.g. what it scaled). */
  setTitle(title: string): void
  setDetail(detail: string): void
}

/** Where a step stands in its method: its phase and its number in the log ([3/9]). */
export interface StepPosition {
  phase: Phase
  number?: number
  total?: number
}

export interface RunContext {
  settings: Readonly<Settings>
  /** Calls made by the steps: they stop retrying when the run is cancelled. */
  api: HerokuApis
  /** Calls that put the app back after a failure or cancellation: short retries, never cancelled. */
  recoveryApi: HerokuApis
  record: RunRecord
  clock: Clock
  signal: AbortSignal
  /** Overrides of the retry delays (tests use short ones). */
  retryPolicy?: Partial<RetryPolicy>
  /** The retry policy for a call made now: shorter while the window is open. */
  retryPolicyNow(): Partial<RetryPolicy>
  log(line: string): void
  warn(line: string): void
  /** Saves the record as action state (after every step and every change that matters for recovery). */
  save(): void
  step<T>(
    name: StepName,
    title: string,
    run: (step: StepHandle) => Promise<T>,
    position?: StepPosition,
  ): Promise<T>
}
