// One run: the read-only preflight (inspect, judge, choose the method, plan), then the method's steps, all
// of them or the phase asked for. Nothing changes before every check has passed.
import { inspect } from '../inspect/inspect'
import {
  appsToMove,
  commonBlockers,
  decideTarget,
  unreachableWriters,
  writerNotes,
  type Target,
} from '../plan/checks'
import { changesSince, planIdOf } from '../plan/plan-id'
import { snapshot } from '../inspect/snapshot'
import type { Inspection, UpgradePlan } from '../inspect/types'
import { resumeNote } from '../methods/follower'
import { chooseMethod, METHODS } from '../methods/registry'
import { runOfHold } from '../domain/identity'
import type { RunContext } from '../steps/context'
import type { PlanReport } from '../record/record'
import type { Method, RunStatus } from '../domain/vocabulary'
import { windowTooLong } from '../plan/window-guards'
import { storageRefusal } from '../plan/storage'
import type { Settings } from '../inputs/settings'
import { shortPlan } from '../domain/tier'

/** The methods that move the app to a new database (the others keep the add-on). */
export const NEW_DATABASE: readonly Method[] = ['follower', 'copy', 'backup-restore']

export type EndStatus = Extract<RunStatus, 'succeeded' | 'skipped' | 'planned' | 'prepared'>

export async function runUpgrade(context: RunContext): Promise<EndStatus> {
  const { settings } = context
  const plan = await context.step(
    'preflight',
    `Preflight (read-only): ${settings.app}, database ${settings.database}`,
    async (step) => {
      const result = await preflight(context)
      step.setTitle(preflightTitle(result))
      return result
    },
    { phase: 'prepare', number: 1 },
  )
  if (!plan) return 'skipped'
  if (settings.phase === 'plan') return 'planned'
  const method = METHODS[plan.method]
  if (settings.phase === 'prepare') {
    await method.run(context, plan, 'prepare')
    const prepared = method.plannedSteps(plan, context).filter((step) => step.phase === 'prepare')
    context.log(
      prepared.length
        ? `Prepared with the app up; run phase switch (with the same inputs) to do the rest.`
        : `${plan.method} has nothing to prepare with the app up; run phase switch to do it.`,
    )
    return 'prepared'
  }
  await method.run(context, plan)
  return 'succeeded'
}

/** The plan, or undefined when the database is already on the target version and plan. */
async function preflight(context: RunContext): Promise<UpgradePlan | undefined> {
  const { settings, record } = context
  const facts = await inspect(context)
  const { old } = facts
  record.oldDatabase = snapshot(
    old.id,
    old.name,
    old.plan,
    old.info,
    facts.appAttachments,
    [{ url: old.info.resource_url, name: old.name }],
    context.clock,
  )
  const blockers = commonBlockers(facts, settings)
  const target = decideTarget(facts, settings, blockers)
  if (!target.versionChanges && !target.planChanges && blockers.length === 0) {
    context.log(`${old.name} is already on PG ${old.version} and plan ${old.plan}: nothing to do.`)
    return undefined
  }
  const choice = chooseMethod(settings.method, facts, target)
  record.method = choice.method
  record.choice = choice
  const plan: UpgradePlan = {
    facts,
    method: choice.method,
    ...target,
    otherApps: choice.method === 'plan-change' ? [] : appsToMove(facts, target).move,
    adoptsHold: settings.phase === 'switch' && adoptable(facts),
    switchOnly: settings.phase === 'switch',
  }
  const method = METHODS[choice.method]
  blockers.push(...method.refusals(plan))
  if (plan.planChanges) {
    const tooSmall = storageRefusal(plan.targetPlan, facts.old.sizeBytes, facts.old.name)
    if (tooSmall) blockers.push(tooSmall)
  }
  blockers.push(...checkWithoutStep(context, plan))
  if (NEW_DATABASE.includes(choice.method)) blockers.push(...unreachableWriters(facts, target))
  if (settings.planId) blockers.push(...planChanged(settings.planId, facts, target, choice.method, settings))
  if (settings.phase !== 'plan' && settings.phase !== 'prepare') {
    const tooLong = windowTooLong(settings, choice.downtimeMs, context.clock.now())
    if (tooLong) blockers.push(tooLong)
  }
  say(context, plan)
  record.plan = planReport(context, plan, target, blockers)
  if (blockers.length > 0)
    throw new Error(
      blockers.length === 1
        ? blockers[0]
        : `Preflight found ${blockers.length} problems:\n- ${blockers.join('\n- ')}`,
    )
  if (NEW_DATABASE.includes(choice.method)) record.leftovers = facts.leftovers
  return plan
}

/** What a person should hear before anything changes: the choice, the writers, the method's own warnings. */
function say(context: RunContext, plan: UpgradePlan): void {
  const { settings } = context
  const { facts } = plan
  const choice = context.record.choice!
  context.log(`  Method: ${choice.method} (${choice.reason}).`)
  if (plan.method !== 'plan-change') {
    const notes = writerNotes(facts, settings, plan.otherApps, NEW_DATABASE.includes(plan.method))
    notes.logs.forEach((line) => context.log(line))
    notes.warnings.forEach((line) => context.warn(line))
  }
  if (NEW_DATABASE.includes(plan.method)) {
    facts.notes.forEach((line) => context.warn(line))
    for (const other of appsToMove(facts, plan).stay)
      context.warn(
        `${other.name} stays attached to the old database ${facts.old.name} (as ${other.attachments.join(', ')}): it cannot reach a database in ${facts.app.space?.name ?? 'the Private Space'}.${other.owner ? ` It owns ${facts.old.name}, which stays billed to it until you destroy it.` : ''}`,
      )
  }
  METHODS[plan.method].warnings(plan).forEach((line) => context.warn(line))
  if (plan.method === 'follower') {
    const note = resumeNote(plan)
    if (note) context.log(note)
  }
  if (plan.adoptsHold && facts.hold.found)
    context.log(
      `  Taking over ${facts.hold.found.attachment.addon.name}, which the prepare phase of workflow run ${runOfHold(facts.hold.found.attachment.addon.name)} made.`,
    )
}

/** phase switch continues what another workflow run's prepare phase made (its database carries its run). */
function adoptable(facts: Inspection): boolean {
  const found = facts.hold.found
  return (
    found !== undefined &&
    found.attachment.addon.name !== facts.hold.name &&
    runOfHold(found.attachment.addon.name) !== undefined
  )
}

/** verify-command runs only as a step of the method's window: a method without one refuses the input. */
function checkWithoutStep(context: RunContext, plan: UpgradePlan): string[] {
  if (context.settings.verifyCommand === undefined) return []
  const steps = METHODS[plan.method].plannedSteps(plan, context)
  if (steps.some((step) => step.name === 'verify-command')) return []
  return [
    `Input "verify-command" is set, but method ${plan.method} has no step that runs it: Heroku carries out the change on its own with the app up, so a failed check could not stop or undo anything. Remove verify-command, or choose a method with a window (follower, copy, backup-restore, in-place).`,
  ]
}

function planChanged(
  approved: string,
  facts: Inspection,
  target: Target,
  method: Method,
  inputs: Readonly<Settings>,
): string[] {
  const now = planIdOf(facts, target, method, inputs)
  if (now === approved) return []
  const changed = changesSince(approved, facts, target, method, inputs)
  return [
    `Input "plan-id" is ${approved}, but the plan made now is ${now}: since it was approved, ${changed.length ? changed.join(', ') : 'its facts'} changed. Nothing was done; run phase plan again and have it approved.`,
  ]
}

function planReport(context: RunContext, plan: UpgradePlan, target: Target, blockers: string[]): PlanReport {
  const { settings, record } = context
  const carried = carryOverPlan(settings, plan)
  return {
    id: planIdOf(plan.facts, target, plan.method, settings),
    target: describeTarget(settings, plan),
    estimatedDowntimeMs: record.choice!.downtimeMs,
    steps: METHODS[plan.method].plannedSteps(plan, context),
    blockers: [...blockers],
    ...carried,
  }
}

/** What the switch and the carry-over will move to the new database, and what stays with the old one. */
function carryOverPlan(
  settings: Readonly<Settings>,
  plan: UpgradePlan,
): Pick<PlanReport, 'carriedOver' | 'staysBehind'> {
  const { facts } = plan
  if (!NEW_DATABASE.includes(plan.method))
    return {
      carriedOver: [
        `everything: ${plan.method} keeps the add-on ${facts.old.name}, its attachments, credentials, schedules and followers`,
      ],
      staysBehind: [],
    }
  const { leftovers } = facts
  const carriedOver = [
    `DATABASE, and every other alias and pooler of ${facts.old.name} on ${facts.app.name} (its HEROKU_POSTGRESQL_* alias stays with it)`,
  ]
  const staysBehind: string[] = []
  const moved = new Set(plan.otherApps)
  for (const other of facts.otherApps)
    (moved.has(other.name) ? carriedOver : staysBehind).push(`${other.name}::${other.attachments.join(', ')}`)
  carriedOver.push(...leftovers.credentials.map((name) => `credential ${name} (recreated: a new password)`))
  if (leftovers.backupSchedule) carriedOver.push('the backup schedule (recreated at the same hour)')
  for (const follower of leftovers.followers)
    (settings.recreateFollowers ? carriedOver : staysBehind).push(
      `follower ${follower}${settings.recreateFollowers ? ' (recreated on the new database)' : ''}`,
    )
  return { carriedOver, staysBehind }
}

/** The target as an approver reads it, with the reason for its version. */
function describeTarget(settings: Readonly<Settings>, plan: UpgradePlan): string {
  const { old } = plan.facts
  const why = settings.keepVersion
    ? ' (version is empty and plan is set: a plan change keeps the major version)'
    : settings.version === undefined
      ? ' (the newest Heroku supports)'
      : ''
  const version = plan.versionChanges
    ? plan.targetVersion
      ? `PG ${plan.targetVersion}${settings.version === undefined ? why : ''}`
      : 'the newest PG Heroku supports'
    : `PG ${old.major}, kept${settings.keepVersion ? why : ''}`
  return `${version}, on ${shortPlan(plan.targetPlan)}`
}

function preflightTitle(plan: UpgradePlan | undefined): string {
  if (!plan) return 'Preflight (read-only): already at the target'
  const { old } = plan.facts
  const version = plan.versionChanges
    ? `PG ${old.major} → ${plan.targetVersion ?? 'newest'}`
    : `PG ${old.major} kept`
  const planChange = plan.planChanges ? `plan → ${plan.targetPlan}` : 'plan unchanged'
  return `Preflight (read-only): ${old.name} on ${old.plan}, PG ${old.version}; ${version}, ${planChange}; method ${plan.method}`
}
