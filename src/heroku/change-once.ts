// A change that must not reach Heroku twice by accident. The transport never re-sends it; when an attempt
// fails, Heroku is asked whether the change took effect anyway, and only if it did not is it sent again.
import type { Clock } from '../runtime/clock'
import { HerokuApiError } from './errors'
import { withRetry, type RetryPolicy } from './retry'

export interface ChangeOnce<T> {
  send: () => Promise<T>
  /** What the change made, if it already took effect; undefined otherwise. */
  findEffect: () => Promise<T | undefined>
  clock?: Clock
  signal?: AbortSignal
  policy?: Partial<RetryPolicy>
}

export async function changeOnce<T>(change: ChangeOnce<T>): Promise<T> {
  let sent = 0
  const lookAfterFailure = async (error: unknown): Promise<T> => {
    const effect = await change.findEffect().catch(() => undefined)
    if (effect !== undefined) return effect
    throw error
  }
  try {
    return await withRetry(
      async () => {
        if (sent > 0) {
          const effect = await change.findEffect()
          if (effect !== undefined) return effect
        }
        sent++
        try {
          return await change.send()
        } catch (error) {
          // A refusal of a second attempt can mean the first one took effect after all (its answer was late).
          if (error instanceof HerokuApiError && !error.retryable && sent > 1) return lookAfterFailure(error)
          throw error
        }
      },
      { clock: change.clock, signal: change.signal, policy: change.policy },
    )
  } catch (error) {
    // Out of attempts or time with the outcome unknown: one last look, so a change that did happen is used.
    if (error instanceof HerokuApiError && error.retryable) return lookAfterFailure(error)
    throw error
  }
}
