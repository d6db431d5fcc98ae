// The action's outputs, computed from the run record alone.

import { leftForHeroku } from '../record/left-for-heroku'
import { methodKnown } from './format'
import { isPromoted, type DatabaseSnapshot, type RunRecord } from '../record/record'

export type OutputName =
  | 'status'
  | 'method'
  | 'old-database'
  | 'new-database'
  | 'old-version'
  | 'new-version'
  | 'downtime-seconds'
  | 'issue-url'
  | 'plan-id'
  | 'estimated-downtime-seconds'
  | 'heroku-runs-at'

/**
 * Whole seconds between maintenance on and maintenance off. Zero when the window never opened
 * (the app was never down); undefined when it opened and was never closed (not measurable).
 */
export function downtimeSeconds(record: RunRecord): number | undefined {
  if (!record.windowOpenedAt) return 0
  if (!record.windowClosedAt) return undefined
  const ms = Date.parse(record.windowClosedAt) - Date.parse(record.windowOpenedAt)
  return Number.isFinite(ms) ? Math.max(0, Math.round(ms / 1000)) : undefined
}

/** The database that serves DATABASE_URL once the run is over. */
export function servingDatabase(record: RunRecord): DatabaseSnapshot | undefined {
  // A run that ended otherwise read what Heroku says now: that wins over what the run meant to do.
  const end = record.endState
  if (end) {
    const known = [record.newDatabase, record.oldDatabase].find(
      (snapshot) => snapshot?.addonId === end.serving.id && snapshot.version === end.version,
    )
    return (
      known ?? {
        addonId: end.serving.id,
        addonName: end.serving.name,
        plan: end.plan,
        version: end.version,
        attachments: ['DATABASE'],
        info: [],
        capturedAt: end.readAt,
      }
    )
  }
  if (isPromoted(record)) return record.newDatabase
  // In place and plan change keep the add-on: the new snapshot describes it after the run.
  if (record.status === 'succeeded') return record.newDatabase ?? record.oldDatabase
  return record.oldDatabase
}

function servingAddonName(record: RunRecord): string {
  if (record.endState) return record.endState.serving.name
  if (isPromoted(record)) return record.newDatabase?.addonName ?? record.createdAddon ?? ''
  return servingDatabase(record)?.addonName ?? ''
}

/** `running` only reaches the report when the run was interrupted: to a workflow that is a failure. */
function finalStatus(record: RunRecord): string {
  return record.status === 'running' ? 'failed' : record.status
}

export function outputsFor(record: RunRecord): Record<OutputName, string> {
  const downtime = downtimeSeconds(record)
  return {
    status: finalStatus(record),
    // Empty when the run stopped before choosing: the record's method is then only a placeholder.
    method: methodKnown(record) ? record.method : '',
    'old-database': record.oldDatabase?.addonName ?? '',
    'new-database': servingAddonName(record),
    'old-version': record.oldDatabase?.version ?? '',
    'new-version': servingDatabase(record)?.version ?? '',
    'downtime-seconds': downtime === undefined ? '' : String(downtime),
    'issue-url': record.issueUrl ?? '',
    'plan-id': record.plan?.id ?? '',
    'heroku-runs-at': leftForHeroku(record)?.runsAt ?? '',
    'estimated-downtime-seconds': record.plan
      ? String(Math.round(record.plan.estimatedDowntimeMs / 1000))
      : '',
  }
}
