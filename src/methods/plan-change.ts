// plan-change: addons:upgrade on the database itself. Heroku builds the replacement while the app is up and
// changes over on its own, in under a minute, keeping the add-on, its attachments and its followers. The
// action opens no window around it: Heroku picks the moment of the changeover (it can be hours after the
// request), so a window would keep the app down for all of the preparation and protect nothing.
import { isFollowing } from '../heroku/database-info'
import { planBlockers } from '../inspect/plan-check'
import { changePlan, waitForPlanChange } from '../steps/plan-change'
import { verify } from '../steps/verify'
import { sendIrreversible } from '../steps/upgrade'
import { defineMethod } from './method'
import type { MethodState } from './shared-steps'
import { upgradeUnderWay } from './refusals'

export const planChangeMethod = defineMethod<MethodState>({
  name: 'plan-change',
  refusals: (plan) => {
    const { old } = plan.facts
    const refusals: string[] = []
    if (plan.versionChanges)
      refusals.push(
        `The method "plan-change" keeps the Postgres version (${old.version}), and the target is PG ${plan.targetVersion ?? 'newest'}. Set "version" to ${old.major} to change only the plan, or use method follower for both.`,
      )
    if (!plan.planChanges)
      refusals.push(`The method "plan-change" needs input "plan" to name another plan than ${old.plan}.`)
    else
      refusals.push(
        ...planBlockers(plan.targetPlan, plan.facts.plans, plan.facts.app, { changeFrom: old.plan }),
      )
    if (isFollowing(old.info)) refusals.push(`${old.name} is a follower; change its leader's plan instead.`)
    refusals.push(...upgradeUnderWay(plan))
    return refusals
  },
  begin: (plan) => ({ plan, target: { id: plan.facts.old.id, name: plan.facts.old.name } }),
  steps: [
    {
      name: 'plan-change',
      phase: 'switch',
      undo: 'irreversible',
      title: ({ plan }) =>
        `Changing ${plan.facts.old.name} from ${plan.facts.old.plan} to ${plan.targetPlan} (app up; Heroku changes over on its own)`,
      run: async (context, state, step) => {
        const database = state.target!
        const change = {
          step: 'plan-change' as const,
          addon: database,
          what: `the plan change of ${database.name} to ${state.plan.targetPlan}`,
        }
        await sendIrreversible(context, change, () => changePlan(context, database, state.plan.targetPlan))
        await waitForPlanChange(context, database, state.plan.targetPlan)
        step.setDetail(`${database.name} is on ${state.plan.targetPlan}`)
      },
    },
    {
      name: 'verify',
      phase: 'cleanup',
      undo: 'nothing',
      title: ({ plan }) => `Verifying DATABASE_URL is ${plan.facts.old.name} on ${plan.targetPlan}`,
      run: async (context, state, step) => {
        step.setDetail(await verify(context, state.plan, state.target!))
      },
    },
  ],
})
