// The post step: when the main step was killed or cancelled before it finished, settle the switch if one
// was under way and put the apps back, from the saved run record alone. Idempotent, and says what it did.
import * as core from '@actions/core'
import { systemClock } from './runtime/clock'
import { errorMessage } from './domain/error-message'
import { concludeFailure } from './engine/outcome'
import { holdMayGo, readEndState } from './engine/end-state'
import { releaseHold } from './steps/hold'
import { report, warnIfLeftForHeroku, type RunDependencies } from './main'
import { createApis } from './engine/orchestrator'
import { recoverApp, type RecoveryOutcome } from './engine/recovery'
import { isSwitchUnsettled, isWindowOpen, type RunRecord } from './record/record'
import { readSettings } from './inputs/settings'
import { loadRunRecord, saveRunRecord } from './record/state'

export async function runPost(dependencies: RunDependencies = {}): Promise<RunRecord | undefined> {
  const record = loadRunRecord()
  if (!record) {
    core.info('Post step: the main step saved no progress, so there is nothing to restore.')
    return undefined
  }
  const unfinished = record.status === 'running'
  if (!isWindowOpen(record) && !isSwitchUnsettled(record) && !unfinished) {
    core.info(
      `Post step: the main step finished (${record.status}); the app was left as it should be, nothing to do.`,
    )
    return record
  }

  const settings = readSettings()
  const clock = dependencies.clock ?? systemClock
  core.info(
    `Post step: the main step stopped during "${record.steps.at(-1)?.title ?? 'start'}"${isWindowOpen(record) ? ` while the app was down (window opened ${record.windowOpenedAt})` : ''}.`,
  )
  let recovery: RecoveryOutcome | undefined
  let restoreError: string | undefined
  try {
    const apis = createApis(settings, clock, undefined, dependencies.retryPolicy)
    recovery = await recoverApp(record, {
      platform: apis.platform,
      data: apis.data,
      clock,
      log: (line) => core.info(`Post step:${line}`),
      save: () => saveRunRecord(record),
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

  if (unfinished) {
    record.error =
      record.error ?? `The main step was stopped during "${record.steps.at(-1)?.title ?? 'start'}".`
    const apis = createApis(settings, clock, undefined, dependencies.retryPolicy)
    await readEndState(record, apis, clock)
    concludeFailure(record, { recovery, restoreError, cancelled: true })
    if (holdMayGo(record))
      await releaseHold(apis.platform, record, { clock, save: () => saveRunRecord(record) }).catch(
        (error: unknown) =>
          core.warning(
            `Post step: could not release the hold ${record.hold?.attachment} (${errorMessage(error)}): release it with heroku addons:detach ${record.hold?.attachment} -a ${record.app}.`,
          ),
      )
    record.endedAt = new Date(clock.now()).toISOString()
    await report(record, settings, dependencies)
    warnIfLeftForHeroku(record)
    if (record.status !== 'succeeded') core.setFailed(record.error)
  } else saveRunRecord(record)
  return record
}
