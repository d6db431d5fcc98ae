// The post step: when the main step was killed or cancelled before it finished, replay what its steps
// registered to undo (settle a switch under way, wait out what Heroku cannot stop, put the apps back) from
// the saved run record alone, then conclude and report. Idempotent, and says what it did.
import * as core from '@actions/core'
import { errorMessage } from '../domain/error-message'
import type { Settings } from '../inputs/settings'
import { Journal } from '../record/journal'
import { isSwitchUnsettled, isWindowOpen, type RunRecord } from '../record/record'
import { saveRunRecord } from '../record/state'
import { owed } from '../record/undo'
import type { Clock } from '../runtime/clock'
import { createApis } from './apis'
import { readEndState } from './end-state'
import { concludeFailure } from './outcome'
import { report, warnIfLeftForHeroku, type RunDependencies } from './publish'
import { recoverApp, releaseOwedHold, type RecoveryOutcome } from './recovery'

export async function finishAfterMain(
  record: RunRecord,
  settings: Readonly<Settings>,
  clock: Clock,
  dependencies: RunDependencies,
): Promise<RunRecord> {
  const journal = new Journal(record, saveRunRecord, () => clock.now())
  const unfinished = record.status === 'running'
  const log = (line: string): void => core.info(`Post step:${line}`)
  const stoppedIn = record.steps.at(-1)?.title ?? 'start'
  core.info(
    `Post step: the main step stopped during "${stoppedIn}"${isWindowOpen(record) ? ` while the app was down (window opened ${record.windowOpenedAt})` : ''}.`,
  )
  let recovery: RecoveryOutcome | undefined
  let restoreError: string | undefined
  try {
    const apis = createApis(settings, clock, undefined, dependencies.retryPolicy)
    recovery = await recoverApp(journal, {
      platform: apis.platform,
      data: apis.data,
      clock,
      log,
      pollIntervalMs: settings.pollIntervalMs,
      upgradeTimeoutMs: settings.upgradeTimeoutMs,
    })
    if (recovery.leftDown) core.error(`Post step: ${recovery.leftDown}`)
    else
      core.info(
        recovery.changes.length
          ? `Post step: restored ${recovery.changes.join(', ')}.`
          : 'Post step: formation and maintenance were already as before; nothing changed.',
      )
  } catch (error) {
    restoreError = errorMessage(error)
    core.setFailed(`Post step: could not restore the app: ${restoreError}`)
  }
  // Every fact the recovery learned is saved already; a finished run keeps the end it had.
  if (!unfinished) return record
  journal.failedWith(record.error ?? `The main step was stopped during "${stoppedIn}".`)
  const apis = createApis(settings, clock, undefined, dependencies.retryPolicy)
  await readEndState(journal, apis, clock)
  journal.concluded(concludeFailure(journal.record, { recovery, restoreError, cancelled: true }))
  await releaseOwedHold(journal, apis.platform, clock, (line) => core.warning(`Post step: ${line}`))
  journal.ended()
  await report(journal, settings, dependencies)
  warnIfLeftForHeroku(record)
  if (record.status !== 'succeeded') core.setFailed(record.error ?? 'the upgrade failed')
  return record
}

/**
 * True when the main step left something to finish: an open window, a switch under way, a fence not lifted
 * from the database that serves, or no end at all.
 */
export function mainLeftWork(record: Readonly<RunRecord>): boolean {
  return (
    isWindowOpen(record) ||
    isSwitchUnsettled(record) ||
    owed(record.undo, 'lift-fence').length > 0 ||
    record.status === 'running'
  )
}
