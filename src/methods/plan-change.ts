// plan-change: addons:upgrade on the database itself, keeping the add-on, its attachments and its followers.
// Essential: Heroku changes the plan on its own within a minute, the app up; nothing to open a window for.
// Standard and higher: Heroku prepares a replacement while the app is up (prepare phase), then the
// changeover runs in a window like every other method's: writers stopped, data:maintenances:run, the
// maintenance awaited, the release of the rotated credentials settled, checked, reopened.
import { isFollowing } from '../heroku/database-info'
import { planBlockers } from '../plan/plan-check'
import type { UpgradePlan } from '../plan/upgrade-plan'
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
  targetOf,
  type MethodState,
} from './shared-steps'
import { heldForInPlace, maintenanceOpen, upgradeUnderWay } from './refusals'
import { isEssentialTier, shortPlan } from '../domain/tier'
import { planChangeKeepsVersionRefusal } from '../domain/messages/refusals'
import { changeoverStillPreparingRefusal, noChangeoverOpenRefusal } from '../domain/messages/prepared'

const isEssential = (plan: UpgradePlan): boolean => isEssentialTier(plan.facts.old.tier)

const standard = ({ plan }: MethodState): boolean => !isEssential(plan)

export const planChangeMethod = defineMethod<MethodState>({
  name: 'plan-change',
  refusals: (plan) => {
    const { old } = plan.facts
    const refusals: string[] = []
    if (plan.versionChanges)
      refusals.push(
        planChangeKeepsVersionRefusal({
          version: old.version,
          major: old.major,
          targetVersion: plan.targetVersion,
        }),
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
          ? changeoverStillPreparingRefusal({
              oldName: old.name,
              app: plan.facts.app.name,
              status: open.status,
            })
          : noChangeoverOpenRefusal({ oldName: old.name, targetPlan: shortPlan(plan.targetPlan) }),
      )
    return refusals
  },
  begin: (plan) => ({ plan, target: { id: plan.facts.old.id, name: plan.facts.old.name } }),
  steps: [
    holdStep(),
    {
      name: 'plan-change',
      phase: 'switch',
      undo: ['wait-out'],
      when: ({ plan }) => isEssential(plan),
      title: ({ plan }) =>
        `Changing ${plan.facts.old.name} from ${shortPlan(plan.facts.old.plan)} to ${shortPlan(plan.targetPlan)} (Essential: Heroku changes it within a minute, the app up)`,
      run: async (deps, state, step) => {
        const database = targetOf(state)
        const change = {
          step: 'plan-change' as const,
          addon: database,
          what: `the plan change of ${database.name} to ${shortPlan(state.plan.targetPlan)}`,
        }
        await sendIrreversible(deps, change, () =>
          requestPlanChange(deps, database, state.plan.targetPlan, { essential: true }),
        )
        await waitForEssentialPlanChange(deps, database, state.plan)
        deps.journal.irreversibleEnded()
        step.setDetail(`${database.name} is on ${shortPlan(state.plan.targetPlan)}`)
      },
    },
    {
      name: 'prepare-plan-change',
      phase: 'prepare',
      undo: [],
      when: standard,
      title: ({ plan }) =>
        `Having Heroku prepare ${plan.facts.old.name} on ${shortPlan(plan.targetPlan)} (app still up)`,
      run: async (deps, state, step) => {
        const database = targetOf(state)
        await requestPlanChange(deps, database, state.plan.targetPlan, { essential: false })
        deps.journal.changePrepared({
          kind: 'plan-change',
          addon: database,
          what: `the changeover of ${database.name} to ${shortPlan(state.plan.targetPlan)}`,
        })
        const ready = await waitUntilReady(deps, database, state.plan)
        step.setDetail(
          preparedStepDetail(
            deps,
            await describePreparedChange(
              deps,
              database,
              ready.scheduled_for ?? undefined,
              state.plan.policy.window.end,
            ),
          ),
        )
      },
    },
    onlyWhen(openWindowStep(), standard),
    onlyWhen(writersStopStep({ watch: false, movesData: true }), standard),
    {
      name: 'changeover',
      phase: 'switch',
      undo: ['wait-out'],
      when: standard,
      title: ({ plan }) =>
        `Changing ${plan.facts.old.name} over to ${shortPlan(plan.targetPlan)} (data:maintenances:run; read-only for under a minute)`,
      run: async (deps, state, step) => {
        const database = targetOf(state)
        const change = {
          step: 'changeover' as const,
          addon: database,
          what: `the changeover of ${database.name} to ${shortPlan(state.plan.targetPlan)}`,
        }
        state.releasesBefore = await latestReleaseVersion(deps)
        await sendIrreversible(deps, change, () => startChangeover(deps, database))
        await waitForChangeover(deps, database, state.plan)
        deps.journal.irreversibleEnded()
        step.setDetail(`${database.name} is on ${shortPlan(state.plan.targetPlan)}`)
      },
    },
    {
      name: 'release',
      phase: 'switch',
      undo: [],
      when: standard,
      title: () => 'Waiting for the release that puts the dynos on the rotated credentials',
      run: async (deps, state, step) =>
        step.setDetail(await waitForCredentialsRelease(deps, state.releasesBefore ?? 0)),
    },
    onlyWhen(verifyStep(), standard),
    onlyWhen(verifyCommandStep(), standard),
    onlyWhen(closeWindowStep(), standard),
    {
      name: 'verify',
      phase: 'cleanup',
      undo: [],
      when: ({ plan }) => isEssential(plan),
      title: ({ plan }) =>
        `Verifying DATABASE_URL is ${plan.facts.old.name} on ${shortPlan(plan.targetPlan)}`,
      run: async (deps, state, step) => {
        step.setDetail(await verify(deps, state.plan, targetOf(state)))
      },
    },
    releaseHoldStep(),
  ],
})
