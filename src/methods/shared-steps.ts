// Steps more than one method lists: the window around the switch, and the switch of DATABASE to a new
// database with everything that must be true before the app reopens.
import type { UpgradePlan } from '../plan/upgrade-plan'
import type { AddonRef } from '../domain/vocabulary'
import { DetachedWatch } from '../steps/detached-watch'
import { confirmSwitch, runUserCheck } from '../steps/switch-checks'
import { openTheWindow, waitForQuiet } from '../steps/window-steps'
import { promote } from '../steps/promote'
import { refreshNewSnapshot, verify } from '../steps/verify'
import { appsInWindow, closeWindow, describeChanges } from '../steps/window'
import { carryOver } from '../steps/carry-over'
import { releaseHold, takeHold } from '../steps/hold'
import { windowTooLong } from '../plan/window-guards'
import type { StepSpec } from './method'
import type { StepDeps } from '../steps/deps'
import { preparedDetail } from '../record/left-for-heroku'
import { checkParity, putUpFence, takeDownFence } from '../steps/fence'

export interface MethodState {
  plan: UpgradePlan
  /** The database the app ends on: the new one, or the old one upgraded in place. */
  target?: AddonRef
  /** Watches for writers from the moment the new database stops taking the old one's writes. */
  watch?: DetachedWatch
  /** plan-change: the app's newest release before the changeover, to find the release that follows it. */
  releasesBefore?: number
}

/** The same step, left out of runs where `applies` is false. */
export function onlyWhen<S extends MethodState>(
  spec: StepSpec<S>,
  applies: (state: S) => boolean,
): StepSpec<S> {
  return { ...spec, when: (state) => applies(state) && (spec.when?.(state) ?? true) }
}

/**
 * The name of the database the app ends on, before it exists too: a plan lists the steps before the
 * provisioning ran, and the add-on name is decided up front (named after the workflow run, or the one an
 * earlier run left), so titles never say "undefined".
 */
export function targetName(state: MethodState): string {
  return (
    state.target?.name ?? state.plan.facts.hold.found?.attachment.addon.name ?? state.plan.facts.hold.name
  )
}

export const targetOf = (state: MethodState): AddonRef => {
  if (!state.target) throw new Error('No database to switch to: the provisioning step did not run.')
  return state.target
}

/** The watch a step before started (the one that stopped the new database from taking the old one's writes). */
export const watchOf = (state: MethodState): DetachedWatch => {
  if (!state.watch)
    throw new Error('No writer watch: the step that waits for every writer to stop did not run.')
  return state.watch
}

export function openWindowStep<S extends MethodState>(): StepSpec<S> {
  return {
    name: 'window-open',
    phase: 'switch',
    undo: ['close-window'],
    title: () => 'Opening the window',
    run: async (deps, state, step) => {
      const { window } = state.plan.policy
      const limits = { maxDowntimeMs: window.maxDowntime?.ms, windowEnd: window.end }
      const estimateMs = deps.journal.record.choice?.downtimeMs ?? 0
      const tooLong = windowTooLong(limits, estimateMs, deps.clock.now())
      if (tooLong) throw new Error(tooLong)
      const movesData = state.plan.method !== 'in-place' && state.plan.method !== 'plan-change'
      // The title says what the step does, as the plan said it; the state it left the app in is the detail.
      step.setDetail(await openTheWindow(deps, state.plan, { movesData }))
    },
  }
}

/**
 * The write fence, once the window is open: the database the app is leaving (or upgraded in place) read-only
 * for every session but Heroku's own, and no session left that can write. The recovery lifts it from
 * whichever database serves.
 */
export function fenceStep<S extends MethodState>(): StepSpec<S> {
  return {
    name: 'fence',
    phase: 'switch',
    undo: ['lift-fence'],
    when: ({ plan }) => plan.fence.use,
    title: ({ plan }) => `Making ${plan.facts.old.name} read-only (write fence)`,
    run: async (deps, state, step) => step.setDetail(await putUpFence(deps, state.plan)),
  }
}

/**
 * The fence lifted from the database the app will serve from, before anything reopens: the new database
 * (reached through the hold attachment) before its promote, or the database upgraded in place.
 */
export function liftFenceStep<S extends MethodState>(through: 'hold' | 'database'): StepSpec<S> {
  return {
    name: 'lift-fence',
    phase: 'switch',
    undo: [],
    when: ({ plan }) => plan.fence.use,
    title: (state) => `Lifting the write fence from ${targetName(state)}`,
    run: async (deps, state, step) => {
      const { plan } = state
      const attachment =
        through === 'hold' ? plan.facts.hold.attachment : plan.fence.use ? plan.fence.attachment : ''
      step.setDetail(await takeDownFence(deps, targetOf(state), attachment))
    },
  }
}

/**
 * Without a follower there is no lag to read: the window only waits for every writer to stop. `watch`: from
 * here on the app's writes would reach a database it is leaving, so process types left running count as
 * writers (unless accept-lost-writes) and one-off dynos are watched (not so when the database is upgraded in
 * place: whatever runs can only write to it, before or after the upgrade).
 */
export function writersStopStep<S extends MethodState>(options: {
  watch: boolean
  /** Writes left on the database are lost or refused once it changes: kept process types are writers. */
  movesData?: boolean
}): StepSpec<S> {
  return {
    name: 'writers-stop',
    phase: 'switch',
    undo: [],
    title: () => 'Waiting for every writer to stop',
    run: async (deps, state, step) => {
      const noLag = async (): Promise<{ lag: number; status: string }> => ({
        lag: 0,
        status: 'no writer left',
      })
      const detail = await waitForQuiet(deps, state.plan, noLag, {
        movesData: options.movesData ?? options.watch,
        lag: false,
      })
      step.setDetail(withoutLag(detail))
      if (options.watch) state.watch = new DetachedWatch(deps, state.plan.policy.window)
    },
  }
}

/**
 * Without a follower there is no lag, and "behind by 0 commits" would describe a database that follows
 * nothing: the wait's words are kept to the writers.
 */
export function withoutLag(detail: string): string {
  const kept = /^behind by 0 commits for (.+) with (.+) running$/.exec(detail)
  if (kept) return `${kept[2]} kept running (as the settings ask); no other writer left after ${kept[1]}`
  return detail.replace(/;\s*behind by 0 commits\b/, '').replace(/^behind by 0 commits;?\s*/, '')
}

export function verifyStep<S extends MethodState>(): StepSpec<S> {
  return {
    name: 'verify',
    phase: 'switch',
    undo: [],
    title: (state) => `Verifying DATABASE_URL is ${targetName(state)}`,
    run: async (deps, state, step) => {
      step.setDetail(await verify(deps, state.plan, targetOf(state)))
    },
  }
}

export function verifyCommandStep<S extends MethodState>(): StepSpec<S> {
  return {
    name: 'verify-command',
    phase: 'switch',
    undo: [],
    when: ({ plan }) => plan.policy.verifyCommand !== undefined,
    title: () => 'Running verify-command against the new database',
    run: async (deps, { plan }, step) => {
      step.setDetail(await runUserCheck(deps, plan, plan.policy.verifyCommand ?? ''))
    },
  }
}

export function closeWindowStep<S extends MethodState>(): StepSpec<S> {
  return {
    name: 'window-close',
    phase: 'switch',
    undo: [],
    title: () => 'Restoring formation and maintenance',
    run: async (deps, state, step) => {
      await state.watch?.lastLook()
      const changes = await closeWindow(appsInWindow(deps.journal.record), {
        platform: deps.api.platform,
        clock: deps.clock,
        signal: deps.signal,
        log: deps.log,
      })
      deps.journal.windowClosed()
      step.setDetail(
        changes.length
          ? `restored ${describeChanges(changes)}`
          : 'nothing to restore: the window changed nothing',
      )
      if (state.target) await refreshNewSnapshot(deps, state.plan, state.target)
    },
  }
}

/** DATABASE (and every attachment that follows it) moves to the new database, and nothing reopens before the releases say so. */
export function switchSteps<S extends MethodState>(): Array<StepSpec<S>> {
  return [
    liftFenceStep('hold'),
    {
      name: 'parity',
      phase: 'switch',
      undo: [],
      when: ({ plan }) => plan.fence.use,
      title: (state) =>
        `Comparing ${targetName(state)} with ${state.plan.facts.old.name} (tables, rows, sequences, extensions)`,
      run: async (deps, state, step) => step.setDetail(await checkParity(deps, state.plan, targetOf(state))),
    },
    {
      name: 'promote',
      phase: 'switch',
      undo: ['undo-switch'],
      title: (state) => `Promoting ${targetName(state)} to DATABASE`,
      run: async (deps, state, step) => {
        await state.watch?.assertNothingWrote()
        step.setDetail(await promote(deps, state.plan, targetOf(state), state.plan.facts.old.appName))
      },
    },
    {
      name: 'release',
      phase: 'switch',
      undo: [],
      title: () => 'Waiting for the release phase to put the dynos on the new database',
      run: async (deps, state, step) => {
        step.setDetail(await confirmSwitch(deps, state.plan, state.watch))
      },
    },
    verifyStep(),
    verifyCommandStep(),
    closeWindowStep(),
    {
      name: 'carry-over',
      phase: 'cleanup',
      undo: [],
      when: (state) => hasLeftovers(state.plan),
      title: () => 'Carrying over what the old database leaves behind',
      run: async (deps, state, step) => {
        const result = await carryOver(deps, state.plan, targetOf(state))
        step.setDetail(
          [...result.done, ...result.left.map((item) => `NOT carried over: ${item}`)].join('; ') ||
            'nothing to carry over',
        )
      },
    },
  ]
}

function hasLeftovers({ facts }: UpgradePlan): boolean {
  const { leftovers } = facts
  return (
    leftovers.otherAppAttachments.length > 0 ||
    leftovers.nonDefaultPoolers.length > 0 ||
    leftovers.credentials.length > 0 ||
    leftovers.backupSchedule ||
    leftovers.followers.length > 0
  )
}

/** A method that creates nothing holds the database itself, first, before it changes anything. */
export function holdStep<S extends MethodState>(): StepSpec<S> {
  return {
    name: 'hold',
    phase: 'prepare',
    undo: ['release-hold'],
    title: ({ plan }) => `Holding ${plan.facts.old.name} for this run (${plan.facts.hold.attachment})`,
    run: async (deps, state, step) => step.setDetail(await takeHold(deps, state.plan)),
  }
}

/** The hold goes once the change is done and the app is back (a failed run lets go of it in its recovery). */
export function releaseHoldStep<S extends MethodState>(): StepSpec<S> {
  return {
    name: 'release-hold',
    phase: 'cleanup',
    undo: [],
    title: ({ plan }) => `Releasing the hold on ${plan.facts.old.name}`,
    run: async (deps, _state, step) =>
      step.setDetail(
        await releaseHold(deps.api.platform, deps.journal, { clock: deps.clock, signal: deps.signal }),
      ),
  }
}

/**
 * The prepare step's detail, as the report words it: when Heroku would run the prepared change by itself, as
 * a date-time and a rounded wait ("2026-12-10 16:00 UTC, 3 days after it was ready"), not the raw instant.
 */
export function preparedStepDetail(deps: StepDeps, said: string): string {
  const prepared = deps.journal.record.preparedChange
  if (!prepared || !said.startsWith('ready')) return said
  return preparedDetail(deps.journal.record, prepared, deps.api.platform.serverTime() ?? deps.clock.now())
}
