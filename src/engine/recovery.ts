// Putting the app back after a failure, a cancellation or a killed main step, by replaying what the steps
// registered to undo and is still owed, newest first (the post step has nothing else than the saved record).
// The order matters and follows from it: first where the dynos are (a switch whose releases have not settled
// is settled, or undone), then a change Heroku cannot stop is waited out, and only then the app reopens. An
// app whose dynos cannot be placed on a database that holds every write stays down, and the report says so.
// The hold is let go last, once the end state is known (see releaseOwedHold).
import { errorMessage } from '../domain/error-message'
import { detachCommand } from '../domain/remedies'
import type { DataApi } from '../heroku/data-api'
import type { PlatformApi } from '../heroku/platform-api'
import type { RetryPolicy } from '../heroku/retry'
import type { Journal } from '../record/journal'
import { holdMayGo } from '../record/queries'
import { isSwitchUnsettled, isWindowOpen } from '../record/record'
import { owed, owedNewestFirst, type UndoEntry } from '../record/undo'
import type { Clock } from '../runtime/clock'
import { windowInterval } from '../runtime/poller'
import { releaseHold } from '../steps/hold'
import { RELEASE_SETTLE_TIMEOUT_MS, settleSwitch, undoSwitch, type SwitchDependencies } from '../steps/switch'
import { closeWindow } from '../steps/window'
import { attachmentUrls } from '../heroku/database-urls'
import { liftFence } from '../postgres/fence'
import { settleSentChange } from './end-state'
import { waitOutChangeover, waitOutInPlaceUpgrade } from './wait-out'
import { leftDownMessage } from '../domain/messages/window'

export interface RecoveryOptions {
  platform: PlatformApi
  /** Needed to wait out an in-place upgrade before the app reopens. */
  data?: DataApi
  clock: Clock
  log: (line: string) => void
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

/**
 * True while something the recovery puts back is owed: an open window, a switch not yet settled, or a fence
 * not yet lifted from the database that serves.
 */
export function recoveryOwed(journal: Journal): boolean {
  const record = journal.record
  return (
    owed(record.undo, 'close-window').length > 0 ||
    owed(record.undo, 'lift-fence').length > 0 ||
    (owed(record.undo, 'undo-switch').length > 0 && isSwitchUnsettled(record))
  )
}

export async function recoverApp(journal: Journal, options: RecoveryOptions): Promise<RecoveryOutcome> {
  let outcome: RecoveryOutcome = { changes: [] }
  for (const entry of owedNewestFirst(journal.record.undo))
    outcome = (await replay(journal, entry, options)) ?? outcome
  return outcome
}

async function replay(
  journal: Journal,
  entry: UndoEntry,
  options: RecoveryOptions,
): Promise<RecoveryOutcome | undefined> {
  switch (entry.kind) {
    case 'undo-switch':
      await settleOrUndoSwitch(journal, options)
      return undefined
    case 'wait-out':
      if (isWindowOpen(journal.record)) await waitOut(journal, options)
      return undefined
    case 'close-window':
      return reopen(journal, entry.apps, options)
    case 'lift-fence':
      await liftOwedFence(journal, entry, options)
      return undefined
    case 'release-hold':
      // Let go of last, by releaseOwedHold, once the end state says nothing is left to collide with.
      return undefined
  }
}

/**
 * The fence off the database the attachment names now: after a switch was settled or undone, the one that
 * serves. Not lifted, it is said in the summary's first line, with how to lift it by hand.
 */
async function liftOwedFence(
  journal: Journal,
  entry: Extract<UndoEntry, { kind: 'lift-fence' }>,
  options: RecoveryOptions,
): Promise<void> {
  let addon = entry.attachment
  try {
    const [attached] = await options.platform.resolveAttachments(entry.app, entry.attachment)
    addon = attached?.addon.name ?? addon
    const [url = ''] = await attachmentUrls(options.platform, entry.app, [entry.attachment])
    await liftFence(url)
    journal.fenceLifted(addon)
    journal.fenceSettled()
    options.log(`  The write fence is lifted from ${addon}: a new session takes writes.`)
  } catch (error) {
    journal.fenceLiftFailed(addon, errorMessage(error))
    options.log(`  Could not lift the write fence from ${addon}: ${errorMessage(error)}`)
  }
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

/**
 * Where the dynos are, when the releases had not said yet. A switch that is live while verify-command was
 * still checking the new database did not pass it: it is undone before the app reopens.
 */
async function settleOrUndoSwitch(journal: Journal, options: RecoveryOptions): Promise<void> {
  const moves = journal.record.moves ?? []
  if (isSwitchUnsettled(journal.record)) {
    try {
      const settlement = await settleSwitch(switchDependencies(options), moves)
      journal.switchSettled(settlement.outcome, settlement.detail)
    } catch (error) {
      journal.switchDescribed(`Could not find out which database the dynos use: ${errorMessage(error)}`)
    }
  }
  const record = journal.record
  if (record.switchOutcome !== 'live' || record.verifyCommand?.verdict !== 'running' || !isWindowOpen(record))
    return
  const why = 'the run stopped before verify-command passed'
  const settlement = await undoSwitch(switchDependencies(options), moves, why)
  journal.switchSettled(settlement.outcome, settlement.detail)
  journal.verifyEnded({ verdict: 'failed', durationMs: record.verifyCommand.durationMs })
}

/** A change Heroku cannot stop: its fate settled by looking when its answer was lost, then waited out. */
async function waitOut(journal: Journal, options: RecoveryOptions): Promise<void> {
  const { data } = options
  const sent = journal.record.irreversibleSent
  if (sent && data) {
    try {
      const started = await settleSentChange(journal, { platform: options.platform, data })
      options.log(`  ${sent.what} ${started ? 'reached Heroku' : 'did not start'} (its answer had not come).`)
    } catch (error) {
      // Unknown: treated as started, so that the app is not reopened on a database that may be upgrading.
      journal.irreversibleAccepted(sent)
      options.log(
        `  Could not find out whether ${sent.what} started (${errorMessage(error)}); treated as started.`,
      )
    }
  }
  const change = journal.record.irreversible
  if (!change || !data) return
  const wait = { data, clock: options.clock, log: options.log, pollIntervalMs: options.pollIntervalMs }
  const timeoutMs = options.upgradeTimeoutMs
  if (change.step === 'upgrade')
    journal.switchDescribed(await waitOutInPlaceUpgrade(change.addon, timeoutMs, wait))
  if (change.step === 'changeover')
    journal.switchDescribed(await waitOutChangeover(change.addon, timeoutMs, wait))
}

/** Every app of the window back as it was, unless its dynos could write to a database that is not DATABASE. */
async function reopen(
  journal: Journal,
  apps: Extract<UndoEntry, { kind: 'close-window' }>['apps'],
  options: RecoveryOptions,
): Promise<RecoveryOutcome> {
  const record = journal.record
  if (isSwitchUnsettled(record) || record.switchOutcome === 'stuck')
    return {
      changes: [],
      leftDown: leftDownMessage(record.app, record.switchDetail),
    }
  const changes = await closeWindow(apps, {
    platform: options.platform,
    clock: options.clock,
    log: options.log,
    webBootTimeoutMs: options.webBootTimeoutMs,
  })
  journal.windowClosed()
  return { changes }
}

/**
 * The hold is let go once nothing is left that another run could collide with (see holdMayGo); a failure
 * to let go is said with the command that does it.
 */
export async function releaseOwedHold(
  journal: Journal,
  platform: PlatformApi,
  clock: Clock,
  warn: (line: string) => void,
): Promise<void> {
  const [hold] = owed(journal.record.undo, 'release-hold')
  if (!hold || !holdMayGo(journal.record)) return
  await releaseHold(platform, journal, { clock }).catch((error: unknown) =>
    warn(
      `Could not release the hold ${hold.attachment} (${errorMessage(error)}): release it with ${detachCommand(hold.attachment, journal.record.app)}.`,
    ),
  )
}
