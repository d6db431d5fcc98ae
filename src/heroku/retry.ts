// Retries 429, 5xx and dropped connections with exponential backoff and full jitter, honouring Retry-After,
// bounded both in attempts and in total time, attempts included. 4xx answers are never retried.
import { cancellationReason, systemClock, type Clock } from '../runtime/clock'
import { HerokuApiError } from './errors'

export interface RetryPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** One call, every attempt and wait included, ends within about this long after it started. */
  maxTotalMs: number
  /** How long one attempt may wait for an answer. */
  attemptTimeoutMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  maxTotalMs: 60_000,
  attemptTimeoutMs: 20_000,
}

/**
 * While the app is down, a call that cannot get through within seconds is better reported than retried
 * for a minute: the failure handling then puts the app back sooner.
 */
export const WINDOW_RETRY_POLICY: Partial<RetryPolicy> = {
  maxDelayMs: 4_000,
  maxTotalMs: 20_000,
  attemptTimeoutMs: 10_000,
}

/** The shortest time an attempt is given, even at the very end of a call's budget. */
const MIN_ATTEMPT_MS = 2_000

export interface RetryContext {
  policy?: Partial<RetryPolicy>
  clock?: Clock
  signal?: AbortSignal
  /** Called before each new attempt, e.g. to log it. */
  onRetry?: (error: HerokuApiError, attempt: number, delayMs: number) => void
}

export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.floor(random() * ceiling)
}

/** `operation` gets the time left in the call's budget, to bound its own attempt. */
export async function withRetry<T>(
  operation: (remainingMs: number) => Promise<T>,
  context: RetryContext = {},
): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...context.policy }
  const clock = context.clock ?? systemClock
  const startedAt = clock.now()
  for (let attempt = 1; ; attempt++) {
    if (context.signal?.aborted) throw cancellationReason(context.signal)
    try {
      return await operation(Math.max(MIN_ATTEMPT_MS, policy.maxTotalMs - (clock.now() - startedAt)))
    } catch (error) {
      if (!(error instanceof HerokuApiError) || !error.retryable || attempt >= policy.maxAttempts) throw error
      const jittered = backoffDelay(attempt, policy, clock.random)
      const delay =
        error.retryAfterSeconds !== undefined ? Math.max(error.retryAfterSeconds * 1000, jittered) : jittered
      if (clock.now() - startedAt + delay > policy.maxTotalMs) throw error
      context.onRetry?.(error, attempt, delay)
      await clock.sleep(delay, context.signal)
    }
  }
}
