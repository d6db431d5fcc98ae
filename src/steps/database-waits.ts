// The waits on a database: caught up, upgrade prepared, upgraded, unfollowed. Each one is
// bounded, says what it waits for, and treats a message-less 404 as "not provisioned yet".
import type { RunContext } from './context'
import { formatDuration } from '../domain/duration'
import { behindBy, isFollowing, majorOf, pgVersion } from '../heroku/database-info'
import { changeOnce } from '../heroku/change-once'
import { HerokuApiError } from '../heroku/errors'
import type { DatabaseInfo, WaitStatus } from '../heroku/types'
import { poll, PollTimeoutError, windowInterval, type Progress, longWaitInterval } from '../runtime/poller'
import { count } from '../runtime/progress'
import type { LagReading } from './window-steps'
import type { AddonRef } from '../domain/vocabulary'
import { upgradeState } from '../inspect/inspect'
import { readDatabase } from '../inspect/read-database'
import { waitingIn } from './waits'

/** Any database the run reads: a follower, the new database, or the old one being upgraded in place. */
export type Follower = AddonRef

/** Before the window the follower only has to be close; once writes stop it must reach 0. */
export const CATCH_UP_GATE_COMMITS = 200
const NEARLY_CAUGHT_UP_COMMITS = 20
/**
 * A busy leader keeps a healthy follower a few seconds behind, which can be more than 200 commits. Before
 * the window, a lag that has stopped shrinking (three readings within 10%) and is below this cap counts as
 * caught up: it is replication delay, which drains within seconds once writes stop.
 */
const STEADY_LAG_CAP_COMMITS = 10_000
const STEADY_READINGS = 3

/** Names the input that bounds a wait when the wait times out, so a person knows what to raise. */
export async function withinInput<T>(input: string, budgetMs: number, wait: () => Promise<T>): Promise<T> {
  try {
    return await wait()
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error
    throw new Error(
      `Timed out waiting for ${error.describe}: ${input} is ${formatDuration(budgetMs)}${error.lastStatus ? ` (last status: ${error.lastStatus})` : ''}. Nothing after this step was done.`,
    )
  }
}

async function readWaitStatus(context: RunContext, read: () => Promise<WaitStatus>): Promise<WaitStatus> {
  try {
    return await read()
  } catch (error) {
    if (error instanceof HerokuApiError && error.status === 404)
      return { 'waiting?': true, message: 'not yet provisioned' }
    throw error
  }
}

/** Waits until the follower is available and at most `maxBehind` commits behind; returns the lag seen. */
export async function waitForLag(
  context: RunContext,
  follower: Follower,
  maxBehind: number,
  timeoutMs: number,
  goal: string,
): Promise<number> {
  const { api } = context
  const readings: number[] = []
  const acceptSteadyLag = maxBehind > 0
  return poll<number>({
    describe: `the follower ${follower.name} to ${goal}`,
    timeoutMs,
    interval:
      maxBehind === 0 ? windowInterval(context.settings.pollIntervalMs) : context.settings.pollIntervalMs,
    ...waitingIn(context),
    check: async () => {
      const status = await readWaitStatus(context, () => api.data.waitStatus(follower.id))
      if (status['error?'])
        throw new Error(
          `The follower ${follower.name} reported an error: ${status.message ?? 'unknown error'}`,
        )
      if (status['waiting?']) return { done: false, status: status.message ?? 'waiting' }
      const info = await readDatabase(context, follower.id)
      if (!info) return { done: false, status: 'not yet provisioned' }
      if (!isFollowing(info)) throw new Error(`${follower.name} is no longer following the old database.`)
      const lag = behindBy(info)
      if (lag === undefined) return { done: false, status: 'lag not reported yet' }
      if (lag <= maxBehind) return { done: true, value: lag }
      readings.push(lag)
      if (acceptSteadyLag && isSteady(readings.slice(-STEADY_READINGS))) return { done: true, value: lag }
      return {
        done: false,
        status: `behind by ${count(lag)} commits`,
        measure: { kind: 'commits', behind: lag, goal: maxBehind },
        // Once writes have stopped (maxBehind 0) the lag drains in seconds: check every second.
        nearlyDone: maxBehind === 0 || lag <= maxBehind + NEARLY_CAUGHT_UP_COMMITS,
        progress: { left: lag - maxBehind },
      }
    },
  })
}

/** One reading of the follower's lag, for waits that decide themselves when to ask again. */
export async function readLag(context: RunContext, follower: Follower): Promise<LagReading> {
  const status = await readWaitStatus(context, () => context.api.data.waitStatus(follower.id))
  if (status['error?'])
    throw new Error(`The follower ${follower.name} reported an error: ${status.message ?? 'unknown error'}`)
  if (status['waiting?']) return { status: `${follower.name}: ${status.message ?? 'waiting'}` }
  const info = await readDatabase(context, follower.id)
  if (!info) return { status: `${follower.name}: not yet provisioned` }
  if (!isFollowing(info)) throw new Error(`${follower.name} is no longer following the old database.`)
  const lag = behindBy(info)
  return {
    lag,
    status: `${follower.name}: ${lag === undefined ? 'lag not reported yet' : `behind by ${count(lag)} commits`}`,
  }
}

/**
 * upgrade/run, sent again only when Heroku shows the first one did not start the upgrade: the upgrade is
 * running, or already done (the database reports a newer major), or, on a database that followed when it
 * was sent, it stopped following (run unfollows first). A leader never follows (`leader`: no need to ask).
 */
export async function startUpgrade(
  context: RunContext,
  database: Follower,
  version: string | undefined,
  fromMajor: number,
  { leader }: { leader: boolean },
): Promise<{ message?: string }> {
  let wasFollowing: boolean | undefined = leader ? false : undefined
  return changeOnce({
    send: async () => {
      if (wasFollowing === undefined) {
        const info = await readDatabase(context, database.id)
        wasFollowing = info !== undefined && isFollowing(info)
      }
      return context.api.data.runUpgrade(database.id, version)
    },
    findEffect: async () => {
      const status = await readWaitStatus(context, () => context.api.data.upgradeWaitStatus(database.id))
      // A step number means an upgrade ran (a failed one included): preflight refused any that ran before.
      if (status.step && (status['waiting?'] || status['error?'])) return { message: status.message }
      const info = await readDatabase(context, database.id)
      if (!info) return undefined
      if ((majorOf(pgVersion(info)) ?? 0) > fromMajor) return { message: 'the upgrade had already finished' }
      return wasFollowing && !isFollowing(info) ? { message: 'the upgrade had already started' } : undefined
    },
    clock: context.clock,
    signal: context.signal,
    policy: context.retryPolicyNow(),
  })
}

/** unfollow, sent again only when the database still follows. */
export async function stopFollowing(context: RunContext, follower: Follower): Promise<void> {
  await changeOnce<true>({
    send: async () => {
      await context.api.data.unfollow(follower.id)
      return true
    },
    findEffect: async () => {
      const info = await readDatabase(context, follower.id)
      return info && !isFollowing(info) ? true : undefined
    },
    clock: context.clock,
    signal: context.signal,
    policy: context.retryPolicyNow(),
  })
}

function isSteady(readings: number[]): boolean {
  if (readings.length < STEADY_READINGS) return false
  const first = readings[0]!
  const last = readings.at(-1)!
  return Math.max(...readings) <= STEADY_LAG_CAP_COMMITS && last >= first * 0.9
}

/**
 * Polls upgrade/wait_status of any database (a follower or a leader), and only believes "done" once the
 * database itself reports a major above `fromMajor` and follows nothing.
 */
export async function waitForUpgrade(
  context: RunContext,
  follower: Follower,
  fromMajor: number,
): Promise<DatabaseInfo> {
  const { api } = context
  return poll<DatabaseInfo>({
    describe: `the upgrade of ${follower.name}`,
    timeoutMs: context.settings.upgradeTimeoutMs,
    interval: windowInterval(context.settings.pollIntervalMs),
    ...waitingIn(context),
    check: async () => {
      const status = await readWaitStatus(context, () => api.data.upgradeWaitStatus(follower.id))
      const message = firstLine(status.message)
      const text = `${status.step ? `(${status.step}) ` : ''}${message}`
      if (status['error?'])
        throw new Error(`The upgrade of ${follower.name} failed: ${text || 'no details given'}`)
      if (status['waiting?'])
        return {
          done: false,
          status: status.step ? `step ${status.step}, ${message || 'upgrading'}` : message || 'upgrading',
          progress: stepsLeft(status.step),
          measure: stepOf(status.step),
        }
      const info = await readDatabase(context, follower.id)
      const major = majorOf(info && pgVersion(info))
      const upgraded = info && !isFollowing(info) && major !== undefined && major > fromMajor
      if (upgraded) return { done: true, value: info }
      return { done: false, status: text || 'waiting for the upgrade to start', nearlyDone: true }
    },
  })
}

/** `n/7` means step n is running: it and the ones after it are left. */
function stepsLeft(step: string | undefined): Progress | undefined {
  const at = stepOf(step)
  return at && { left: Math.max(1, at.of - at.step + 1), stepped: true }
}

function stepOf(step: string | undefined): { kind: 'step'; step: number; of: number } | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(step ?? '')
  return match ? { kind: 'step', step: Number(match[1]), of: Number(match[2]) } : undefined
}

/** Heroku's messages name CLI commands in backticks and run over several lines: the log gets the first. */
const firstLine = (message: string | undefined): string =>
  (message ?? '').replace(/`/g, '').split('\n', 1)[0]!.trim()

/**
 * Heroku answers a prepare, and may answer wait_status while preparing, with "scheduled for upgrade during
 * your next available maintenance window", which reads as if the upgrade would run by itself in the coming
 * night. What matters to the reader is that Heroku is preparing: that is said instead.
 */
function preparingStatus(message: string): string {
  return !message || /maintenance window|prepar/i.test(message)
    ? 'Heroku is preparing the upgrade (it can take hours)'
    : firstLine(message)
}

export async function waitUntilStandalone(context: RunContext, follower: Follower): Promise<DatabaseInfo> {
  return poll<DatabaseInfo>({
    describe: `${follower.name} to stop following`,
    timeoutMs: context.settings.upgradeTimeoutMs,
    interval: windowInterval(context.settings.pollIntervalMs),
    ...waitingIn(context),
    check: async () => {
      const info = await readDatabase(context, follower.id)
      if (!info || isFollowing(info)) return { done: false, status: 'still following', nearlyDone: true }
      const status = await readWaitStatus(context, () => context.api.data.waitStatus(follower.id))
      return status['waiting?']
        ? { done: false, status: status.message ?? 'waiting' }
        : { done: true, value: info }
    },
  })
}

/** upgrade/prepare, sent again only when Heroku shows no upgrade being prepared or prepared. */
export async function prepareUpgrade(
  context: RunContext,
  database: AddonRef,
  version: string | undefined,
): Promise<{ message?: string }> {
  return changeOnce({
    send: () => context.api.data.prepareUpgrade(database.id, version),
    findEffect: async () => {
      const state = await upgradeState(context, database.id)
      return state.phase === 'preparing' || state.phase === 'prepared'
        ? { message: state.message }
        : undefined
    },
    clock: context.clock,
    signal: context.signal,
    policy: context.retryPolicyNow(),
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
  context: RunContext,
  database: AddonRef,
  settleMs: number,
): Promise<string> {
  const data = context.api.data
  const herokuNow = (): number => data.serverTime() ?? context.clock.now()
  let preparedAt: number | undefined
  return poll<string>({
    describe: `the upgrade of ${database.name} to be prepared`,
    timeoutMs: context.settings.prepareTimeoutMs,
    interval: longWaitInterval(context.settings.pollIntervalMs),
    ...waitingIn(context),
    check: async () => {
      const state = await upgradeState(context, database.id)
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
