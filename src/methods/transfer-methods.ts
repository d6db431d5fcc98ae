// copy and backup-restore: a new, empty database on the target plan and version, made while the app is up;
// in the window, once every writer stopped, the data goes over (pg:copy directly, or a backup of the old
// database restored into the new one), then DATABASE switches to it like a promoted follower.
import { planBlockers } from '../plan/plan-check'
import type { UpgradePlan } from '../plan/upgrade-plan'
import { provisionEmpty } from '../steps/provision'
import { ensureAlternateAlias } from '../steps/promote'
import { backUp, copyInto, restoreInto } from '../steps/transfer'
import { defineMethod, type StepSpec } from './method'
import {
  fenceStep,
  openWindowStep,
  switchSteps,
  targetName,
  targetOf,
  watchOf,
  writersStopStep,
  type MethodState,
} from './shared-steps'
import { estimateDowntimeMs } from '../plan/estimates'
import { heldElsewhere, heldInPlaceByAnother, maintenanceOpen, upgradeUnderWay } from './refusals'
import { tierOf } from '../domain/tier'
import { shortPlan } from '../domain/tier'
import { creatingDatabaseTitle, largeTransferWarning } from '../domain/messages/databases'
import { shieldTransferRefusal } from '../domain/messages/refusals'

/** Heroku advises pg:copy for databases under 10 GB (about 3 minutes per GB). */
export const COPY_ADVISED_MAX_BYTES = 10 * 1024 ** 3

function refusals(plan: UpgradePlan): string[] {
  const { old } = plan.facts
  const refusals = [
    ...heldElsewhere(plan),
    ...upgradeUnderWay(plan),
    ...maintenanceOpen(plan),
    ...heldInPlaceByAnother(plan),
  ]
  const shield = [old.plan, plan.targetPlan].find((name) => tierOf(name) === 'shield')
  if (shield) refusals.push(shieldTransferRefusal({ method: plan.method, shield: shortPlan(shield) }))
  if (plan.planChanges)
    refusals.push(...planBlockers(plan.targetPlan, plan.facts.plans, plan.facts.app, 'new-database'))
  if (!plan.versionChanges && !plan.planChanges)
    refusals.push(`${old.name} is already on the target version and plan.`)
  return refusals
}

function sizeWarnings(plan: UpgradePlan): string[] {
  const size = plan.facts.old.sizeBytes
  if (size === undefined || size <= COPY_ADVISED_MAX_BYTES) return []
  return [
    largeTransferWarning({
      database: plan.facts.old.name,
      sizeBytes: size,
      method: plan.method,
      downtimeMs: estimateDowntimeMs(plan.method, plan.facts.old),
      shorter: plan.facts.old.tier === 'essential' ? 'in-place' : 'follower',
    }),
  ]
}

const provisionStep: StepSpec<MethodState> = {
  name: 'provision',
  phase: 'prepare',
  undo: [],
  title: ({ plan }) =>
    plan.facts.hold.found
      ? `Reusing the database ${plan.facts.hold.found.attachment.addon.name} (${plan.facts.hold.attachment}) created by an earlier run`
      : creatingDatabaseTitle({
          plan: plan.targetPlan,
          version:
            plan.versionChanges && !plan.targetVersion
              ? undefined
              : (plan.targetVersion ?? plan.facts.old.major),
          name: plan.facts.hold.name,
        }),
  run: async (deps, state, step) => {
    state.target = await provisionEmpty(deps, state.plan)
    // The old database's alias is taken now, with the app up, rather than by the promote in the window.
    const alias = await ensureAlternateAlias(deps, state.plan.facts.old)
    step.setDetail(
      `${state.target.name} is provisioned, as ${state.plan.facts.hold.attachment}; ${state.plan.facts.old.name} ${alias.created ? 'now also' : 'also'} attached as ${alias.name}`,
    )
  },
}

/** The data goes over in the window with every writer stopped, then the new database is promoted. */
const transferMethod = (name: 'copy' | 'backup-restore', moveData: Array<StepSpec<MethodState>>) =>
  defineMethod<MethodState>({
    name,
    refusals,
    warnings: sizeWarnings,
    begin: (plan) => ({ plan }),
    steps: [
      provisionStep,
      openWindowStep(),
      fenceStep(),
      writersStopStep({ watch: true }),
      ...moveData,
      ...switchSteps<MethodState>(),
    ],
  })

export const copyMethod = transferMethod('copy', [
  {
    name: 'copy',
    phase: 'switch',
    undo: [],
    title: (state) => `Copying ${state.plan.facts.old.name} into ${targetName(state)} (pg:copy)`,
    run: async (deps, state, step) =>
      step.setDetail(await copyInto(deps, state.plan, targetOf(state), watchOf(state))),
  },
])

export const backupRestoreMethod = transferMethod('backup-restore', [
  {
    name: 'backup',
    phase: 'switch',
    undo: [],
    title: ({ plan }) => `Capturing a backup of ${plan.facts.old.name} (every writer stopped)`,
    run: async (deps, state, step) => step.setDetail(await backUp(deps, state.plan, watchOf(state))),
  },
  {
    name: 'restore',
    phase: 'switch',
    undo: [],
    title: (state) => `Restoring the backup into ${targetName(state)}`,
    run: async (deps, state, step) =>
      step.setDetail(await restoreInto(deps, state.plan, targetOf(state), watchOf(state))),
  },
])
