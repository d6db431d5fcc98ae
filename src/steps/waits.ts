// What every wait of a step shares: the run's cancellation and clock, and its progress lines in the run's log.
import type { PollOptions } from '../runtime/poller'
import type { RunContext } from './context'

export function waitingIn(context: RunContext): Pick<PollOptions<unknown>, 'signal' | 'clock' | 'onStatus'> {
  return { signal: context.signal, clock: context.clock, onStatus: (line) => context.log(`  ${line}`) }
}
