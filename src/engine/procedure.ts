// One run: the read-only preflight, then the method's steps, all of them or only the phase asked for. The
// engine only sequences: each step says what it does and what it registers to undo.
import type { Phase } from '../domain/vocabulary'
import { METHODS } from '../methods/registry'
import type { PlannedStep } from '../methods/method'
import type { UpgradePlan } from '../plan/upgrade-plan'
import { preflight, preflightTitle } from './preflight'
import type { EndStatus, Run } from './run'
import { runStep } from './step-runner'

export async function runUpgrade(run: Run): Promise<EndStatus> {
  const { settings, journal, deps } = run
  const title = `Preflight (read-only): ${settings.app}, database ${settings.database}`
  const plan = await runStep(
    journal,
    deps.clock,
    { name: 'preflight', title, phase: 'prepare', number: 1 },
    async (step) => {
      const result = await preflight(run)
      step.setTitle(preflightTitle(result))
      return result
    },
  )
  if (!plan) return 'skipped'
  if (settings.phase === 'plan') return 'planned'
  if (settings.phase === 'prepare') {
    const prepared = await runSteps(run, plan, 'prepare')
    deps.log(
      prepared > 0
        ? `Prepared with the app up; run phase switch (with the same inputs) to do the rest.`
        : `${plan.method} has nothing to prepare with the app up; run phase switch to do it.`,
    )
    return 'prepared'
  }
  await runSteps(run, plan)
  return 'succeeded'
}

/** Runs the method's steps (only those of `only`, when given), numbered after the preflight. */
async function runSteps(run: Run, plan: UpgradePlan, only?: Phase): Promise<number> {
  const steps: PlannedStep[] = METHODS[plan.method]
    .steps(plan)
    .filter((step) => only === undefined || step.phase === only)
  // Preflight is step 1 of every run.
  const total = steps.length + 1
  for (const [index, step] of steps.entries())
    await runStep(
      run.journal,
      run.deps.clock,
      { name: step.name, title: step.title, phase: step.phase, undo: step.undo, number: index + 2, total },
      (handle) => step.run(run.deps, handle),
    )
  return steps.length
}
