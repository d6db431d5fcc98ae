// The run record is the single source of truth about one run of the action: the orchestrator
// appends to it after every step, it is saved as state for the post step and for resumption,
// and the report (job summary, follow-up issue, outputs) is computed from it alone.
import type {
  AddonRef,
  FormationEntry,
  InfoEntry,
  Method,
  Phase,
  RunStatus,
  StepName,
  AttachmentMove,
  IrreversibleChange,
  OtherAppBefore,
} from '../domain/vocabulary'
import type { UndoEntry } from './undo'

/** What the report shows about one database, read from the Platform and data APIs. */
export interface DatabaseSnapshot {
  addonId: string
  addonName: string
  /** e.g. heroku-postgresql:standard-0 */
  plan: string
  /** e.g. 14.17 */
  version: string
  /** Attachment names on the app (DATABASE, HEROKU_POSTGRESQL_NAVY, ...). */
  attachments: string[]
  /** The pg:info entries, secrets never included (Heroku does not put URLs in them except resolved names). */
  info: InfoEntry[]
  /** Taken at (ISO). */
  capturedAt: string
}

/** Things that stay behind on the old database and that a person must handle. */
export interface Leftovers {
  /** app::ATTACHMENT on other apps that still point at the old add-on. */
  otherAppAttachments: string[]
  /** Pooler attachments other than the default DATABASE_CONNECTION_POOL. */
  nonDefaultPoolers: string[]
  /** Non-default credentials (credential:<name> attachments). */
  credentials: string[]
  /** Followers of the old database that must be recreated on the new one. */
  followers: string[]
  /** True when the old database had a backup schedule (schedules stay with the database id). */
  backupSchedule: boolean
}

export interface PreparedChange {
  kind: 'upgrade' | 'plan-change'
  addon: AddonRef
  what: string
  /** When Heroku runs it by itself (ISO), as far as its maintenance window tells. */
  runsAt?: string
  /** The maintenance window, in Heroku's words. */
  window?: string
  /** The run moved the window so that it does not start before the planned switch. */
  moved?: string
}

/** The database that serves the app, as Heroku describes it when the run ends without succeeding. */
export interface EndState {
  /** The add-on the app's DATABASE attachment names. */
  serving: AddonRef
  /** e.g. 17.5 */
  version: string
  /** e.g. heroku-postgresql:standard-0 */
  plan: string
  /** An upgrade or plan change Heroku is still carrying out on it, in Heroku's words. */
  underWay?: string
  readAt: string
}

/**
 * Where the app's dynos are after the switch, as the releases say: `live` every move took effect,
 * `reverted` every attachment was put back on the old database, `stuck` neither could be confirmed
 * (the app stays down rather than write to the wrong database).
 */
export type SwitchOutcome = 'live' | 'reverted' | 'stuck'

export interface StepRecord {
  name: StepName
  phase: Phase
  /** What a person reads in the timeline. */
  title: string
  startedAt: string
  endedAt?: string
  outcome?: 'ok' | 'failed' | 'skipped'
  detail?: string
}

export interface PlanReport {
  id: string
  /** The version and plan the run goes to, and why, for a person. */
  target?: string
  /** The window the method is expected to take, in ms (from Heroku's figures and the data size). */
  estimatedDowntimeMs: number
  steps: Array<{ name: StepName; phase: Phase; title: string }>
  /** Each finding that stops the run, as the preflight said it. */
  blockers: string[]
  /** What moves to the new database, and what stays with the old one, for a person. */
  carriedOver: string[]
  staysBehind: string[]
}

/** Why the method ran, and what else could have, with the downtime each would cost this database. */
export interface MethodChoice {
  method: Method
  /** auto: the rule that picked it; otherwise "chosen with the method input". */
  reason: string
  /** Estimated downtime of the chosen method on this database, in ms. */
  downtimeMs: number
  alternatives: Array<{ method: Method; downtimeMs?: number; note: string }>
}

export interface RunRecord {
  /** Format version of this record, for resumption across action versions. */
  schema: 1
  app: string
  method: Method
  status: RunStatus
  startedAt: string
  endedAt?: string
  targetVersion?: string
  targetPlan?: string
  oldDatabase?: DatabaseSnapshot
  newDatabase?: DatabaseSnapshot
  /** Add-on name of the database created by this run (follower / copy target), once known. */
  createdAddon?: string
  /**
   * True once Heroku accepted upgrade/run or unfollow on the created follower: from then on it no longer
   * follows the old database and cannot be reused by a re-run.
   */
  createdAddonDetached?: boolean
  /** The created add-on never came up (it ended deprovisioned): there is nothing to resume with. */
  createdAddonFailed?: boolean
  /**
   * Set before a request whose effect cannot be undone (an in-place upgrade, a plan change) is sent, and
   * cleared when Heroku refused it: while set, the request may have reached Heroku, and only a look tells.
   */
  irreversibleSent?: IrreversibleChange
  /** Set once Heroku acknowledged that request, or once its effect was seen (a lost answer is looked up). */
  irreversible?: IrreversibleChange
  /** What Heroku said at the end of a run that did not finish normally: the facts the report states. */
  endState?: EndState
  /**
   * A change this run had Heroku prepare (an in-place upgrade, a plan change's changeover), which Heroku
   * runs by itself in the database's maintenance window, with the app up, unless it is run or cancelled
   * first. Set as soon as it was asked for; `runsAt` once the window was read.
   */
  preparedChange?: PreparedChange
  /** The hold of a method that creates nothing (in-place, plan-change): the old database's extra attachment. */
  hold?: { attachment: string; released?: boolean }
  /** Every transfer this run started, saved as soon as Heroku gave its id: no other is ever taken for one. */
  transfers?: Array<{ kind: 'copy' | 'backup' | 'restore'; uuid: string; app: string; name: string }>
  /** The backup captured in the window (backup-restore): the rollback point the report names. */
  backup?: { name: string; uuid: string; app: string }
  choice?: MethodChoice
  /** What the preflight planned: what an approver reads before the run changes anything. */
  plan?: PlanReport
  /** What the run carried over from the old database to the new one, and what it left for a person. */
  carriedOver?: { done: string[]; left: string[] }
  /** Formation and maintenance as they were before the window opened: what must be restored. */
  formationBefore?: FormationEntry[]
  maintenanceBefore?: boolean
  /** The other apps attached to the database, as they were before the window opened. */
  otherApps?: OtherAppBefore[]
  /** The attachments the switch moves; set before the first request is sent. */
  moves?: AttachmentMove[]
  /** Set once the releases showed where the dynos are after the switch. */
  switchOutcome?: SwitchOutcome
  /** Where every moved attachment ended up, for a person. */
  switchDetail?: string
  /** The verdict of verify-command, when one ran; `running` until it ends (a run stopped then undoes the switch). */
  verifyCommand?: {
    verdict: 'running' | 'passed' | 'failed' | 'timed-out'
    exitCode?: number
    durationMs: number
  }
  /** Heroku's time (its Date header) when the window's scale-downs were answered: stopped dynos' grace starts. */
  writersStoppedAt?: string
  /**
   * window: read-only: maintenance stayed off and web served reads from the fenced database, so the window
   * measures how long writes were refused, not how long the app was down.
   */
  readOnlyWindow?: true
  /** Measured window: maintenance on (or first scale-down) to maintenance off (or last restore). */
  windowOpenedAt?: string
  windowClosedAt?: string
  steps: StepRecord[]
  warnings: string[]
  leftovers?: Leftovers
  /** Human-readable error when status is failed or rolled-back. */
  error?: string
  /** What a person should do next when the run did not succeed. */
  nextSteps?: string[]
  issueUrl?: string
  /** The compensations the steps registered, in order; the recovery replays those still owed, newest first. */
  undo?: UndoEntry[]
  /** The write fence: where it went up, and every database it was lifted from (or failed to be). */
  fence?: FenceRecord
}

export interface FenceRecord {
  /** The add-on the app was leaving (or upgraded in place), made read-only as the window opened. */
  raisedOn?: string
  /** The add-ons it was lifted from, confirmed from a fresh session. */
  lifted: string[]
  /** The last attempt to lift it that failed, while it stays owed: the database left read-only. */
  liftFailed?: { addon: string; error: string }
}

/** From maintenance on (or the first scale-down) until the app is back as it was. */
export function isWindowOpen(record: RunRecord): boolean {
  return record.windowOpenedAt !== undefined && record.windowClosedAt === undefined
}

/** True once the new add-on serves DATABASE and the app's releases say its dynos use it. */
export function isPromoted(record: RunRecord): boolean {
  return record.switchOutcome === 'live'
}

/** The promote request may have reached Heroku, and the releases have not yet said where the dynos are. */
export function isSwitchUnsettled(record: RunRecord): boolean {
  return (record.moves?.length ?? 0) > 0 && record.switchOutcome === undefined
}

/** How a run that did not finish normally ends: a pure function of the record decides it (engine/outcome). */
export interface Conclusion {
  status: RunStatus
  nextSteps: string[]
  warnings: string[]
}
