// The steps of the window that every method shares: open it on every app that writes to the database,
// wait until nothing writes any more and the new database holds every write, make sure nothing wrote
// since, and confirm the switch reached the dynos before anything reopens.
import type { RunContext } from './context'
import { formatDuration } from '../domain/duration'
import { errorMessage } from '../domain/error-message'
import { poll, PollTimeoutError, watchInterval, windowInterval } from '../runtime/poller'
import { maskDatabaseUrl } from '../domain/secrets'
import { settleSwitch, undoSwitch } from './switch'
import { runVerifyCommand } from './verify-command'
import { describeFormation, openWindow, typesLeftRunning, typesToScaleDown, appsInWindow } from './window'
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
import { switchDependencies } from './promote'
import { waitingIn } from './waits'

/** Opens the window on the app and on every other app attached to the database. Returns the step title. */
export async function openTheWindow(
  context: RunContext,
  otherApps: string[],
  { movesData }: { movesData: boolean },
): Promise<string> {
  const { settings, record, clock } = context
  const done = await openWindow({
    platform: context.api.platform,
    apps: [settings.app, ...otherApps],
    maintenance: settings.maintenance,
    scaleDown: settings.scaleDown,
    recordBefore: ([own, ...others]) => {
      record.formationBefore = own!.formationBefore
      record.maintenanceBefore = own!.maintenanceBefore
      if (others.length > 0) record.otherApps = others
      record.windowOpenedAt = new Date(clock.now()).toISOString()
      context.save()
    },
  })
  // Heroku's time once every scale-down was answered: the stopped dynos' grace counts from there.
  if (appsInWindow(record).some((b) => typesToScaleDown(b.formationBefore, settings.scaleDown).length > 0)) {
    record.writersStoppedAt = new Date(context.api.platform.serverTime() ?? clock.now()).toISOString()
    context.save()
  }
  for (const before of appsInWindow(record)) {
    const left = typesLeftRunning(before.formationBefore, settings.scaleDown)
    if (left.length > 0) context.warn(keptRunning(context, before.app, describeFormation(left), movesData))
  }
  return done.length ? done.join('; ') : 'Window opened (maintenance and formation left as they were)'
}

/** What the window does about the process types scale-down leaves running, for a person. */
function keptRunning(context: RunContext, app: string, types: string, movesData: boolean): string {
  const kept = `${app}: ${types} kept running during the window (scale-down is ${describeScaleDown(context)})`
  if (!movesData)
    return `${kept}; what they write reaches ${context.record.oldDatabase?.addonName ?? 'the database'}, which the app keeps.`
  if (context.settings.acceptLostWrites)
    return `${kept}, and accept-lost-writes is true: what they write to the old database once the new one stops receiving its writes is lost. The window goes on once the lag has stayed 0 for longer than a dyno's boot.`
  return `${kept}: they write to the old database, which the new one stops receiving, so the window waits until their dynos are stopped (within lag-timeout) and rolls back otherwise. Scale them down, or set accept-lost-writes to true to accept losing what they write.`
}

/** `app:type` of every process type the window scaled down. */
function scaledTypes(context: RunContext): string[] {
  return appsInWindow(context.record).flatMap((before) =>
    typesToScaleDown(before.formationBefore, context.settings.scaleDown).map(
      (entry) => `${before.app}:${entry.type}`,
    ),
  )
}

const describeScaleDown = (context: RunContext): string => {
  const scaleDown = context.settings.scaleDown
  return scaleDown.kind === 'list' ? scaleDown.types.join(',') : scaleDown.kind
}

/**
 * The process types the window leaves running and does not count as writers. When the app moves to a new
 * database (`movesData`), a type left running writes to the old one, which the new one stops receiving: it
 * is a writer like any other, unless the user accepted losing those writes (accept-lost-writes). When the
 * database is upgraded in place, whatever it writes reaches the database the app keeps.
 */
function keptTypes(context: RunContext, movesData: boolean): KeptTypes {
  const kept: KeptTypes = new Set()
  if (movesData && !context.settings.acceptLostWrites) return kept
  for (const before of appsInWindow(context.record))
    for (const entry of typesLeftRunning(before.formationBefore, context.settings.scaleDown))
      kept.add(`${before.app}:${entry.type}`)
  return kept
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
  context: RunContext,
  readLag: () => Promise<LagReading>,
  { movesData, lag = true }: { movesData: boolean; lag?: boolean },
): Promise<string> {
  const { settings, record } = context
  const apps = appsInWindow(record)
  const kept = keptTypes(context, movesData)
  const zero = new ZeroLagHold(context)
  const platform = context.api.platform
  const grace = new StopGrace()
  if (record.writersStoppedAt) grace.typesStopped(scaledTypes(context), Date.parse(record.writersStoppedAt))
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
      timeoutMs: settings.lagTimeoutMs,
      interval: windowInterval(settings.pollIntervalMs),
      ...waitingIn(context),
      check: async () => {
        const listed = await listDynos(context.api.platform, apps)
        writers = unexpectedWriters(listed, apps, kept)
        runningAtOpen ??= new Set(writers.map((dyno) => dyno.id))
        for (const dyno of writers)
          if (isOneOff(dyno, apps) && !runningAtOpen.has(dyno.id) && !stopped.has(dyno.id)) {
            await platform.stopDyno(dyno.app, dyno.id)
            stopped.add(dyno.id)
            // One caught while still starting never ran: only one seen up may write through its grace.
            if (dyno.state !== 'starting')
              grace.dynoStopped(dyno.id, platform.serverTime() ?? context.clock.now())
            context.warn(
              `${dyno.app} ${dyno.name} started during the window and was stopped: anything it did is not done; run it again once the app is back.`,
            )
          }
        // A stopped dyno is waited for too: it may write until its process exits and it leaves the list.
        if (writers.length > 0)
          return { done: false, status: `waiting for ${describeDynos(writers)} to stop`, nearlyDone: true }
        const left = grace.leftAt(listed, platform.serverTime() ?? context.clock.now())
        if (left > 0) return { done: false, status: StopGrace.describe(left), nearlyDone: true }
        const reading = await readLag()
        const running = listed.filter((dyno) => kept.has(`${dyno.app}:${dyno.type}`))
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
      `Timed out waiting for every writer to stop${lag ? ' and the new database to reach 0 commits behind' : ''}: lag-timeout is ${formatDuration(settings.lagTimeoutMs)}${error.lastStatus ? ` (last status: ${error.lastStatus})` : ''}. Still able to write: ${describeWritersLeft(context, writers)}. Nothing after this step was done.`,
    )
  }
}

function describeWritersLeft(context: RunContext, dynos: ListedDyno[]): string {
  const parts: string[] = []
  for (const before of appsInWindow(context.record)) {
    const left = typesLeftRunning(before.formationBefore, context.settings.scaleDown)
    if (left.length > 0) parts.push(`${before.app} process types left running (${describeFormation(left)})`)
    if (before.app === context.settings.app && !context.settings.maintenance)
      parts.push(`${before.app} is not in maintenance (maintenance: false)`)
  }
  if (dynos.length > 0) parts.push(`dynos still listed: ${describeDynos(dynos)}`)
  return parts.length ? parts.join('; ') : 'nothing the API shows (a connection from outside Heroku?)'
}

/**
 * Once the new database stopped following, whatever a dyno writes reaches the old database only. A one-off
 * dyno that appears then (a Scheduler job) is stopped at once; one caught while still `starting` wrote
 * nothing, one seen `up` may have written, and is remembered so that the switch is not made.
 */
export class DetachedWatch {
  private readonly seenUp = new Map<string, ListedDyno>()
  private readonly stopped = new Set<string>()

  constructor(private readonly context: RunContext) {}

  private async look(): Promise<void> {
    const { context } = this
    const apps = appsInWindow(context.record)
    const writers = unexpectedWriters(
      await listDynos(context.api.platform, apps),
      apps,
      keptTypes(context, true),
    )
    for (const dyno of writers) {
      if (dyno.state !== 'starting') this.seenUp.set(dyno.id, dyno)
      if (isOneOff(dyno, apps) && !this.stopped.has(dyno.id)) {
        this.stopped.add(dyno.id)
        await context.api.platform.stopDyno(dyno.app, dyno.id)
        context.warn(
          `${dyno.app} ${dyno.name} started while the app was down and was stopped${dyno.state === 'starting' ? ' before it ran' : ''}: run it again once the app is back.`,
        )
      }
    }
  }

  /**
   * Looks every watch interval while `work` runs (an upgrade, a transfer, the releases of a switch), on its
   * own cadence: however rarely the work's own wait asks Heroku, a starting dyno is still seen in time. A
   * look that fails is logged; the last look before the switch does not forgive one.
   */
  async during<T>(work: () => Promise<T>): Promise<T> {
    const { context } = this
    let done = false
    const finished = work().finally(() => (done = true))
    const loop = (async () => {
      while (!done && !context.signal?.aborted) {
        await this.look().catch((error: unknown) =>
          context.log(`  Could not list the dynos: ${errorMessage(error)}`),
        )
        await Promise.race([
          context.clock.sleep(watchInterval(context.settings.pollIntervalMs), context.signal),
          finished,
        ]).catch(() => {})
      }
    })()
    try {
      return await finished
    } finally {
      await loop
    }
  }

  /** The last look before the switch: refuses it when any writer may have reached the old database. */
  async assertNothingWrote(): Promise<void> {
    await this.look()
    const suspects = [...this.seenUp.values()]
    if (suspects.length > 0)
      throw new Error(
        `${describeDynos(suspects)} ran after the new database stopped following the old one, so they may have written to the old database only. The switch was not made: the old database is still primary and holds every write.`,
      )
  }

  /**
   * The last look before the app reopens. A one-off dyno started before the switch's release carries the old
   * DATABASE_URL for its whole life: caught while starting, it is stopped before it runs; one that ran is
   * named, since what it wrote is on the old database only.
   */
  async lastLook(): Promise<void> {
    const before = new Set(this.seenUp.keys())
    await this.look()
    const late = [...this.seenUp.values()].filter((dyno) => !before.has(dyno.id))
    if (late.length > 0)
      this.context.warn(
        `${describeDynos(late)} ran with the old DATABASE_URL after the switch: what they wrote is on the old database only. Check it, and run them again on the new one.`,
      )
  }
}

/** Waits for the releases of the switch. Anything but every move live puts the old database back. */
export async function confirmSwitch(context: RunContext, watch?: DetachedWatch): Promise<string> {
  const { record } = context
  const settle = () => settleSwitch(switchDependencies(context), record.moves ?? [])
  const settlement = await (watch ? watch.during(settle) : settle())
  record.switchOutcome = settlement.outcome
  record.switchDetail = settlement.detail
  context.save()
  if (settlement.outcome !== 'live')
    throw new Error(
      settlement.outcome === 'reverted'
        ? `The switch did not reach the dynos and was undone: ${settlement.detail}`
        : `The switch did not reach the dynos and could not be undone: ${settlement.detail}`,
    )
  return `releases succeeded: ${settlement.detail}`
}

/**
 * Runs verify-command against the new database while the app is still down. A failure or a timeout puts
 * every moved attachment back on the old database (and waits for those releases) before anything reopens.
 */
export async function runUserCheck(context: RunContext, command: string): Promise<string> {
  const { settings, record } = context
  const env = await databaseUrls(context)
  context.log(`  $ ${firstLine(command)}`)
  record.verifyCommand = { verdict: 'running', durationMs: 0 }
  context.save()
  const result = await runVerifyCommand(command, env, settings.verifyTimeoutMs, context.clock, context.signal)
  record.verifyCommand = result
  context.save()
  const took = formatDuration(result.durationMs)
  if (result.verdict === 'passed') return `verify-command passed in ${took}`
  const why =
    result.verdict === 'timed-out'
      ? `verify-command did not finish within verify-timeout (${formatDuration(settings.verifyTimeoutMs)})`
      : `verify-command exited with code ${result.exitCode} after ${took}`
  if (!record.moves?.length)
    throw new Error(
      `${why}. Nothing moved in this run, so there is no switch to undo: ${record.irreversible ? `${record.irreversible.what} cannot be undone, and the app reopens on it` : 'the app reopens as it was'}.`,
    )
  const settlement = await undoSwitch(switchDependencies(context), record.moves, why)
  record.switchOutcome = settlement.outcome
  record.switchDetail = settlement.detail
  context.save()
  throw new Error(
    settlement.outcome === 'reverted'
      ? `${why}, so the switch was undone: ${settlement.detail}`
      : `${why}, and the switch could not be undone: ${settlement.detail}`,
  )
}

/**
 * DATABASE_URL (the new database now), the old database's URL through its alias, and the app. Every secret
 * part of every database URL of the app is masked before the check can print it.
 */
async function databaseUrls(context: RunContext): Promise<Record<string, string>> {
  const { platform } = context.api
  const app = context.settings.app
  const [config, attachments] = await Promise.all([
    platform.getConfigVars(app),
    platform.listAppAttachments(app),
  ])
  for (const value of Object.values(config)) if (/^postgres(ql)?:\/\//.test(value)) maskDatabaseUrl(value)
  const oldId = context.record.oldDatabase?.addonId
  const alias = attachments.find((a) => a.addon.id === oldId && !a.namespace && a.name !== 'DATABASE')
  const env: Record<string, string> = { HEROKU_APP: app, DATABASE_URL: config.DATABASE_URL ?? '' }
  const old = alias && config[`${alias.name}_URL`]
  if (old) env.OLD_DATABASE_URL = old
  return env
}

const firstLine = (text: string): string => {
  const line = text.split('\n', 1)[0] ?? ''
  return line.length > 120 || text.includes('\n') ? `${line.slice(0, 120)} …` : line
}
