// What every wait of a step shares: the run's cancellation and clock, and its progress lines in the run's log.
import type { PollOptions } from '../runtime/poller'
import type { StepDeps } from './deps'

export function waitingIn(deps: StepDeps): Pick<PollOptions<unknown>, 'signal' | 'clock' | 'onStatus'> {
  return { signal: deps.signal, clock: deps.clock, onStatus: (line) => deps.log(`  ${line}`) }
}
