// plan-change: addons:upgrade on the database itself, keeping the add-on, its attachments and its followers.
// Essential: Heroku changes the plan on its own within a minute, the app up; nothing to open a window for.
// Standard and higher: Heroku prepares a replacement while the app is up (prepare phase), then the
// changeover runs in a window like every other method's: writers stopped, data:maintenances:run, the
// maintenance awaited, the release of the rotated credentials settled, checked, reopened.
import { isFollowing } from '../heroku/database-info'
import { planBlockers } from '../plan/plan-check'
import type { UpgradePlan } from '../inspect/types'
import {
  isChangeTo,
  latestReleaseVersion,
  requestPlanChange,
  startChangeover,
  waitForChangeover,
  waitForCredentialsRelease,
  waitForEssentialPlanChange,
  waitUntilReady,
} from '../steps/plan-change'
import { sendIrreversible } from '../steps/upgrade'
import { verify } from '../steps/verify'
import { describePreparedChange } from '../steps/unattended'
import { defineMethod } from './method'
import {
  closeWindowStep,
  holdStep,
  onlyWhen,
  releaseHoldStep,
  openWindowStep,
  preparedStepDetail,
  verifyCommandStep,
  verifyStep,
  writersStopStep,
  type MethodState,
} from './shared-steps'
import { heldForInPlace, maintenanceOpen, upgradeUnderWay } from './refusals'
import { isEssentialTier, shortPlan } from '../domain/tier'

const isEssential = (plan: UpgradePlan): boolean => isEssentialTier(plan.facts.old.tier)

const standard = ({ plan }: MethodState): boolean => !isEssential(plan)

export const planChangeMethod = defineMethod<MethodState>({
  name: 'plan-change',
  refusals: (plan) => {
    const { old } = plan.facts
    const refusals: string[] = []
    if (plan.versionChanges)
      refusals.push(
        `The method "plan-change" keeps the Postgres version (${old.version}), and the target is ${plan.targetVersion ? `PG ${plan.targetVersion}` : 'the newest PG Heroku supports'}. Set "version" to ${old.major} to change only the plan, or use method follower for both.`,
      )
    if (!plan.planChanges)
      refusals.push(`The method "plan-change" needs input "plan" to name another plan than ${old.plan}.`)
    else
      refusals.push(
        ...planBlockers(plan.targetPlan, plan.facts.plans, plan.facts.app, { changeFrom: old.plan }),
      )
    if (isFollowing(old.info)) refusals.push(`${old.name} is a follower; change its leader's plan instead.`)
    refusals.push(...upgradeUnderWay(plan), ...heldForInPlace(plan))
    const open = plan.facts.maintenance
    const ours = open && plan.planChanges && isChangeTo(open, plan.targetPlan)
    if (!ours) refusals.push(...maintenanceOpen(plan))
    if (
      plan.switchOnly &&
      !isEssential(plan) &&
      open?.status !== 'ready' &&
      !(ours && open?.status === 'running')
    )
      refusals.push(
        ours
          ? `Phase "switch" runs the changeover that phase prepare asked for, and Heroku is still preparing it (maintenance ${open.status}). Wait until heroku data:maintenances:info ${old.name} -a ${plan.facts.app.name} shows status ready, then run phase switch again.`
          : `Phase "switch" runs a changeover that phase prepare asked for, and ${old.name} has no plan change to ${shortPlan(plan.targetPlan)} open on Heroku. Run phase prepare first (or phase all).`,
      )
    return refusals
  },
  begin: (plan) => ({ plan, target: { id: plan.facts.old.id, name: plan.facts.old.name } }),
  steps: [
    holdStep(),
    {
      name: 'plan-change',
      phase: 'switch',
      undo: 'irreversible',
      when: ({ plan }) => isEssential(plan),
      title: ({ plan }) =>
        `Changing ${plan.facts.old.name} from ${shortPlan(plan.facts.old.plan)} to ${shortPlan(plan.targetPlan)} (Essential: Heroku changes it within a minute, the app up)`,
      run: async (context, state, step) => {
        const database = state.target!
        const change = {
          step: 'plan-change' as const,
          addon: database,
          what: `the plan change of ${database.name} to ${shortPlan(state.plan.targetPlan)}`,
        }
        await sendIrreversible(context, change, () =>
          requestPlanChange(context, database, state.plan.targetPlan, { essential: true }),
        )
        await waitForEssentialPlanChange(context, database, state.plan.targetPlan)
        step.setDetail(`${database.name} is on ${shortPlan(state.plan.targetPlan)}`)
      },
    },
    {
      name: 'prepare-plan-change',
      phase: 'prepare',
      undo: 'kept-for-resume',
      when: standard,
      title: ({ plan }) =>
        `Having Heroku prepare ${plan.facts.old.name} on ${shortPlan(plan.targetPlan)} (app still up)`,
      run: async (context, state, step) => {
        const database = state.target!
        await requestPlanChange(context, database, state.plan.targetPlan, { essential: false })
        context.record.preparedChange = {
          kind: 'plan-change',
          addon: database,
          what: `the changeover of ${database.name} to ${shortPlan(state.plan.targetPlan)}`,
        }
        context.save()
        const ready = await waitUntilReady(context, database, state.plan.targetPlan)
        step.setDetail(
          preparedStepDetail(
            context,
            await describePreparedChange(context, database, ready.scheduled_for ?? undefined),
          ),
        )
      },
    },
    onlyWhen(openWindowStep(), standard),
    onlyWhen(writersStopStep({ watch: false, movesData: true }), standard),
    {
      name: 'changeover',
      phase: 'switch',
      undo: 'irreversible',
      when: standard,
      title: ({ plan }) =>
        `Changing ${plan.facts.old.name} over to ${shortPlan(plan.targetPlan)} (data:maintenances:run; read-only for under a minute)`,
      run: async (context, state, step) => {
        const database = state.target!
        const change = {
          step: 'changeover' as const,
          addon: database,
          what: `the changeover of ${database.name} to ${shortPlan(state.plan.targetPlan)}`,
        }
        state.releasesBefore = await latestReleaseVersion(context)
        await sendIrreversible(context, change, () => startChangeover(context, database))
        await waitForChangeover(context, database, state.plan.targetPlan)
        step.setDetail(`${database.name} is on ${shortPlan(state.plan.targetPlan)}`)
      },
    },
    {
      name: 'release',
      phase: 'switch',
      undo: 'nothing',
      when: standard,
      title: () => 'Waiting for the release that puts the dynos on the rotated credentials',
      run: async (context, state, step) =>
        step.setDetail(await waitForCredentialsRelease(context, state.releasesBefore ?? 0)),
    },
    onlyWhen(verifyStep(), standard),
    onlyWhen(verifyCommandStep(), standard),
    onlyWhen(closeWindowStep(), standard),
    {
      name: 'verify',
      phase: 'cleanup',
      undo: 'nothing',
      when: ({ plan }) => isEssential(plan),
      title: ({ plan }) =>
        `Verifying DATABASE_URL is ${plan.facts.old.name} on ${shortPlan(plan.targetPlan)}`,
      run: async (context, state, step) => {
        step.setDetail(await verify(context, state.plan, state.target!))
      },
    },
    releaseHoldStep(),
  ],
})
