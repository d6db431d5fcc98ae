// Retries 429, 5xx and dropped connections with exponential backoff and full jitter, honouring Retry-After,
// bounded both in attempts and in total time. 4xx answers are never retried.
import { cancellationReason, systemClock, type Clock } from '../clock'
import { HerokuApiError } from './errors'

export interface RetryPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** No retry is started if it would end later than this after the first attempt. */
  maxTotalMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxTotalMs: 120_000,
}

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

export async function withRetry<T>(operation: () => Promise<T>, context: RetryContext = {}): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...context.policy }
  const clock = context.clock ?? systemClock
  const startedAt = clock.now()
  for (let attempt = 1; ; attempt++) {
    if (context.signal?.aborted) throw cancellationReason(context.signal)
    try {
      return await operation()
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
