// The post step: when the main step was killed or cancelled while the app was down, put formation and
// maintenance back from the saved run record. Idempotent, and says what it did.
import * as core from '@actions/core'
import { systemClock } from './clock'
import { report, type RunDependencies } from './main'
import { errorMessage } from './error-message'
import { createApis } from './orchestrator'
import type { RunRecord } from './run-record'
import { readSettings } from './settings'
import { loadRunRecord, saveRunRecord } from './state'
import { describeFormation, restoreApp } from './window'

export async function runPost(dependencies: RunDependencies = {}): Promise<RunRecord | undefined> {
  const record = loadRunRecord()
  if (!record) {
    core.info('Post step: the main step saved no progress, so there is nothing to restore.')
    return undefined
  }
  const windowOpen = record.windowOpenedAt !== undefined && record.windowClosedAt === undefined
  const unfinished = record.status === 'running'
  if (!windowOpen && !unfinished) {
    core.info(
      `Post step: the main step finished (${record.status}); the app was left as it should be, nothing to do.`,
    )
    return record
  }

  const settings = readSettings()
  const clock = dependencies.clock ?? systemClock
  if (windowOpen) {
    core.info(
      `Post step: the main step stopped while the app was down (window opened ${record.windowOpenedAt}). Restoring ${describeFormation(record.formationBefore ?? [])}` +
        `${record.maintenanceBefore === false ? ' and maintenance off' : ''}.`,
    )
    try {
      const platform = createApis(settings, clock, undefined, dependencies.retryPolicy).platform
      const outcome = await restoreApp(
        platform,
        settings.app,
        record.formationBefore,
        record.maintenanceBefore,
      )
      record.windowClosedAt = new Date(clock.now()).toISOString()
      core.info(
        outcome.changes.length
          ? `Post step: restored ${outcome.changes.join(', ')}.`
          : 'Post step: formation and maintenance were already as before; nothing changed.',
      )
    } catch (error) {
      core.setFailed(`Post step: could not restore the app: ${errorMessage(error)}`)
      saveRunRecord(record)
      return record
    }
  }

  if (unfinished) {
    record.status = record.promoted ? 'failed' : windowOpen ? 'rolled-back' : 'failed'
    record.error =
      record.error ?? `The main step was stopped during "${record.steps.at(-1)?.title ?? 'start'}".`
    record.endedAt = new Date(clock.now()).toISOString()
    record.nextSteps = [
      ...(record.nextSteps ?? []),
      record.createdAddon && !record.promoted && !record.createdAddonDetached
        ? `Re-run this workflow: it resumes with the follower ${record.createdAddon}.`
        : record.createdAddon && !record.promoted
          ? `${record.createdAddon} stopped following the old database and cannot be reused: remove it with heroku addons:destroy ${record.createdAddon} -a ${record.app} --confirm ${record.app}, then re-run this workflow.`
          : 'Re-run this workflow to finish the upgrade.',
    ]
    await report(record, settings, dependencies)
  } else saveRunRecord(record)
  return record
}
