// What a method is: a name, the refusals that make it impossible for a database, and a short list of named
// steps over the step library, each in its phase and saying what undoing it means. The executor runs the
// list; the rollback and the post step read the run record, so they need nothing from the method.
import type { UpgradePlan } from '../inspect/types'
import type { RunContext, StepHandle } from '../steps/context'
import type { Method, Phase, StepName } from '../domain/vocabulary'

/**
 * What undoing a step means, before the point of no return. The recovery acts on what the step wrote to the
 * record (the window's state before, the moves of a switch); this says which of those a step leaves.
 */
export type Undo =
  /** Read-only, or a change that is harmless with the app up (an alias attachment). */
  | 'nothing'
  /** Leaves something behind that a re-run resumes with (the created database, a prepared upgrade). */
  | 'kept-for-resume'
  /** The recovery puts every app in the window back as it was. */
  | 'close-window'
  /** The recovery moves every attachment back to the old database before the app reopens. */
  | 'undo-switch'
  /** No undo: once Heroku accepted it, the run can only finish it (an in-place upgrade, a plan change). */
  | 'irreversible'

export interface StepSpec<S> {
  name: StepName
  phase: Phase
  undo: Undo
  title: (state: S) => string
  /** Left out of this run when false (decided once, when the run starts). */
  when?: (state: S, context: RunContext) => boolean
  run: (context: RunContext, state: S, step: StepHandle) => Promise<void>
}

export interface MethodDefinition<S> {
  name: Method
  /** Why this method cannot upgrade this database to this target; empty when it can. Read-only. */
  refusals(plan: UpgradePlan): string[]
  /** Said in preflight, before anything changes. */
  warnings?(plan: UpgradePlan): string[]
  /** The state its steps share, from the preflight's plan. */
  begin(plan: UpgradePlan): S
  steps: Array<StepSpec<S>>
}

/** A method with its state type hidden, as the registry holds it. */
export interface UpgradeMethod {
  name: Method
  refusals(plan: UpgradePlan): string[]
  warnings(plan: UpgradePlan): string[]
  /** The steps this run will take, in order, with their phase and title (before anything ran). */
  plannedSteps(plan: UpgradePlan, context: RunContext): Array<{ name: StepName; phase: Phase; title: string }>
  /** Runs the steps, or only those of the given phase (prepare: what can happen with the app up). */
  run(context: RunContext, plan: UpgradePlan, only?: Phase): Promise<void>
}

export function defineMethod<S>(definition: MethodDefinition<S>): UpgradeMethod {
  const active = (state: S, context: RunContext): Array<StepSpec<S>> =>
    definition.steps.filter((spec) => spec.when?.(state, context) ?? true)
  return {
    name: definition.name,
    refusals: (plan) => definition.refusals(plan),
    warnings: (plan) => definition.warnings?.(plan) ?? [],
    plannedSteps: (plan, context) => {
      const state = definition.begin(plan)
      return active(state, context).map((spec) => ({
        name: spec.name,
        phase: spec.phase,
        title: spec.title(state),
      }))
    },
    async run(context, plan, only) {
      const state = definition.begin(plan)
      const steps = active(state, context).filter((spec) => only === undefined || spec.phase === only)
      // Preflight is step 1 of every run.
      const total = steps.length + 1
      for (const [index, spec] of steps.entries())
        await context.step(spec.name, spec.title(state), (handle) => spec.run(context, state, handle), {
          phase: spec.phase,
          number: index + 2,
          total,
        })
    },
  }
}
