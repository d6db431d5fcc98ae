// Putting the app back after a failure, a cancellation or a killed main step, from the run record alone
// (the post step has nothing else). Order matters: first find out where the dynos are (a switch whose
// releases have not settled is settled, or undone); only then reopen the app. An app whose dynos cannot be
// placed on a database that holds every write stays down, and the report says so.
import type { Clock } from './clock'
import { errorMessage } from './error-message'
import type { PlatformApi } from './heroku/api'
import type { RetryPolicy } from './heroku/retry'
import { windowInterval } from './poller'
import { isSwitchUnsettled, isWindowOpen, type RunRecord } from './run-record'
import { RELEASE_SETTLE_TIMEOUT_MS, settleSwitch, undoSwitch, type SwitchDependencies } from './switch'
import { closeWindow } from './window'

export interface RecoveryOptions {
  platform: PlatformApi
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
