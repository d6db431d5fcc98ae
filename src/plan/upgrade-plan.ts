// The plan a method runs: the facts the preflight read, the target it decided, the method it chose, and
// the policy the inputs set. Made once, read-only, before anything changes.
import type { Method } from '../domain/vocabulary'
import type { Policy } from '../domain/policy'
import type { Inspection } from '../inspect/types'

export interface UpgradePlan {
  /** How the run behaves, worked out once from the inputs: the steps read this, never the inputs. */
  policy: Policy
  facts: Inspection
  method: Method
  targetPlan: string
  /** undefined: the newest version Heroku supports. */
  targetVersion?: string
  versionChanges: boolean
  planChanges: boolean
  /** Other apps attached to the database: stopped during the window, moved by the switch. */
  otherApps: string[]
  /** phase switch takes over the database another workflow run's prepare phase made. */
  adoptsHold: boolean
  /** The run is phase switch: whatever phase prepare does must already be done. */
  switchOnly: boolean
  /** Whether the window puts a write fence on the database, decided in preflight by reaching it. */
  fence: FencePlan
}

/**
 * The write fence of this run: used through the app's attachment to the database (its `<NAME>_URL`), or
 * not, and why not (said before anything changes).
 */
export type FencePlan = { use: true; attachment: string } | { use: false; why: string }
