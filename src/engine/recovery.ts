// Putting the app back after a failure, a cancellation or a killed main step, from the run record alone
// (the post step has nothing else). Order matters: first find out where the dynos are (a switch whose
// releases have not settled is settled, or undone); only then reopen the app. An app whose dynos cannot be
// placed on a database that holds every write stays down, and the report says so.
import type { Clock } from '../runtime/clock'
import { errorMessage } from '../domain/error-message'
import type { DataApi, PlatformApi } from '../heroku/api'
import { poll } from '../runtime/poller'
import type { RetryPolicy } from '../heroku/retry'
import { windowInterval } from '../runtime/poller'
import { isSwitchUnsettled, isWindowOpen, type RunRecord } from '../record/record'
import { RELEASE_SETTLE_TIMEOUT_MS, settleSwitch, undoSwitch, type SwitchDependencies } from '../steps/switch'
import { closeWindow } from '../steps/window'
import { settleSentChange } from './end-state'

export interface RecoveryOptions {
  platform: PlatformApi
  /** Needed to wait out an in-place upgrade before the app reopens. */
  data?: DataApi
  clock: Clock
  log: (line: string) => void
  save: () => void
  pollIntervalMs: number
  upgradeTimeoutMs: number
  policy?: Partial<RetryPolicy>
  webBootTimeoutMs?: number
}

export interface RecoveryOutcome {
  /** What was restored, for a person. */
  changes: string[]
  /** Why the app was left down, when it was. */
  leftDown?: string
}

/** The run stopped while verify-command was checking the new database: it did not pass, so the switch goes. */
async function undoUncheckedSwitch(record: RunRecord, options: RecoveryOptions): Promise<void> {
  const settlement = await undoSwitch(
    switchDependencies(options),
    record.moves ?? [],
    'the run stopped before verify-command passed',
  )
  record.switchOutcome = settlement.outcome
  record.switchDetail = settlement.detail
  record.verifyCommand = { verdict: 'failed', durationMs: record.verifyCommand?.durationMs ?? 0 }
  options.save()
}

function switchDependencies(options: RecoveryOptions): SwitchDependencies {
  return {
    platform: options.platform,
    clock: options.clock,
    policy: options.policy,
    log: options.log,
    releaseTimeoutMs: Math.min(RELEASE_SETTLE_TIMEOUT_MS, options.upgradeTimeoutMs),
    pollIntervalMs: windowInterval(options.pollIntervalMs),
  }
}

export async function recoverApp(record: RunRecord, options: RecoveryOptions): Promise<RecoveryOutcome> {
  if (isSwitchUnsettled(record)) {
    try {
      const settlement = await settleSwitch(switchDependencies(options), record.moves ?? [])
      record.switchOutcome = settlement.outcome
      record.switchDetail = settlement.detail
    } catch (error) {
      record.switchDetail = `Could not find out which database the dynos use: ${errorMessage(error)}`
    } finally {
      options.save()
    }
  }
  if (record.switchOutcome === 'live' && record.verifyCommand?.verdict === 'running' && isWindowOpen(record))
    await undoUncheckedSwitch(record, options)
  if (!isWindowOpen(record)) return { changes: [] }
  if (record.irreversibleSent && options.data) await settleSent(record, options)
  if (record.irreversible?.step === 'upgrade') await waitOutInPlaceUpgrade(record, options)
  if (record.irreversible?.step === 'changeover') await waitOutChangeover(record, options)
  if (isSwitchUnsettled(record) || record.switchOutcome === 'stuck')
    return {
      changes: [],
      leftDown: `${record.app} was left in maintenance with its dynos scaled down, because reopening it could send writes to a database that is not DATABASE: ${record.switchDetail ?? 'the switch could not be confirmed'}`,
    }
  const changes = await closeWindow(record, {
    platform: options.platform,
    clock: options.clock,
    log: options.log,
    webBootTimeoutMs: options.webBootTimeoutMs,
  })
  record.windowClosedAt = new Date(options.clock.now()).toISOString()
  options.save()
  return { changes }
}

/** An upgrade whose answer was lost: looked up before the app reopens (a running one is waited out). */
async function settleSent(record: RunRecord, options: RecoveryOptions): Promise<void> {
  const what = record.irreversibleSent!.what
  try {
    const started = await settleSentChange(record, { platform: options.platform, data: options.data! })
    options.log(`  ${what} ${started ? 'reached Heroku' : 'did not start'} (its answer had not come).`)
  } catch (error) {
    // Unknown: treated as started, so that the app is not reopened on a database that may be upgrading.
    record.irreversible = record.irreversibleSent
    delete record.irreversibleSent
    options.log(`  Could not find out whether ${what} started (${errorMessage(error)}); treated as started.`)
  }
  options.save()
}

/** A changeover cannot be stopped, and the database is read-only meanwhile: the app reopens once it ended. */
async function waitOutChangeover(record: RunRecord, options: RecoveryOptions): Promise<void> {
  const addon = record.irreversible!.addon
  const data = options.data
  if (!data) return
  options.log(`  Waiting for the changeover of ${addon.name} to end before the app reopens.`)
  try {
    await poll<true>({
      describe: `the changeover of ${addon.name} to end`,
      onStatus: (line) => options.log(`  ${line}`),
      timeoutMs: options.upgradeTimeoutMs,
      interval: windowInterval(options.pollIntervalMs),
      clock: options.clock,
      check: async () => {
        const maintenance = await data.maintenance(addon.id)
        return maintenance.status === 'running'
          ? { done: false, status: 'changeover running' }
          : { done: true, value: true }
      },
    })
    record.switchDetail = `The changeover of ${addon.name} could not be stopped; the app reopened once it ended.`
  } catch (error) {
    record.switchDetail = `The changeover of ${addon.name} had not ended within upgrade-timeout (${errorMessage(error)}); the app reopened anyway.`
  }
  options.log(`  ${record.switchDetail}`)
  options.save()
}

/**
 * An in-place upgrade cannot be stopped once Heroku accepted it, and the database refuses connections while
 * it runs: the app stays in maintenance until it ends (within upgrade-timeout), so people see the
 * maintenance page instead of errors. After that the app reopens either way, on whatever Heroku finished.
 */
async function waitOutInPlaceUpgrade(record: RunRecord, options: RecoveryOptions): Promise<void> {
  const addon = record.irreversible!.addon
  const data = options.data
  if (!data) return
  options.log(`  Waiting for the in-place upgrade of ${addon.name} to end before the app reopens.`)
  try {
    const message = await poll<string>({
      describe: `the in-place upgrade of ${addon.name} to end`,
      onStatus: (line) => options.log(`  ${line}`),
      timeoutMs: options.upgradeTimeoutMs,
      interval: windowInterval(options.pollIntervalMs),
      clock: options.clock,
      check: async () => {
        const status = await data.upgradeWaitStatus(addon.id)
        const text = (status.message ?? '').replace(/`/g, '')
        if (status['waiting?']) return { done: false, status: text || 'upgrading' }
        return { done: true, value: status['error?'] ? `it failed: ${text}` : `it ended (${text || 'done'})` }
      },
    })
    record.switchDetail = `The in-place upgrade of ${addon.name} could not be stopped; the app reopened once ${message}.`
  } catch (error) {
    record.switchDetail = `The in-place upgrade of ${addon.name} had not ended within upgrade-timeout (${errorMessage(error)}); the app reopened anyway.`
  }
  options.log(`  ${record.switchDetail}`)
  options.save()
}
