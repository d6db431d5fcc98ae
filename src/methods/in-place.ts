// in-place: Heroku upgrades the database itself, keeping its add-on, attachments, credentials, schedules
// and followers (which it upgrades with it). Essential: upgrade/run in the window. Standard and higher:
// upgrade/prepare while the app is up, wait until Heroku says it is prepared, then upgrade/run in the window.
import { isFollowing } from '../heroku/database-info'
import type { UpgradePlan } from '../inspect/types'
import { prepareInPlace, upgradeInPlace } from '../steps/upgrade'
import { defineMethod } from './method'
import { heldForInPlace, maintenanceOpen } from './refusals'
import {
  closeWindowStep,
  holdStep,
  openWindowStep,
  preparedStepDetail,
  releaseHoldStep,
  verifyCommandStep,
  verifyStep,
  writersStopStep,
  type MethodState,
} from './shared-steps'
import { isEssentialTier } from '../domain/tier'

const isEssential = (plan: UpgradePlan): boolean => isEssentialTier(plan.facts.old.tier)

/** `PG 17`, or, when no version was asked for, the version Heroku picks. */
const versionWords = (plan: UpgradePlan): string =>
  plan.targetVersion ? `PG ${plan.targetVersion}` : 'the newest PG Heroku supports'

/** A prepared upgrade runs as prepared; Heroku does not say to which version, so the input cannot be checked. */
function preparedEarlier(plan: UpgradePlan): string {
  const { old, app } = plan.facts
  return `${old.name} has an upgrade that Heroku prepared before this run; it runs as it was prepared, to the version asked then, which Heroku does not show${plan.targetVersion ? ` (this run asks for PG ${plan.targetVersion})` : ''}. If that is not the version you want, cancel it first (heroku pg:upgrade:cancel ${old.name} -a ${app.name}) and run phase prepare again.`
}

export const inPlaceMethod = defineMethod<MethodState>({
  name: 'in-place',
  refusals: (plan) => {
    const { old, upgrade, app } = plan.facts
    const refusals: string[] = []
    if (old.tier === 'legacy-essential')
      refusals.push(
        `The method "in-place" needs an Essential or higher plan; ${old.name} is on the legacy plan ${old.plan}, which Heroku cannot upgrade in place. Use method copy with plan essential-0 or higher.`,
      )
    if (old.tier === 'advanced')
      refusals.push(`${old.name} is a Postgres Advanced database, which this action does not upgrade.`)
    if (isFollowing(old.info))
      refusals.push(
        `${old.name} is a follower; upgrade its leader in place (its followers are upgraded with it).`,
      )
    if (!plan.versionChanges)
      refusals.push(
        `The method "in-place" changes the Postgres version, and ${old.name} is already on ${old.version}${plan.targetVersion ? '' : ', the newest this action knows'}. For a plan change use method plan-change.`,
      )
    if (plan.planChanges)
      refusals.push(
        `The method "in-place" keeps the plan (${old.plan}); input "plan" asks for ${plan.targetPlan}. Use method follower (version and plan together), or upgrade in place and then run method plan-change.`,
      )
    if (plan.switchOnly && !isEssential(plan) && upgrade.phase !== 'prepared' && upgrade.phase !== 'running')
      refusals.push(
        upgrade.phase === 'preparing'
          ? `Phase "switch" runs the upgrade that phase prepare asked for, and Heroku is still preparing it (${upgrade.message}): upgrade/run would be refused inside the window. Wait until heroku pg:upgrade:wait ${old.name} -a ${app.name} says it is scheduled, then run phase switch again.`
          : `Phase "switch" runs a prepared upgrade, and ${old.name} has none on Heroku. Run phase prepare first (or phase all).`,
      )
    refusals.push(...maintenanceOpen(plan), ...heldForInPlace(plan))
    if (upgrade.phase === 'running' || upgrade.phase === 'failed')
      refusals.push(
        `${old.name} has an upgrade ${upgrade.phase === 'running' ? 'running' : 'that failed'} on Heroku (${upgrade.message}). Check heroku pg:upgrade:wait ${old.name} -a ${app.name} first.`,
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
      undo: 'kept-for-resume',
      when: ({ plan }) => !isEssential(plan),
      title: ({ plan }) =>
        plan.facts.upgrade.phase === 'prepared'
          ? `Using the upgrade of ${plan.facts.old.name} prepared earlier`
          : `Preparing the upgrade of ${plan.facts.old.name} to ${versionWords(plan)} (app still up)`,
      run: async (context, state, step) =>
        step.setDetail(preparedStepDetail(context, await prepareInPlace(context, state.plan, state.target!))),
    },
    openWindowStep(),
    writersStopStep({ watch: false }),
    {
      name: 'upgrade',
      phase: 'switch',
      undo: 'irreversible',
      title: ({ plan }) =>
        plan.facts.upgrade.phase === 'prepared'
          ? `Running the upgrade of ${plan.facts.old.name} that Heroku prepared earlier`
          : `Upgrading ${plan.facts.old.name} in place to ${versionWords(plan)}`,
      run: async (context, state, step) =>
        step.setDetail(await upgradeInPlace(context, state.plan, state.target!)),
    },
    verifyStep(),
    verifyCommandStep(),
    closeWindowStep(),
    releaseHoldStep(),
  ],
})
