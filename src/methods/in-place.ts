// in-place: Heroku upgrades the database itself, keeping its add-on, attachments, credentials, schedules
// and followers (which it upgrades with it). Essential: upgrade/run in the window. Standard and higher:
// upgrade/prepare while the app is up, wait until Heroku says it is prepared, then upgrade/run in the window.
import { isFollowing } from '../heroku/database-info'
import type { UpgradePlan } from '../plan/upgrade-plan'
import { prepareInPlace, upgradeInPlace } from '../steps/upgrade'
import { defineMethod } from './method'
import { heldForInPlace, maintenanceOpen } from './refusals'
import {
  closeWindowStep,
  holdStep,
  liftFenceStep,
  fenceStep,
  openWindowStep,
  preparedStepDetail,
  releaseHoldStep,
  verifyCommandStep,
  verifyStep,
  writersStopStep,
  targetOf,
  type MethodState,
} from './shared-steps'
import { isEssentialTier } from '../domain/tier'
import { upgradeWaitCommand } from '../domain/remedies'
import { preparedEarlierWarning, upgradeStillPreparingRefusal } from '../domain/messages/prepared'
import {
  inPlaceKeepsPlanRefusal,
  inPlaceLegacyPlanRefusal,
  inPlaceSameVersionRefusal,
} from '../domain/messages/refusals'

const isEssential = (plan: UpgradePlan): boolean => isEssentialTier(plan.facts.old.tier)

/** `PG 17`, or, when no version was asked for, the version Heroku picks. */
const versionWords = (plan: UpgradePlan): string =>
  plan.targetVersion ? `PG ${plan.targetVersion}` : 'the newest PG Heroku supports'

/** A prepared upgrade runs as prepared; Heroku does not say to which version, so the input cannot be checked. */
function preparedEarlier(plan: UpgradePlan): string {
  const { old, app } = plan.facts
  return preparedEarlierWarning({ oldName: old.name, app: app.name, targetVersion: plan.targetVersion })
}

export const inPlaceMethod = defineMethod<MethodState>({
  name: 'in-place',
  refusals: (plan) => {
    const { old, upgrade, app } = plan.facts
    const refusals: string[] = []
    if (old.tier === 'legacy-essential')
      refusals.push(inPlaceLegacyPlanRefusal({ name: old.name, plan: old.plan }))
    if (old.tier === 'advanced')
      refusals.push(`${old.name} is a Postgres Advanced database, which this action does not upgrade.`)
    if (isFollowing(old.info))
      refusals.push(
        `${old.name} is a follower; upgrade its leader in place (its followers are upgraded with it).`,
      )
    if (!plan.versionChanges)
      refusals.push(
        inPlaceSameVersionRefusal({
          name: old.name,
          version: old.version,
          targetVersion: plan.targetVersion,
        }),
      )
    if (plan.planChanges)
      refusals.push(inPlaceKeepsPlanRefusal({ plan: old.plan, targetPlan: plan.targetPlan }))
    if (plan.switchOnly && !isEssential(plan) && upgrade.phase !== 'prepared' && upgrade.phase !== 'running')
      refusals.push(
        upgrade.phase === 'preparing'
          ? upgradeStillPreparingRefusal({ oldName: old.name, app: app.name, message: upgrade.message })
          : `Phase "switch" runs a prepared upgrade, and ${old.name} has none on Heroku. Run phase prepare first (or phase all).`,
      )
    refusals.push(...maintenanceOpen(plan), ...heldForInPlace(plan))
    if (upgrade.phase === 'running' || upgrade.phase === 'failed')
      refusals.push(
        `${old.name} has an upgrade ${upgrade.phase === 'running' ? 'running' : 'that failed'} on Heroku (${upgrade.message}). Check ${upgradeWaitCommand(old.name, app.name)} first.`,
      )
    if (
      isEssential(plan) &&
      upgrade.phase !== 'none' &&
      upgrade.phase !== 'running' &&
      upgrade.phase !== 'failed'
    )
      refusals.push(
        `${old.name} reports a prepared upgrade, which Essential databases do not have (${upgrade.message}).`,
      )
    return refusals
  },
  warnings: (plan) => [
    ...(plan.facts.leftovers.followers.length > 0
      ? [
          `Heroku upgrades ${plan.facts.old.name}'s followers (${plan.facts.leftovers.followers.join(', ')}) with it: they are unavailable while they are recreated after the upgrade.`,
        ]
      : []),
    ...(plan.facts.upgrade.phase === 'prepared' ? [preparedEarlier(plan)] : []),
  ],
  begin: (plan) => ({ plan, target: { id: plan.facts.old.id, name: plan.facts.old.name } }),
  steps: [
    holdStep(),
    {
      name: 'prepare-upgrade',
      phase: 'prepare',
      undo: [],
      when: ({ plan }) => !isEssential(plan),
      title: ({ plan }) =>
        plan.facts.upgrade.phase === 'prepared'
          ? `Using the upgrade of ${plan.facts.old.name} prepared earlier`
          : `Preparing the upgrade of ${plan.facts.old.name} to ${versionWords(plan)} (app still up)`,
      run: async (deps, state, step) =>
        step.setDetail(preparedStepDetail(deps, await prepareInPlace(deps, state.plan, targetOf(state)))),
    },
    openWindowStep(),
    fenceStep(),
    writersStopStep({ watch: false }),
    {
      name: 'upgrade',
      phase: 'switch',
      undo: ['wait-out'],
      title: ({ plan }) =>
        plan.facts.upgrade.phase === 'prepared'
          ? `Running the upgrade of ${plan.facts.old.name} that Heroku prepared earlier`
          : `Upgrading ${plan.facts.old.name} in place to ${versionWords(plan)}`,
      run: async (deps, state, step) =>
        step.setDetail(await upgradeInPlace(deps, state.plan, targetOf(state))),
    },
    liftFenceStep('database'),
    verifyStep(),
    verifyCommandStep(),
    closeWindowStep(),
    releaseHoldStep(),
  ],
})
