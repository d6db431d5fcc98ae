// Runs one step: journals its start and its end, folds its lines under its title in the log, and says how
// it ended with the time it took. Everything else a step does, it does through its own dependencies.
import * as core from '@actions/core'
import { errorMessage } from '../domain/error-message'
import type { Phase, StepName } from '../domain/vocabulary'
import type { Journal } from '../record/journal'
import { isWindowOpen, type RunRecord } from '../record/record'
import type { UndoKind } from '../record/undo'
import type { Clock } from '../runtime/clock'
import type { StepHandle } from '../steps/deps'

export interface StepToRun {
  name: StepName
  title: string
  /** Omitted for steps outside a method's list (the rollback): the phase the run is in. */
  phase?: Phase
  undo?: readonly UndoKind[]
  /** Its number in the log ([3/9]); omitted: [-]. */
  number?: number
  total?: number
}

export async function runStep<T>(
  journal: Journal,
  clock: Clock,
  step: StepToRun,
  run: (handle: StepHandle) => Promise<T>,
): Promise<T> {
  const phase = step.phase ?? phaseNow(journal.record)
  const entry = journal.stepStarted({ name: step.name, phase, title: step.title }, step.undo ?? [])
  const prefix = step.number ? `[${step.number}${step.total ? `/${step.total}` : ''}]` : '[-]'
  const handle: StepHandle = {
    setTitle: (text) => journal.stepRetitled(entry, text),
    setDetail: (text) => journal.stepDetailed(entry, text),
  }
  // Each step's own lines fold under its title; the line that says how it ended stays visible.
  core.startGroup(`${prefix} ${step.title}`)
  const started = clock.now()
  let outcome: 'ok' | 'failed' = 'failed'
  try {
    const result = await run(handle)
    outcome = 'ok'
    if (entry.title !== step.title) core.info(`${prefix} ${entry.title}`)
    return result
  } catch (error) {
    journal.stepDetailed(entry, errorMessage(error))
    throw error
  } finally {
    journal.stepEnded(entry, outcome)
    core.endGroup()
    const seconds = Math.round((clock.now() - started) / 100) / 10
    core.info(
      `${prefix} ${outcome === 'ok' ? 'done' : 'FAILED'} in ${seconds}s${entry.detail ? `: ${entry.detail}` : ''}`,
    )
  }
}

/** A step that is not part of a method's list (the rollback) belongs to the phase the run is in. */
function phaseNow(record: Readonly<RunRecord>): Phase {
  if (isWindowOpen(record)) return 'switch'
  return record.windowClosedAt ? 'cleanup' : 'prepare'
}
