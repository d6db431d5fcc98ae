// How a run behaves, as the inputs set it: each bound with the input that sets it (so a message can name
// what to raise), the poll cadence of each kind of wait, and what the maintenance window does. The plan
// carries it; the steps read it there. inputs/policy.ts works it out from the settings.
import type { ScaleDown } from './vocabulary'

/** The phase input: plan, prepare, switch, or all of them in one run. */
export type PhaseInput = 'all' | 'plan' | 'prepare' | 'switch'

/** When the maintenance window must have ended: an instant, or a time of day in UTC. */
export type WindowEnd = { at: number; text: string } | { hour: number; minute: number; text: string }

/** The fence input: the database made read-only for the window (on), not (off), or when it can be (auto). */
export type FenceInput = 'auto' | 'on' | 'off'

/**
 * The window input: the app in maintenance mode with its process types stopped (maintenance), or web kept
 * serving reads from the database made read-only by the write fence (read-only).
 */
export type WindowInput = 'maintenance' | 'read-only'

/** The inputs that bound a wait. */
export type TimeoutInput =
  | 'catch-up-timeout'
  | 'prepare-timeout'
  | 'lag-timeout'
  | 'upgrade-timeout'
  | 'verify-timeout'
  | 'max-downtime'

/** A time bound and the input that sets it. */
export interface Timeout {
  readonly input: TimeoutInput
  readonly ms: number
}

export interface Timeouts {
  /** Provisioning the new database and catching up while the app is up; recreating followers after. */
  readonly catchUp: Timeout
  /** Heroku preparing an in-place upgrade or a plan change (Standard and higher) while the app is up. */
  readonly prepare: Timeout
  /** Inside the window: every writer stopped and the new database at 0 commits behind. */
  readonly lag: Timeout
  /** Each change made inside the window (upgrade, unfollow, copy, restore, changeover, promote) and the recovery. */
  readonly upgrade: Timeout
  /** The verify-command, run inside the window against the new database. */
  readonly verify: Timeout
}

/** How often each kind of wait asks Heroku, all derived from poll-interval. */
export interface PollCadence {
  /** poll-interval as given: waits with the app up that take minutes (provisioning, catching up). */
  readonly intervalMs: number
  /** Waits inside the window, where every second is downtime: never slower than every 2 seconds. */
  readonly windowMs: number
  /** Waits that can take hours with the app up (Heroku preparing, a follow cooldown): a sixth of the rate. */
  readonly longWaitMs: number
  /** Looking at the dynos while a one-off dyno could write to the database the app is leaving. */
  readonly watchMs: number
}

export interface WindowPolicy {
  /**
   * window: read-only: maintenance stays off and web keeps serving reads from the fenced database (the fence,
   * not the scale-down, stops its writes); only the other process types are scaled down.
   */
  readonly readOnly: boolean
  /** Maintenance mode on the app while the window is open (never with a read-only window). */
  readonly maintenance: boolean
  /** The process types scaled to zero while the window is open. */
  readonly scaleDown: ScaleDown
  /** Types left running may write to the old database; false: the window waits until they have stopped. */
  readonly acceptLostWrites: boolean
  /** The write fence, as asked; the plan says whether it is used (`UpgradePlan.fence`). */
  readonly fence: FenceInput
  /** Not opened when the estimate is longer; rolled back when it lasts longer, before the point of no return. */
  readonly maxDowntime?: Timeout
  /**
   * Not opened when the estimate would end after it. A prepared change that Heroku would run by itself
   * before it has Heroku's maintenance window moved past it.
   */
  readonly end?: WindowEnd
}

export interface Policy {
  /** plan: read-only; prepare: only what can happen with the app up; switch and all: the whole run. */
  readonly phase: PhaseInput
  readonly timeouts: Timeouts
  readonly poll: PollCadence
  readonly window: WindowPolicy
  /** A shell command run inside the window against the new database; undefined: no such step. */
  readonly verifyCommand?: string
  /** Recreate the old database's followers on the new one after the switch. */
  readonly recreateFollowers: boolean
}
