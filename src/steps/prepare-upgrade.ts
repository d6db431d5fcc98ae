// Heroku preparing an in-place upgrade with the app up: asked for once, then waited for until it can run,
// and for a little longer in Heroku's own time (it may say "scheduled" before upgrade/run is accepted).
import type { StepDeps } from './deps'
import { formatDuration } from '../domain/duration'
import { cleanHerokuMessage } from '../domain/heroku-message'
import type { AddonRef } from '../domain/vocabulary'
import { changeOnce } from '../heroku/change-once'
import { upgradeState } from '../inspect/inspect'
import { poll } from '../runtime/poller'
import { waitingIn } from './waits'

/**
 * Heroku answers a prepare, and may answer wait_status while preparing, with "scheduled for upgrade during
 * your next available maintenance window", which reads as if the upgrade would run by itself in the coming
 * night. What matters to the reader is that Heroku is preparing: that is said instead.
 */
function preparingStatus(message: string): string {
  return !message || /maintenance window|prepar/i.test(message)
    ? 'Heroku is preparing the upgrade (it can take hours)'
    : cleanHerokuMessage(message, { firstLine: true })
}

/** upgrade/prepare, sent again only when Heroku shows no upgrade being prepared or prepared. */
export async function prepareUpgrade(
  deps: StepDeps,
  database: AddonRef,
  version: string | undefined,
): Promise<{ message?: string }> {
  return changeOnce({
    send: () => deps.api.data.prepareUpgrade(database.id, version),
    findEffect: async () => {
      const state = await upgradeState(deps, database.id)
      return state.phase === 'preparing' || state.phase === 'prepared'
        ? { message: state.message }
        : undefined
    },
    clock: deps.clock,
    signal: deps.signal,
    policy: deps.retryPolicyNow(),
  })
}

/**
 * Heroku can answer upgrade/run with "not ready" for a while after wait_status first says the upgrade is
 * scheduled; it gives no figure (the simulator's harsh default is 5 minutes). Inside the window that while
 * would be spent with the app down, so a run that sees the preparation end waits it out with the app up,
 * counted in Heroku's time (the Date of its answers) from the first answer that said scheduled. A run that
 * found the upgrade already prepared cannot tell since when: it passes 0, and the window's retry covers it.
 */
export const READY_SETTLE_MS = 5 * 60_000

/**
 * Until Heroku says the prepared upgrade can run ("scheduled") and has said so for `settleMs` of its own
 * time; bounded by prepare-timeout.
 */
export async function waitUntilPrepared(
  deps: StepDeps,
  database: AddonRef,
  settleMs: number,
  timeoutMs: number,
): Promise<string> {
  const data = deps.api.data
  const herokuNow = (): number => data.serverTime() ?? deps.clock.now()
  let preparedAt: number | undefined
  return poll<string>({
    describe: `the upgrade of ${database.name} to be prepared`,
    timeoutMs,
    interval: deps.poll.longWaitMs,
    ...waitingIn(deps),
    check: async () => {
      const state = await upgradeState(deps, database.id)
      if (state.phase === 'prepared') {
        preparedAt ??= herokuNow()
        // Heroku's Date counts whole seconds: a second more, so that the wait is never short.
        const left = settleMs > 0 ? preparedAt + settleMs + 1000 - herokuNow() : 0
        if (left <= 0) return { done: true, value: state.message }
        return {
          done: false,
          status: `prepared; waiting ${formatDuration(left)} more before the window opens (Heroku can refuse to run an upgrade for minutes after preparing it)`,
        }
      }
      if (state.phase === 'failed')
        throw new Error(
          `Heroku could not prepare the upgrade of ${database.name}: ${state.message || 'no details given'}`,
        )
      if (state.phase === 'none')
        throw new Error(
          `The prepared upgrade of ${database.name} is gone (cancelled with heroku pg:upgrade:cancel?).`,
        )
      if (state.phase === 'running')
        throw new Error(`The upgrade of ${database.name} started without this run (${state.message}).`)
      return { done: false, status: preparingStatus(state.message) }
    },
  })
}
