// The window that every method shares: open it on every app that writes to the database, then wait until
// nothing writes any more and the new database holds every write. What watches for writers after that is in
// detached-watch.ts; the checks of the switch before anything reopens are in switch-checks.ts.
import type { StepDeps } from './deps'
import type { WindowPolicy } from '../domain/policy'
import type { UpgradePlan } from '../plan/upgrade-plan'
import type { RunRecord } from '../record/record'
import { poll, PollTimeoutError } from '../runtime/poller'
import { describeFormation, typesLeftRunning, typesToScaleDown } from '../domain/formation'
import { appsInWindow, openWindow, type AppBefore } from './window'
import type { FormationEntry } from '../domain/vocabulary'
import { StopGrace } from './stop-grace'
import { ZeroLagHold } from './zero-lag-hold'
import {
  describeDynos,
  isOneOff,
  listDynos,
  unexpectedWriters,
  type KeptTypes,
  type ListedDyno,
} from './writers'
import { waitingIn } from './waits'
import { oldDatabaseFenced } from '../record/queries'
import { keptRunningWarning, writersTimeoutMessage } from '../domain/messages/window'

/** Opens the window on the app and on every other app attached to the database. Returns the step title. */
export async function openTheWindow(
  deps: StepDeps,
  plan: UpgradePlan,
  { movesData }: { movesData: boolean },
): Promise<string> {
  const { window } = plan.policy
  const done = await openWindow({
    platform: deps.api.platform,
    apps: [deps.journal.record.app, ...plan.otherApps],
    maintenance: window.maintenance,
    scaleDown: window.scaleDown,
    recordBefore: (apps) => deps.journal.windowOpened(apps, { readOnly: window.readOnly }),
  })
  const apps = appsInWindow(deps.journal.record)
  // Heroku's time once every scale-down was answered: the stopped dynos' grace counts from there.
  if (apps.some((b) => typesToScaleDown(b.formationBefore, window.scaleDown).length > 0))
    deps.journal.writersStopped(deps.api.platform.serverTime() ?? deps.clock.now())
  for (const before of apps) {
    const left = writingTypesLeft(before, window)
    if (left.length > 0) deps.warn(keptRunning(deps, window, before.app, describeFormation(left), movesData))
  }
  const serving = window.readOnly ? '; web kept serving reads (window: read-only)' : ''
  return done.length
    ? `${done.join('; ')}${serving}`
    : `Window opened (maintenance and formation left as they were)${serving}`
}

/** What the window does about the process types scale-down leaves running, for a person. */
function keptRunning(
  deps: StepDeps,
  window: WindowPolicy,
  app: string,
  types: string,
  movesData: boolean,
): string {
  return keptRunningWarning({
    app,
    types,
    scaleDown: describeScaleDown(window),
    movesData,
    acceptLostWrites: window.acceptLostWrites,
    database: deps.journal.record.oldDatabase?.addonName,
  })
}

/** Web in a read-only window: it keeps serving reads, and the fence raised before any wait refuses its writes. */
const servesReads = (window: WindowPolicy, type: string): boolean => window.readOnly && type === 'web'

/** The running process types the window leaves up that can write. */
function writingTypesLeft(before: AppBefore, window: WindowPolicy): FormationEntry[] {
  return typesLeftRunning(before.formationBefore, window.scaleDown).filter(
    (entry) => !servesReads(window, entry.type),
  )
}

/** `app:type` of every process type the window scaled down. */
function scaledTypes(deps: StepDeps, window: WindowPolicy): string[] {
  return appsInWindow(deps.journal.record).flatMap((before) =>
    typesToScaleDown(before.formationBefore, window.scaleDown).map((entry) => `${before.app}:${entry.type}`),
  )
}

const describeScaleDown = (window: WindowPolicy): string => {
  const scaleDown = window.scaleDown
  return scaleDown.kind === 'list' ? scaleDown.types.join(',') : scaleDown.kind
}

/**
 * The process types the window leaves running and does not count as writers. When the app moves to a new
 * database (`movesData`), a type left running writes to the old one, which the new one stops receiving: it
 * is a writer like any other, unless the user accepted losing those writes (accept-lost-writes). When the
 * database is upgraded in place, whatever it writes reaches the database the app keeps.
 */
export function keptTypes(record: Readonly<RunRecord>, window: WindowPolicy, movesData: boolean): KeptTypes {
  const kept: KeptTypes = new Set(servingTypes(record, window))
  if (movesData && !window.acceptLostWrites) return kept
  for (const before of appsInWindow(record))
    for (const entry of typesLeftRunning(before.formationBefore, window.scaleDown))
      kept.add(`${before.app}:${entry.type}`)
  return kept
}

/**
 * The process types a read-only window keeps serving reads (web, on every app in the window): the fence raised
 * before any wait refuses their writes, so they are neither writers to wait for nor writers to hold 0 for.
 */
export function servingTypes(record: Readonly<RunRecord>, window: WindowPolicy): KeptTypes {
  const serving: KeptTypes = new Set()
  for (const before of appsInWindow(record))
    for (const entry of typesLeftRunning(before.formationBefore, window.scaleDown))
      if (servesReads(window, entry.type)) serving.add(`${before.app}:${entry.type}`)
  return serving
}

export interface LagReading {
  lag?: number
  status: string
}

/**
 * Waits, within lag-timeout, until no dyno the window stopped is still running, no one-off dyno runs,
 * and then the new database is 0 commits behind. One-off dynos started after the window opened (Scheduler,
 * a `heroku run`) are stopped: what they write would only reach the old database. Those that were already
 * running are waited for.
 */
export async function waitForQuiet(
  deps: StepDeps,
  plan: UpgradePlan,
  readLag: () => Promise<LagReading>,
  { movesData, lag = true }: { movesData: boolean; lag?: boolean },
): Promise<string> {
  const record = deps.journal.record
  const { window, timeouts } = plan.policy
  const apps = appsInWindow(record)
  const kept = keptTypes(record, window, movesData)
  const serving = servingTypes(record, window)
  const scaled = scaledTypes(deps, window)
  const stoppedTypes = new Set(scaled)
  const zero = new ZeroLagHold(deps)
  const platform = deps.api.platform
  const grace = new StopGrace()
  if (record.writersStoppedAt) grace.typesStopped(scaled, Date.parse(record.writersStoppedAt))
  // One-off dynos already running when the window opened are waited for; any that appear later is stopped.
  let runningAtOpen: Set<string> | undefined
  const stopped = new Set<string>()
  let writers: ListedDyno[] = []
  try {
    return await poll<string>({
      // Without a follower (`lag` false) there is no lag to wait for: the progress lines do not name one.
      describe: lag
        ? 'every writer to stop and the new database to reach 0 commits behind'
        : 'every writer to stop',
      timeoutMs: timeouts.lag.ms,
      interval: deps.poll.windowMs,
      ...waitingIn(deps),
      check: async () => {
        const listed = await listDynos(deps.api.platform, apps)
        // Behind the write fence a dyno the window stopped can no longer write: the fence ended its sessions
        // and refuses its writes through any new one, so neither it nor its stop grace is waited for. Types
        // the settings keep running are waited for as before (the warning at the opening says so).
        const fenced = oldDatabaseFenced(record)
        writers = unexpectedWriters(listed, apps, kept).filter(
          (dyno) => !fenced || !stoppedTypes.has(`${dyno.app}:${dyno.type}`),
        )
        runningAtOpen ??= new Set(writers.map((dyno) => dyno.id))
        for (const dyno of writers)
          if (isOneOff(dyno, apps) && !runningAtOpen.has(dyno.id) && !stopped.has(dyno.id)) {
            const wasThere = await platform.stopDyno(dyno.app, dyno.id)
            stopped.add(dyno.id)
            // One caught while still starting never ran: only one seen up may write through its grace.
            if (dyno.state !== 'starting' && wasThere)
              grace.dynoStopped(dyno.id, platform.serverTime() ?? deps.clock.now())
            deps.warn(
              wasThere
                ? `${dyno.app} ${dyno.name} started during the window and was stopped: anything it did is not done; run it again once the app is back.`
                : `${dyno.app} ${dyno.name} started during the window and exited before it could be stopped: check that what it did is on the database the app ends on.`,
            )
          }
        // A stopped dyno is waited for too: it may write until its process exits and it leaves the list.
        if (writers.length > 0)
          return { done: false, status: `waiting for ${describeDynos(writers)} to stop`, nearlyDone: true }
        const left = fenced ? 0 : grace.leftAt(listed, platform.serverTime() ?? deps.clock.now())
        if (left > 0) return { done: false, status: StopGrace.describe(left), nearlyDone: true }
        const reading = await readLag()
        const running = listed.filter(
          (dyno) => kept.has(`${dyno.app}:${dyno.type}`) && !serving.has(`${dyno.app}:${dyno.type}`),
        )
        if (reading.lag !== 0 || running.length === 0) zero.reset()
        if (reading.lag === 0 && running.length === 0)
          return { done: true, value: 'no writer left; behind by 0 commits' }
        if (reading.lag !== 0)
          return {
            done: false,
            status: reading.status,
            nearlyDone: true,
            measure: reading.lag === undefined ? undefined : { kind: 'commits', behind: reading.lag },
          }
        // Kept writers still run: a reading of 0 may only mean they are booting or between two writes.
        const held = zero.holds(running)
        return held.done
          ? {
              done: true,
              value: `behind by 0 commits for ${held.for} with ${describeDynos(running)} running`,
            }
          : { done: false, status: held.status, nearlyDone: true }
      },
    })
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error
    throw new Error(
      writersTimeoutMessage({
        lag,
        lagTimeoutMs: timeouts.lag.ms,
        lastStatus: error.lastStatus,
        writersLeft: describeWritersLeft(deps, window, writers),
      }),
    )
  }
}

function describeWritersLeft(deps: StepDeps, window: WindowPolicy, dynos: ListedDyno[]): string {
  const parts: string[] = []
  for (const before of appsInWindow(deps.journal.record)) {
    const left = writingTypesLeft(before, window)
    if (left.length > 0) parts.push(`${before.app} process types left running (${describeFormation(left)})`)
    if (before.app === deps.journal.record.app && !window.maintenance && !window.readOnly)
      parts.push(`${before.app} is not in maintenance (maintenance: false)`)
  }
  if (dynos.length > 0) parts.push(`dynos still listed: ${describeDynos(dynos)}`)
  return parts.length ? parts.join('; ') : 'nothing the API shows (a connection from outside Heroku?)'
}
