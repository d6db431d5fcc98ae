// follower: a follower on the target plan, caught up while the app is up; then a short window: every
// writer stopped, 0 commits behind, the follower upgraded (or unfollowed when only the plan changes),
// promoted, the releases confirmed, verified, the app restored.
import { behindBy, follows, isFollowing } from '../heroku/database-info'
import { heldByAnotherRun } from '../plan/checks'
import { destroyCommand } from '../domain/remedies'
import { planBlockers } from '../plan/plan-check'
import { allowsFollowers } from '../domain/tier'
import type { UpgradePlan } from '../plan/upgrade-plan'
import { catchUp } from '../steps/catch-up'
import { CATCH_UP_GATE_COMMITS, readLag } from '../steps/database-waits'
import { provisionFollower } from '../steps/provision'
import { unfollowFollower, upgradeFollower } from '../steps/upgrade'
import { DetachedWatch } from '../steps/detached-watch'
import { waitForQuiet } from '../steps/window-steps'
import { defineMethod } from './method'
import {
  fenceStep,
  openWindowStep,
  switchSteps,
  targetName,
  targetOf,
  watchOf,
  type MethodState,
} from './shared-steps'
import { heldInPlaceByAnother, maintenanceOpen, upgradeUnderWay } from './refusals'
import { staleFollowerRefusal } from '../domain/messages/holds'

interface FollowerState extends MethodState {
  catchUpDeadline?: number
}

export const followerMethod = defineMethod<FollowerState>({
  name: 'follower',
  refusals: (plan) => [
    ...tierRefusals(plan),
    ...(plan.planChanges ? planBlockers(plan.targetPlan, plan.facts.plans, plan.facts.app, 'follower') : []),
    ...upgradeUnderWay(plan),
    ...maintenanceOpen(plan),
    ...heldInPlaceByAnother(plan),
    ...resumeRefusals(plan),
  ],
  begin: (plan) => ({ plan }),
  steps: [
    {
      name: 'provision',
      phase: 'prepare',
      undo: [],
      title: ({ plan }) =>
        plan.facts.hold.found
          ? `Resuming with follower ${plan.facts.hold.found.attachment.addon.name} (${plan.facts.hold.attachment}), created by an earlier run`
          : `Creating a follower of ${plan.facts.old.name} on ${plan.targetPlan}, named ${plan.facts.hold.name}`,
      run: async (deps, state, step) => {
        state.catchUpDeadline = deps.clock.now() + state.plan.policy.timeouts.catchUp.ms
        state.target = await provisionFollower(deps, state.plan)
        step.setDetail(`${state.target.name} is provisioned, as ${state.plan.facts.hold.attachment}`)
      },
    },
    {
      name: 'catch-up',
      phase: 'prepare',
      undo: [],
      title: (state) => `Waiting for ${targetName(state)} to catch up (app still up)`,
      run: async (deps, state, step) =>
        step.setDetail(
          caughtUpDetail(await catchUp(deps, state.plan, targetOf(state), state.catchUpDeadline ?? 0)),
        ),
    },
    openWindowStep(),
    fenceStep(),
    {
      name: 'final-catch-up',
      phase: 'switch',
      undo: [],
      title: (state) => `Waiting for every writer to stop and ${targetName(state)} to be behind by 0 commits`,
      run: async (deps, state, step) => {
        step.setDetail(
          await waitForQuiet(deps, state.plan, () => readLag(deps, targetOf(state)), { movesData: true }),
        )
        state.watch = new DetachedWatch(deps, state.plan.policy.window)
      },
    },
    {
      name: 'upgrade',
      phase: 'switch',
      undo: [],
      when: ({ plan }) => plan.versionChanges,
      title: (state) =>
        `Upgrading ${targetName(state)} to ${state.plan.targetVersion ? `PG ${state.plan.targetVersion}` : 'the newest PG Heroku supports'}`,
      run: async (deps, state, step) =>
        step.setDetail(await upgradeFollower(deps, state.plan, targetOf(state), watchOf(state))),
    },
    {
      name: 'unfollow',
      phase: 'switch',
      undo: [],
      when: ({ plan }) => !plan.versionChanges,
      title: (state) => `Unfollowing ${targetName(state)} (plan change only)`,
      run: async (deps, state, step) =>
        step.setDetail(await unfollowFollower(deps, state.plan, targetOf(state), watchOf(state))),
    },
    ...switchSteps<FollowerState>(),
  ],
})

/**
 * The catch-up ends once the follower is close enough to open the window, not at 0 commits: a "done" beside
 * "behind by 130 commits" reads as a contradiction unless it says so. The last commits drain in the window.
 */
export function caughtUpDetail(detail: string): string {
  const match = /^behind by (\d+) commits(.*)$/s.exec(detail)
  if (!match) return detail
  const lag = Number(match[1])
  if (lag === 0) return `caught up: behind by 0 commits${match[2]}`
  return `close enough to open the window: behind by ${lag} commits at the last reading (at most ${CATCH_UP_GATE_COMMITS}, or no longer falling); the rest drains in the window${match[2]}`
}

function tierRefusals({ facts }: UpgradePlan): string[] {
  const { old } = facts
  const refusals: string[] = []
  if (!allowsFollowers(old.tier))
    refusals.push(
      `The method "follower" needs a Standard, Premium, Private or Shield database; ${old.name} is on ${old.plan} (${old.tier}), which cannot have followers.`,
    )
  if (isFollowing(old.info))
    refusals.push(
      `${old.name} is itself a follower; upgrade its leader instead (followers cannot follow a follower).`,
    )
  return refusals
}

/** A follower this action created earlier (found by its fixed attachment name) is resumed with, when it can be. */
function resumeRefusals({ facts, targetPlan, adoptsHold }: UpgradePlan): string[] {
  const found = facts.hold.found
  if (!found) return []
  const app = facts.app.name
  const { addon } = found.attachment
  const destroy = destroyCommand(addon.name, app)
  if (addon.name !== facts.hold.name && !adoptsHold)
    return [heldByAnotherRun(addon.name, facts.hold.attachment, facts.old.name, app)]
  const plan = addon.plan?.name
  if (plan && plan !== targetPlan)
    return [
      `An earlier run left the follower ${addon.name} (${facts.hold.attachment}) on plan ${plan}, but the target plan is ${targetPlan}. Remove it (${destroy}) or set "plan" to ${plan}.`,
    ]
  if (!found.info || follows(found.info, { addonId: facts.old.id, info: facts.old.info })) return []
  return [
    staleFollowerRefusal({
      addon: addon.name,
      attachment: facts.hold.attachment,
      oldName: facts.old.name,
      app,
    }),
  ]
}

/** Logged in preflight when a follower from an earlier run is picked up. */
export function resumeNote({ facts }: UpgradePlan): string | undefined {
  const found = facts.hold.found
  if (!found?.info) return undefined
  const lag = behindBy(found.info)
  return `  Found the follower ${found.attachment.addon.name} (${facts.hold.attachment}) from an earlier run${lag !== undefined ? `, behind by ${lag} commits` : ''}: resuming with it.`
}
