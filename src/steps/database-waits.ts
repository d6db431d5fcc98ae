// The waits on a database: caught up, upgrade prepared, upgraded, unfollowed. Each one is
// bounded, says what it waits for, and treats a message-less 404 as "not provisioned yet".
import type { StepDeps } from './deps'
import type { Timeout } from '../domain/policy'
import { formatDuration } from '../domain/duration'
import { cleanHerokuMessage } from '../domain/heroku-message'
import { behindBy, isFollowing, majorOf, pgVersion } from '../heroku/database-info'
import { changeOnce } from '../heroku/change-once'
import { HerokuApiError } from '../heroku/errors'
import type { DatabaseInfo, WaitStatus } from '../heroku/types'
import { poll, PollTimeoutError, type Progress } from '../runtime/poller'
import { count } from '../runtime/progress'
import type { LagReading } from './window-steps'
import type { AddonRef } from '../domain/vocabulary'
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
export async function withinInput<T>(timeout: Timeout, wait: () => Promise<T>): Promise<T> {
  try {
    return await wait()
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error
    throw new Error(
      `Timed out waiting for ${error.describe}: ${timeout.input} is ${formatDuration(timeout.ms)}${error.lastStatus ? ` (last status: ${error.lastStatus})` : ''}. Nothing after this step was done.`,
    )
  }
}

async function readWaitStatus(deps: StepDeps, read: () => Promise<WaitStatus>): Promise<WaitStatus> {
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
  deps: StepDeps,
  follower: Follower,
  maxBehind: number,
  timeoutMs: number,
  goal: string,
): Promise<number> {
  const { api } = deps
  const readings: number[] = []
  const acceptSteadyLag = maxBehind > 0
  return poll<number>({
    describe: `the follower ${follower.name} to ${goal}`,
    timeoutMs,
    interval: maxBehind === 0 ? deps.poll.windowMs : deps.poll.intervalMs,
    ...waitingIn(deps),
    check: async () => {
      const status = await readWaitStatus(deps, () => api.data.waitStatus(follower.id))
      if (status['error?'])
        throw new Error(
          `The follower ${follower.name} reported an error: ${status.message ?? 'unknown error'}`,
        )
      if (status['waiting?']) return { done: false, status: status.message ?? 'waiting' }
      const info = await readDatabase(deps, follower.id)
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
export async function readLag(deps: StepDeps, follower: Follower): Promise<LagReading> {
  const status = await readWaitStatus(deps, () => deps.api.data.waitStatus(follower.id))
  if (status['error?'])
    throw new Error(`The follower ${follower.name} reported an error: ${status.message ?? 'unknown error'}`)
  if (status['waiting?']) return { status: `${follower.name}: ${status.message ?? 'waiting'}` }
  const info = await readDatabase(deps, follower.id)
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
  deps: StepDeps,
  database: Follower,
  version: string | undefined,
  fromMajor: number,
  { leader }: { leader: boolean },
): Promise<{ message?: string }> {
  let wasFollowing: boolean | undefined = leader ? false : undefined
  return changeOnce({
    send: async () => {
      if (wasFollowing === undefined) {
        const info = await readDatabase(deps, database.id)
        wasFollowing = info !== undefined && isFollowing(info)
      }
      return deps.api.data.runUpgrade(database.id, version)
    },
    findEffect: async () => {
      const status = await readWaitStatus(deps, () => deps.api.data.upgradeWaitStatus(database.id))
      // A step number means an upgrade ran (a failed one included): preflight refused any that ran before.
      if (status.step && (status['waiting?'] || status['error?'])) return { message: status.message }
      const info = await readDatabase(deps, database.id)
      if (!info) return undefined
      if ((majorOf(pgVersion(info)) ?? 0) > fromMajor) return { message: 'the upgrade had already finished' }
      return wasFollowing && !isFollowing(info) ? { message: 'the upgrade had already started' } : undefined
    },
    clock: deps.clock,
    signal: deps.signal,
    policy: deps.retryPolicyNow(),
  })
}

/** unfollow, sent again only when the database still follows. */
export async function stopFollowing(deps: StepDeps, follower: Follower): Promise<void> {
  await changeOnce<true>({
    send: async () => {
      await deps.api.data.unfollow(follower.id)
      return true
    },
    findEffect: async () => {
      const info = await readDatabase(deps, follower.id)
      return info && !isFollowing(info) ? true : undefined
    },
    clock: deps.clock,
    signal: deps.signal,
    policy: deps.retryPolicyNow(),
  })
}

function isSteady(readings: number[]): boolean {
  const [first] = readings
  const last = readings.at(-1)
  if (readings.length < STEADY_READINGS || first === undefined || last === undefined) return false
  return Math.max(...readings) <= STEADY_LAG_CAP_COMMITS && last >= first * 0.9
}

/**
 * Polls upgrade/wait_status of any database (a follower or a leader), and only believes "done" once the
 * database itself reports a major above `fromMajor` and follows nothing.
 */
export async function waitForUpgrade(
  deps: StepDeps,
  follower: Follower,
  fromMajor: number,
  timeoutMs: number,
): Promise<DatabaseInfo> {
  const { api } = deps
  return poll<DatabaseInfo>({
    describe: `the upgrade of ${follower.name}`,
    timeoutMs,
    interval: deps.poll.windowMs,
    ...waitingIn(deps),
    check: async () => {
      const status = await readWaitStatus(deps, () => api.data.upgradeWaitStatus(follower.id))
      const message = cleanHerokuMessage(status.message, { firstLine: true })
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
      const info = await readDatabase(deps, follower.id)
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

export async function waitUntilStandalone(
  deps: StepDeps,
  follower: Follower,
  timeoutMs: number,
): Promise<DatabaseInfo> {
  return poll<DatabaseInfo>({
    describe: `${follower.name} to stop following`,
    timeoutMs,
    interval: deps.poll.windowMs,
    ...waitingIn(deps),
    check: async () => {
      const info = await readDatabase(deps, follower.id)
      if (!info || isFollowing(info)) return { done: false, status: 'still following', nearlyDone: true }
      const status = await readWaitStatus(deps, () => deps.api.data.waitStatus(follower.id))
      return status['waiting?']
        ? { done: false, status: status.message ?? 'waiting' }
        : { done: true, value: info }
    },
  })
}
