// One run: the read-only preflight (inspect, judge, choose the method), then the method's steps. Nothing
// changes before every check has passed.
import { inspect } from '../inspect/inspect'
import { appsToMove, commonBlockers, decideTarget, unreachableWriters, writerNotes } from '../inspect/checks'
import { snapshot } from '../inspect/snapshot'
import type { UpgradePlan } from '../inspect/types'
import { resumeNote } from '../methods/follower'
import { chooseMethod, METHODS } from '../methods/registry'
import type { RunContext } from './context'
import type { Method, RunStatus } from './record'

/** The methods that move the app to a new database (the others keep the add-on). */
const NEW_DATABASE: readonly Method[] = ['follower', 'copy', 'backup-restore']

export async function runUpgrade(context: RunContext): Promise<Extract<RunStatus, 'succeeded' | 'skipped'>> {
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
  await METHODS[plan.method].run(context, plan)
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
  }
  if (NEW_DATABASE.includes(choice.method)) {
    blockers.push(...unreachableWriters(facts, target))
    for (const other of appsToMove(facts, target).stay)
      context.warn(
        `${other.name} stays attached to the old database ${old.name} (as ${other.attachments.join(', ')}): it cannot reach a database in ${facts.app.space?.name ?? 'the Private Space'}.${other.owner ? ` It owns ${old.name}, which stays billed to it until you destroy it.` : ''}`,
      )
  }
  const method = METHODS[choice.method]
  blockers.push(...method.refusals(plan))
  context.log(`  Method: ${choice.method} (${choice.reason}).`)
  if (choice.method !== 'plan-change') {
    const notes = writerNotes(facts, settings, plan.otherApps, NEW_DATABASE.includes(choice.method))
    notes.logs.forEach((line) => context.log(line))
    notes.warnings.forEach((line) => context.warn(line))
  }
  method.warnings(plan).forEach((line) => context.warn(line))
  if (blockers.length > 0)
    throw new Error(
      blockers.length === 1
        ? blockers[0]
        : `Preflight found ${blockers.length} problems:\n- ${blockers.join('\n- ')}`,
    )
  if (choice.method === 'follower') {
    const note = resumeNote(plan)
    if (note) context.log(note)
  }
  if (NEW_DATABASE.includes(choice.method)) {
    facts.notes.forEach((line) => context.warn(line))
    record.leftovers = facts.leftovers
  }
  return plan
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
