// What a step needs besides its plan: Heroku, time, cancellation, the journal, and where its lines go.
// Nothing here carries the inputs: what the inputs decide reaches a step through `plan.policy`.
import type { HerokuApis } from '../heroku/api'
import type { RetryPolicy } from '../heroku/retry'
import type { PollCadence } from '../domain/policy'
import type { Journal } from '../record/journal'
import type { Clock } from '../runtime/clock'

export interface StepDeps {
  /** Heroku's Platform and data APIs: calls stop retrying when the run is cancelled. */
  api: HerokuApis
  clock: Clock
  /** Aborted when the run is cancelled (SIGINT, SIGTERM, max-downtime, window-end). */
  signal: AbortSignal
  /** The only way a step changes the run record; every fact is saved before the call returns. */
  journal: Journal
  /** How often each kind of wait asks Heroku (from poll-interval). */
  poll: PollCadence
  log(line: string): void
  /** Logged as a warning and kept in the record, for the report. */
  warn(line: string): void
  /** The retry policy for a call made now: shorter while the window is open. */
  retryPolicyNow(): Partial<RetryPolicy>
}

/** What a running step may say about itself in the timeline. */
export interface StepHandle {
  /** Replace the title once the step knows more (e.g. what it scaled). */
  setTitle(title: string): void
  setDetail(detail: string): void
}
