// The main step: read the settings, run the method, publish the report, fail the step when the run failed.
import * as core from '@actions/core'
import { CancelledError, systemClock, type Clock } from './runtime/clock'
import type { RetryPolicy } from './heroku/retry'
import { runUpgrade } from './engine/procedure'
import { watchDowntime } from './plan/window-guards'
import { formatDuration } from './domain/duration'
import { errorMessage } from './domain/error-message'
import { createContext, newRunRecord, runMethod } from './engine/orchestrator'
import { publishReport } from './report/index'
import { leftForHeroku, leftForHerokuText } from './report/left-for-heroku'
import type { RunRecord } from './record/record'
import { readSettings, type Settings } from './inputs/settings'
import { markMainStarted, saveRunRecord } from './record/state'

export interface RunDependencies {
  clock?: Clock
  /** Aborting it behaves like SIGINT/SIGTERM from the runner. */
  signal?: AbortSignal
  retryPolicy?: Partial<RetryPolicy>
  /** Backoff of the GitHub client (tests use a short one). */
  githubRetryDelayMs?: number
  /** Listen to SIGINT/SIGTERM (the real entry point does; in-process tests do not). */
  handleSignals?: boolean
}

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
  const context = createContext(settings, record, {
    clock,
    signal: controller.signal,
    retryPolicy: dependencies.retryPolicy,
  })

  const stopWatching = watchDowntime(settings, record, clock, (reason) => {
    core.info(`${reason.message}.`)
    controller.abort(reason)
  })
  try {
    await runMethod(context, runUpgrade)
  } finally {
    stopWatching()
    stopListening()
  }

  await report(record, settings, dependencies)
  const downtime = downtimeNotice(record)
  if (downtime) core.notice(downtime)
  warnIfLeftForHeroku(record)
  if (record.status === 'failed' || record.status === 'rolled-back')
    core.setFailed(
      `${record.status === 'rolled-back' ? 'Rolled back: ' : ''}${record.error ?? 'the upgrade failed'}`,
    )
  return record
}

/** A prepared change Heroku will run by itself, shown on the run's page as well as in the summary. */
export function warnIfLeftForHeroku(record: RunRecord): void {
  const left = leftForHeroku(record)
  if (left) core.warning(leftForHerokuText(record, left))
}

/** The measured downtime, shown on the run's page. */
function downtimeNotice(record: RunRecord): string | undefined {
  if (!record.windowOpenedAt || !record.windowClosedAt) return undefined
  const ms = Date.parse(record.windowClosedAt) - Date.parse(record.windowOpenedAt)
  return `${record.app} was in its maintenance window for ${formatDuration(ms)} (${record.status}).`
}

export async function report(
  record: RunRecord,
  settings: Readonly<Settings>,
  dependencies: RunDependencies,
): Promise<void> {
  try {
    const { issueUrl } = await publishReport(record, {
      githubToken: settings.githubToken,
      githubApiUrl: settings.githubApiUrl,
      repository: settings.repository,
      followUpIssue: settings.followUpIssue,
      issueLabels: settings.issueLabels,
      issueAssignees: settings.issueAssignees,
      secrets: [settings.apiKey],
      githubRetryDelayMs: dependencies.githubRetryDelayMs,
    })
    if (issueUrl) record.issueUrl = issueUrl
  } catch (error) {
    core.warning(`Could not publish the report: ${errorMessage(error)}`)
  }
  saveRunRecord(record)
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
