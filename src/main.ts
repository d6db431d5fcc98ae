// The main step: read the settings, run the method, publish the report, fail the step when the run failed.
import * as core from '@actions/core'
import { runUpgrade } from './engine/procedure'
import { report, warnIfLeftForHeroku, type RunDependencies } from './engine/publish'
import { newRunRecord, runMethod, startRun } from './engine/run'
import { formatDuration } from './domain/duration'
import { errorMessage } from './domain/error-message'
import { readSettings, type Settings } from './inputs/settings'
import { watchDowntime } from './plan/window-guards'
import type { RunRecord } from './record/record'
import { markMainStarted } from './record/state'
import { CancelledError, systemClock } from './runtime/clock'

export async function runMain(dependencies: RunDependencies = {}): Promise<RunRecord | undefined> {
  markMainStarted()
  let settings: Readonly<Settings>
  try {
    settings = readSettings()
  } catch (error) {
    core.setOutput('status', 'failed')
    core.setFailed(errorMessage(error))
    return undefined
  }

  const clock = dependencies.clock ?? systemClock
  const controller = new AbortController()
  const stopListening = linkCancellation(controller, dependencies)
  const record = newRunRecord(
    settings,
    settings.method === 'auto' ? 'follower' : settings.method,
    new Date(clock.now()),
  )
  const run = startRun(settings, record, {
    clock,
    signal: controller.signal,
    retryPolicy: dependencies.retryPolicy,
  })

  const stopWatching = watchDowntime(settings, record, clock, (reason) => {
    core.info(`${reason.message}.`)
    controller.abort(reason)
  })
  try {
    await runMethod(run, runUpgrade)
  } finally {
    stopWatching()
    stopListening()
  }

  await report(run.journal, settings, dependencies)
  const downtime = downtimeNotice(record)
  if (downtime) core.notice(downtime)
  warnIfLeftForHeroku(record)
  if (record.status === 'failed' || record.status === 'rolled-back')
    core.setFailed(
      `${record.status === 'rolled-back' ? 'Rolled back: ' : ''}${record.error ?? 'the upgrade failed'}`,
    )
  return record
}

/** The measured downtime, shown on the run's page. */
function downtimeNotice(record: RunRecord): string | undefined {
  if (!record.windowOpenedAt || !record.windowClosedAt) return undefined
  const ms = Date.parse(record.windowClosedAt) - Date.parse(record.windowOpenedAt)
  return `${record.app} was in its maintenance window for ${formatDuration(ms)} (${record.status}).`
}

function linkCancellation(controller: AbortController, dependencies: RunDependencies): () => void {
  const cancel = (reason: string) => (): void => {
    if (!controller.signal.aborted) {
      core.info(`${reason}: stopping, and putting the app back if it is down.`)
      controller.abort(new CancelledError(`The run was cancelled (${reason})`))
    }
  }
  const external = dependencies.signal
  const onExternal = cancel('Cancelled')
  external?.addEventListener('abort', onExternal, { once: true })
  if (external?.aborted) onExternal()
  const onSigint = cancel('SIGINT')
  const onSigterm = cancel('SIGTERM')
  if (dependencies.handleSignals) {
    process.on('SIGINT', onSigint)
    process.on('SIGTERM', onSigterm)
  }
  return () => {
    external?.removeEventListener('abort', onExternal)
    process.off('SIGINT', onSigint)
    process.off('SIGTERM', onSigterm)
  }
}
