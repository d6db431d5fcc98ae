// Time is injected everywhere the action waits, so unit tests can run retries and polls instantly.

export interface Clock {
  now(): number
  /** Resolves after `ms`, or rejects with the signal's reason as soon as the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  random(): number
}

export class CancelledError extends Error {
  constructor(reason = 'The run was cancelled') {
    super(reason)
    this.name = 'CancelledError'
  }
}

export function cancellationReason(signal: AbortSignal): CancelledError {
  return signal.reason instanceof CancelledError
    ? signal.reason
    : new CancelledError(String(signal.reason ?? ''))
}

export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(cancellationReason(signal))
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(cancellationReason(signal as AbortSignal))
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.max(0, ms),
      )
      signal?.addEventListener('abort', onAbort, { once: true })
    }),
}

/** Stops waiting for `work` when the signal aborts (the work itself goes on; its outcome is dropped). */
export async function abandonOnAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw cancellationReason(signal)
  let onAbort: () => void = () => {}
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(cancellationReason(signal))
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([work, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
    work.catch(() => {})
  }
}
