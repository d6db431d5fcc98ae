import type { Clock } from '../../src/runtime/clock'
import { cancellationReason } from '../../src/runtime/clock'

/** A clock whose sleeps return at once and advance virtual time; it records every sleep. */
export function fakeClock(start = 1_700_000_000_000, random = 0.5): Clock & { sleeps: number[] } {
  let now = start
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    random: () => random,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw cancellationReason(signal)
      sleeps.push(ms)
      now += ms
    },
  }
}
