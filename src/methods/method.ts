// What a method is: a name, the refusals that make it impossible for a database, and a short list of named
// steps over the step library, each in its phase and declaring what it registers to undo. The engine only
// sequences the list; the recovery replays what the steps registered, so it needs nothing from the method.
import type { Method, Phase, StepName } from '../domain/vocabulary'
import type { UndoKind } from '../record/undo'
import type { UpgradePlan } from '../plan/upgrade-plan'
import type { StepDeps, StepHandle } from '../steps/deps'

export interface StepSpec<S> {
  name: StepName
  phase: Phase
  /**
   * What the step registers to undo, as it changes something (empty: nothing to take back, or nothing that
   * can be: a database kept for a re-run, a change Heroku finishes on its own is `wait-out`). The journal
   * refuses any other kind, and a test checks that each method's steps register exactly these.
   */
  undo: readonly UndoKind[]
  title: (state: S) => string
  /** Left out of this run when false (decided once, when the run starts). */
  when?: (state: S) => boolean
  run: (deps: StepDeps, state: S, step: StepHandle) => Promise<void>
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

/** One step of this run, bound to the state its method's steps share. */
export interface PlannedStep {
  name: StepName
  phase: Phase
  title: string
  undo: readonly UndoKind[]
  run(deps: StepDeps, step: StepHandle): Promise<void>
}

/** A method with its state type hidden, as the registry holds it. */
export interface UpgradeMethod {
  name: Method
  refusals(plan: UpgradePlan): string[]
  warnings(plan: UpgradePlan): string[]
  /** The steps this run takes, in order, sharing one fresh state (before anything ran). */
  steps(plan: UpgradePlan): PlannedStep[]
  /** What the method's step of that name declares it registers to undo (undefined: no such step). */
  declaredUndo(name: StepName): readonly UndoKind[] | undefined
}

export function defineMethod<S>(definition: MethodDefinition<S>): UpgradeMethod {
  return {
    name: definition.name,
    refusals: (plan) => definition.refusals(plan),
    warnings: (plan) => definition.warnings?.(plan) ?? [],
    declaredUndo: (name) => {
      const specs = definition.steps.filter((spec) => spec.name === name)
      return specs.length ? [...new Set(specs.flatMap((spec) => spec.undo))] : undefined
    },
    steps: (plan) => {
      const state = definition.begin(plan)
      return definition.steps
        .filter((spec) => spec.when?.(state) ?? true)
        .map((spec) => ({
          name: spec.name,
          phase: spec.phase,
          // A title can name what an earlier step made: it is read when the step starts.
          get title() {
            return spec.title(state)
          },
          undo: spec.undo,
          run: (deps, handle) => spec.run(deps, state, handle),
        }))
    },
  }
}
