// The post step's entry: read the record the main step saved and, when it left work behind (it was killed
// or cancelled), finish it: see engine/post-step.ts.
import * as core from '@actions/core'
import { finishAfterMain, mainLeftWork } from './engine/post-step'
import type { RunDependencies } from './engine/publish'
import { readSettings } from './inputs/settings'
import type { RunRecord } from './record/record'
import { loadRunRecord } from './record/state'
import { systemClock } from './runtime/clock'

export async function runPost(dependencies: RunDependencies = {}): Promise<RunRecord | undefined> {
  const record = loadRunRecord()
  if (!record) {
    core.info('Post step: the main step saved no progress, so there is nothing to restore.')
    return undefined
  }
  if (!mainLeftWork(record)) {
    core.info(
      `Post step: the main step finished (${record.status}); the app was left as it should be, nothing to do.`,
    )
    return record
  }
  return finishAfterMain(record, readSettings(), dependencies.clock ?? systemClock, dependencies)
}
