// The read-only preflight: inspect, judge, choose the method, plan. Nothing changes before every check has
// passed; what it found is journaled, and the plan it returns carries the policy the steps read.
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
import type { Inspection } from '../inspect/types'
import type { UpgradePlan } from '../plan/upgrade-plan'
import { resumeNote } from '../methods/follower'
import { chooseMethod, METHODS } from '../methods/registry'
import { runOfHold } from '../domain/identity'
import type { MethodChoice, PlanReport } from '../record/record'
import type { Method } from '../domain/vocabulary'
import { readOnlyWindowRefusal, windowTooLong } from '../plan/window-guards'
import { storageRefusal } from '../plan/storage'
import { resolvePolicy } from '../inputs/policy'
import { decideFence } from './fence-decision'
import type { Settings } from '../inputs/settings'
import { shortPlan } from '../domain/tier'
import type { Run } from './run'
import { staysAttachedWarning } from '../domain/messages/other-apps'
import { planIdChangedRefusal, verifyCommandWithoutStepRefusal } from '../domain/messages/refusals'

/** The methods that move the app to a new database (the others keep the add-on). */
export const NEW_DATABASE: readonly Method[] = ['follower', 'copy', 'backup-restore']

/** The plan, or undefined when the database is already on the target version and plan. */
export async function preflight(run: Run): Promise<UpgradePlan | undefined> {
  const { settings, journal, deps } = run
  const facts = await inspect({ api: deps.api, app: settings.app, database: settings.database })
  const { old } = facts
  journal.oldDatabaseRead(
    snapshot(
      old.id,
      old.name,
      old.plan,
      old.info,
      facts.appAttachments,
      [{ url: old.info.resource_url, name: old.name }],
      deps.clock,
    ),
  )
  const blockers = commonBlockers(facts, settings)
  const target = decideTarget(facts, settings, blockers)
  if (!target.versionChanges && !target.planChanges && blockers.length === 0) {
    deps.log(`${old.name} is already on PG ${old.version} and plan ${old.plan}: nothing to do.`)
    return undefined
  }
  const choice = chooseMethod(settings.method, facts, target, settings.window)
  journal.methodChosen(choice)
  const fence = await decideFence(settings.fence, facts, choice.method, deps.api.platform)
  const plan: UpgradePlan = {
    facts,
    policy: resolvePolicy(settings),
    method: choice.method,
    ...target,
    otherApps: choice.method === 'plan-change' ? [] : appsToMove(facts, target).move,
    adoptsHold: settings.phase === 'switch' && adoptable(facts),
    switchOnly: settings.phase === 'switch',
    fence: fence.plan,
  }
  const method = METHODS[choice.method]
  blockers.push(...method.refusals(plan))
  if (plan.planChanges) {
    const tooSmall = storageRefusal(plan.targetPlan, facts.old.sizeBytes, facts.old.name)
    if (tooSmall) blockers.push(tooSmall)
  }
  blockers.push(...checkWithoutStep(settings, plan))
  if (fence.refusal) blockers.push(fence.refusal)
  const readOnly = readOnlyWindowRefusal(plan)
  if (readOnly) blockers.push(readOnly)
  // A read-only window refused for want of the fence says why itself: the notice's advice would not help.
  if (fence.notice && !readOnly) deps.log(`  ${fence.notice}`)
  if (fence.warning) deps.warn(fence.warning)
  if (fence.plan.use)
    deps.log(`  Write fence: on, through ${fence.plan.attachment}_URL (fence: ${settings.fence}).`)
  if (NEW_DATABASE.includes(choice.method)) blockers.push(...unreachableWriters(facts, target))
  if (settings.planId) blockers.push(...planChanged(settings.planId, facts, target, choice.method, settings))
  if (settings.phase !== 'plan' && settings.phase !== 'prepare') {
    const tooLong = windowTooLong(settings, choice.downtimeMs, deps.clock.now())
    if (tooLong) blockers.push(tooLong)
  }
  say(run, choice, plan)
  journal.planned(planReport(settings, choice, plan, target, blockers))
  if (blockers.length > 0)
    throw new Error(
      blockers.length === 1
        ? blockers[0]
        : `Preflight found ${blockers.length} problems:\n- ${blockers.join('\n- ')}`,
    )
  if (NEW_DATABASE.includes(choice.method)) journal.leftoversFound(facts.leftovers)
  return plan
}

/** What a person should hear before anything changes: the choice, the writers, the method's own warnings. */
function say(run: Run, choice: MethodChoice, plan: UpgradePlan): void {
  const { settings, deps } = run
  const { facts } = plan
  deps.log(`  Method: ${choice.method} (${choice.reason}).`)
  if (plan.method !== 'plan-change') {
    const notes = writerNotes(facts, settings, plan.otherApps, NEW_DATABASE.includes(plan.method))
    notes.logs.forEach((line) => deps.log(line))
    notes.warnings.forEach((line) => deps.warn(line))
  }
  if (NEW_DATABASE.includes(plan.method)) {
    facts.notes.forEach((line) => deps.warn(line))
    for (const other of appsToMove(facts, plan).stay)
      deps.warn(
        staysAttachedWarning({
          app: other.name,
          oldName: facts.old.name,
          attachments: other.attachments,
          space: facts.app.space?.name,
          owner: other.owner,
        }),
      )
  }
  METHODS[plan.method].warnings(plan).forEach((line) => deps.warn(line))
  if (plan.method === 'follower') {
    const note = resumeNote(plan)
    if (note) deps.log(note)
  }
  if (plan.adoptsHold && facts.hold.found)
    deps.log(
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
function checkWithoutStep(settings: Readonly<Settings>, plan: UpgradePlan): string[] {
  if (settings.verifyCommand === undefined) return []
  const steps = METHODS[plan.method].steps(plan)
  if (steps.some((step) => step.name === 'verify-command')) return []
  return [verifyCommandWithoutStepRefusal(plan.method)]
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
  return [planIdChangedRefusal({ approved, now, changed })]
}

function planReport(
  settings: Readonly<Settings>,
  choice: MethodChoice,
  plan: UpgradePlan,
  target: Target,
  blockers: string[],
): PlanReport {
  const carried = carryOverPlan(settings, plan)
  return {
    id: planIdOf(plan.facts, target, plan.method, settings),
    target: describeTarget(settings, plan),
    estimatedDowntimeMs: choice.downtimeMs,
    steps: METHODS[plan.method].steps(plan).map(({ name, phase, title }) => ({ name, phase, title })),
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

export function preflightTitle(plan: UpgradePlan | undefined): string {
  if (!plan) return 'Preflight (read-only): already at the target'
  const { old } = plan.facts
  const version = plan.versionChanges
    ? `PG ${old.major} → ${plan.targetVersion ?? 'newest'}`
    : `PG ${old.major} kept`
  const planChange = plan.planChanges ? `plan → ${plan.targetPlan}` : 'plan unchanged'
  return `Preflight (read-only): ${old.name} on ${old.plan}, PG ${old.version}; ${version}, ${planChange}; method ${plan.method}`
}
