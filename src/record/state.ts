// The state helper: the run record is saved after every step (core.saveState writes GITHUB_STATE),
// and the post step reads it back from STATE_runRecord, as the runner provides it.
import * as core from '@actions/core'
import type { RunRecord } from './record'

const IS_POST = 'isPost'
const RUN_RECORD = 'runRecord'

/** True in the post step: the main step saved the flag, and the runner hands it back as STATE_isPost. */
export function isPostStep(): boolean {
  return core.getState(IS_POST) === 'true'
}

export function markMainStarted(): void {
  core.saveState(IS_POST, 'true')
}

export function saveRunRecord(record: RunRecord): void {
  core.saveState(RUN_RECORD, JSON.stringify(record))
}

export function loadRunRecord(): RunRecord | undefined {
  const text = core.getState(RUN_RECORD)
  if (!text) return undefined
  try {
    const record = JSON.parse(text) as RunRecord
    return record.schema === 1 ? record : undefined
  } catch {
    return undefined
  }
}
