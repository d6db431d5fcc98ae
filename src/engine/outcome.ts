// What a run that did not finish normally ends as, and what a person should do next: a pure function of the
// run record and of what the recovery said. The main step's failure handling and the post step both journal
// what it returns.
import type { RecoveryOutcome } from './recovery'
import type { RunRecord } from '../record/record'
import type { IrreversibleChange } from '../domain/vocabulary'
import type { StepName } from '../domain/vocabulary'
import { planChangedInPlace, upgradedInPlace } from '../record/queries'
import type { Conclusion } from '../record/record'
import { leftForHeroku, leftForHerokuText } from '../record/left-for-heroku'
import {
  destroyCommand,
  maintenanceOffCommand,
  pgInfoCommand,
  promoteCommand,
  scaleCommand,
  upgradeWaitCommand,
} from '../domain/remedies'

export interface FailureFacts {
  recovery?: RecoveryOutcome
  /** Why the app could not be restored, when restoring was tried and failed. */
  restoreError?: string
  /** The run was cancelled or killed (not failed by a step). */
  cancelled: boolean
}

export function concludeFailure(record: Readonly<RunRecord>, facts: FailureFacts): Conclusion {
  const app = record.app
  let status: Conclusion['status']
  const oldName = record.oldDatabase?.addonName ?? 'the old database'
  const newName = record.createdAddon
  const windowWasOpened = record.windowOpenedAt !== undefined
  const restored = windowWasOpened && record.windowClosedAt !== undefined
  const next: string[] = []

  if (facts.recovery?.leftDown) next.push(facts.recovery.leftDown)
  if (facts.restoreError)
    next.push(
      `The app could not be restored automatically (${facts.restoreError}). Restore it by hand: ${restoreCommands(record).join(' && ')}`,
    )

  if (record.irreversibleSent)
    next.push(
      `Whether Heroku received ${record.irreversibleSent.what} could not be found out: check with ${followCommand(record.irreversibleSent, app)} before anything else.`,
    )
  if (record.irreversible) {
    const { addon, what, step } = record.irreversible
    next.push(irreversibleOutcome(record, what, step, addon.name))
    if (record.windowOpenedAt && !restored) next.push(...restoreHint(record))
    return { status: 'failed', nextSteps: next, warnings: [] }
  }
  if (record.switchOutcome === 'live') {
    if (facts.cancelled && restored) {
      const finished = `The run was stopped after the switch had reached the dynos, so it finished the switch: ${app} runs on ${newName ?? 'the new database'}.`
      return { status: 'succeeded', nextSteps: [], warnings: [finished] }
    }
    status = 'failed'
    next.push(
      `${app} runs on ${newName ?? 'the new database'} (DATABASE, its release succeeded); ${oldName} is still there, unchanged by this action.`,
      `To go back to the old database: ${promoteCommand(oldName, app)} (writes made since the switch are not on it).`,
    )
  } else if (record.switchOutcome === 'reverted') {
    status = restored ? 'rolled-back' : 'failed'
    next.push(
      `${oldName} serves ${app} again (DATABASE): the switch was undone before the app reopened, so no write was lost. ${record.switchDetail ?? ''}`.trim(),
    )
    if (newName)
      next.push(
        `${newName} no longer follows ${oldName}: remove it with ${destroyCommand(newName, app)}, then re-run this workflow.`,
      )
  } else if (record.moves?.length) {
    status = 'failed'
    next.push(
      `Which database ${app}'s dynos use could not be confirmed. Check heroku releases -a ${app} and ${pgInfoCommand(app)}; reopen the app only once DATABASE and the latest release agree.`,
    )
  } else {
    // rolled-back only when the app really is back as it was.
    status = windowWasOpened && restored && !record.irreversibleSent ? 'rolled-back' : 'failed'
    if (record.oldDatabase && !record.irreversibleSent)
      next.push(`${oldName} is still the primary database (DATABASE_URL); it was not changed.`)
    const prepared = leftForHeroku(record)
    if (prepared) next.push(leftForHerokuText(record, prepared))
    if (newName && record.createdAddonFailed)
      next.push(
        `The database ${newName} could not be created (Heroku ended it deprovisioned); nothing was left to resume with. Re-run this workflow.`,
      )
    else if (newName && record.method !== 'follower')
      next.push(
        `The new database ${newName} was left in place: a re-run of this workflow run reuses it (the data is copied into it again), or remove it with ${destroyCommand(newName, app)}.`,
      )
    else if (newName && !record.createdAddonDetached)
      next.push(
        `The follower ${newName} was left in place: re-run this workflow run to resume with it, or remove it with ${destroyCommand(newName, app)}.`,
      )
    else if (newName)
      next.push(
        `The database ${newName} stopped following ${oldName} and cannot be reused: remove it with ${destroyCommand(newName, app)}, then re-run this workflow.`,
      )
  }
  return { status, nextSteps: next, warnings: [] }
}

/** What became of a change Heroku accepted, from what Heroku says now when the run could read it. */
function irreversibleOutcome(
  record: Readonly<RunRecord>,
  what: string,
  step: StepName,
  addonName: string,
): string {
  const app = record.app
  const end = record.endState
  const follow = followCommand({ step, addon: { id: '', name: addonName } }, app)
  const was = record.oldDatabase ? `PG ${record.oldDatabase.version} on ${record.oldDatabase.plan}` : ''
  const detail = record.switchDetail ? ` ${record.switchDetail}` : ''
  if (end?.underWay)
    return `${what} was accepted by Heroku and is still running (${end.underWay}); it cannot be stopped and Heroku finishes it on its own. Follow it with ${follow}.${detail}`
  if (end && (upgradedInPlace(record) || (step !== 'upgrade' && planChangedInPlace(record))))
    return `${what} happened: ${end.serving.name} is ${app}'s DATABASE, now PG ${end.version} on ${end.plan}${was ? ` (was ${was})` : ''}. What failed came after it and cannot undo it.`
  if (end)
    return `${what} was accepted by Heroku, but ${end.serving.name} still reports PG ${end.version} on ${end.plan}. Follow it with ${follow}.${detail}`
  const finished = record.steps.some((s) => s.name === step && s.outcome === 'ok')
  return finished
    ? `${what} finished: ${addonName} is ${app}'s DATABASE, as before, on its new ${step === 'upgrade' ? 'version' : 'plan'}. What failed came after it and cannot undo it.`
    : `${what} was accepted by Heroku and cannot be undone; Heroku finishes it on its own. Follow it with ${follow}.${detail}`
}

function followCommand(change: Pick<IrreversibleChange, 'step' | 'addon'>, app: string): string {
  if (change.step === 'upgrade') return upgradeWaitCommand(change.addon.name, app)
  if (change.step === 'changeover') return `heroku data:maintenances:wait ${change.addon.name} -a ${app}`
  return `heroku pg:wait ${change.addon.name} -a ${app}`
}

function restoreHint(record: Readonly<RunRecord>): string[] {
  const commands = restoreCommands(record)
  return commands.length ? [`Once it ended, reopen the app: ${commands.join(' && ')}`] : []
}

function restoreCommands(record: Readonly<RunRecord>): string[] {
  const apps = [
    ...(record.formationBefore
      ? [{ app: record.app, formation: record.formationBefore, maintenance: record.maintenanceBefore }]
      : []),
    ...(record.otherApps ?? []).map((o) => ({
      app: o.app,
      formation: o.formationBefore,
      maintenance: o.maintenanceBefore,
    })),
  ]
  return apps.flatMap(({ app, formation, maintenance }) => [
    ...(formation.length ? [scaleCommand(formation, app)] : []),
    ...(maintenance === false ? [maintenanceOffCommand(app)] : []),
  ])
}
