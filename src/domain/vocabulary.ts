// The words the whole action shares: the methods, the phases and steps of a run, how it ends, and the
// few shapes of Heroku's answers that every layer names. Nothing here does anything.

export type Method = 'follower' | 'in-place' | 'copy' | 'backup-restore' | 'plan-change'

/** planned: phase plan found nothing blocking; prepared: phase prepare did all it can with the app up. */
export type RunStatus =
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rolled-back'
  | 'skipped'
  | 'planned'
  | 'prepared'

/** One line of `pg:info` as Heroku's data API returns it (`info` array of GET /client/v11/databases/:id). */
export interface InfoEntry {
  name: string
  values: string[]
}

export interface FormationEntry {
  type: string
  quantity: number
  size: string
}

export interface AddonRef {
  id: string
  name: string
}

export type StepName =
  | 'preflight'
  | 'provision'
  | 'catch-up'
  | 'hold'
  | 'release-hold'
  | 'prepare-upgrade'
  | 'window-open'
  | 'fence'
  | 'lift-fence'
  | 'parity'
  | 'final-catch-up'
  | 'writers-stop'
  | 'upgrade'
  | 'unfollow'
  | 'copy'
  | 'backup'
  | 'restore'
  | 'plan-change'
  | 'prepare-plan-change'
  | 'changeover'
  | 'promote'
  | 'release'
  | 'verify'
  | 'verify-command'
  | 'window-close'
  | 'carry-over'
  | 'rollback'
  | 'report'

/** prepare: the app is up; switch: the window (the app is down); cleanup: the app is back. */
export type Phase = 'prepare' | 'switch' | 'cleanup'

/** The method input: one of the methods, or auto (the one Heroku advises for this database and target). */
export type MethodInput = 'auto' | Method

/**
 * The scale-down input: which process types the window scales to zero. all: every running type, web
 * included; none: none of them; list: only the types named.
 */
/** The scale-down input; `keep`: types that `all` leaves running (web, in a read-only window). */
export type ScaleDown =
  | { kind: 'all'; keep?: readonly string[] }
  | { kind: 'none' }
  | { kind: 'list'; types: string[] }

/** Another app attached to the database: stopped with the app during the window and moved with it. */
export interface OtherAppBefore {
  app: string
  formationBefore: FormationEntry[]
  maintenanceBefore: boolean
}

/** A change Heroku carries out on its own once it accepted it. */
export interface IrreversibleChange {
  step: StepName
  addon: AddonRef
  what: string
}

/** One attachment the switch moves from the old database to the new one (DATABASE first). */
export interface AttachmentMove {
  app: string
  name: string
  namespace: string | null
  from: AddonRef
  to: AddonRef
}
