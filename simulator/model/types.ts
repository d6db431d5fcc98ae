/** The simulator's in-memory model of Heroku. Times are simulated seconds since the scenario started. */

export interface Formation {
  id: string
  type: string
  quantity: number
  size: string
  updatedAt: number
}

export type ReleaseStatus = 'pending' | 'succeeded' | 'failed'

export interface Release {
  id: string
  version: number
  description: string
  status: ReleaseStatus
  /** The app's config vars as this release has them (`GET /apps/:app/releases/:version/config-vars`). */
  config: Record<string, string>
  createdAt: number
  updatedAt: number
}

export interface App {
  id: string
  name: string
  space: string | null
  spaceId: string | null
  maintenance: boolean
  releasePhase: boolean
  formation: Formation[]
  writesPerSecond: Record<string, number>
  /** Insertion-ordered config vars. */
  config: Map<string, string>
  releases: Release[]
  /**
   * Attachment name → add-on id as the running release has it (changes when an Attach/Detach release of that
   * name succeeds); formation dynos write through `writesThrough`.
   */
  servingAddonIds: Map<string, string>
  /** The attachment name through which the app's dynos write (`writes_through`, default DATABASE). */
  writesThrough: string
  /** Simulated time maintenance last went on, or null while it is off. */
  maintenanceSince: number | null
  /** Formation dynos (including scaled-away ones still shutting down) and one-off dynos. */
  dynos: Dyno[]
  createdAt: number
  updatedAt: number
}

export type DynoState = 'starting' | 'up'

export interface Dyno {
  id: string
  name: string
  type: string
  size: string
  command: string
  /** One-off dynos (`heroku run`, Scheduler) exit on their own and are never restarted. */
  oneOff: boolean
  state: DynoState
  /** Got SIGTERM (scaled away, or a stopped one-off dyno): still writing until it exits; see stopping_dynos_listed. */
  stopping: boolean
  /** After a restart, the replaced process keeps writing until this time while the new one boots. */
  drainUntil: number
  /**
   * The add-on the replaced process writes to while it drains: the one the app served when the restart
   * came (a release that moved DATABASE restarts the dynos after the move; the old process keeps its old
   * config). Null: through the app's attachment.
   */
  drainAddonId: string | null
  /** Counts restarts, so that the boot timer of an earlier start does nothing. */
  boots: number
  /**
   * The add-on a one-off dyno, or a formation dyno shutting down after SIGTERM, writes to: the config it ran with,
   * whatever DATABASE becomes. Null for a running formation dyno (it writes through the app's attachment).
   */
  addonId: string | null
  release: { id: string; version: number }
  createdAt: number
  updatedAt: number
}

export type AddonState = 'provisioning' | 'provisioned' | 'deprovisioning' | 'deprovisioned'

export interface Addon {
  id: string
  name: string
  appId: string
  plan: string
  state: AddonState
  createdAt: number
  updatedAt: number
  db: Database
}

export interface Attachment {
  id: string
  name: string
  namespace: string | null
  appId: string
  addonId: string
  createdAt: number
  updatedAt: number
}

/** Commits a database holds: for each write origin, commits 1..n of that origin. */
export type Holdings = Map<string, number>

/** A stream of commits written to one database during one "life" (a restore or copy starts a new one). */
export interface Origin {
  key: string
  count: number
  /** (simulated time, count) points; counts between two points grow linearly. */
  samples: [number, number][]
  writers: Set<string>
}

export interface Credential {
  name: string
  user: string
  password: string
  /** Simulated time from which a credential made by `pg:credentials:create` is active; absent: always was. */
  activeAt?: number
}

export type UpgradePhase = 'scheduled' | 'running' | 'done' | 'failed'

export interface UpgradeState {
  phase: UpgradePhase
  targetVersion: string
  preparedAt: number
  startedAt: number | null
  endsAt: number | null
  failStep: number | null
  message: string
}

export interface Database {
  host: string
  /** The port its URLs name; absent: Heroku's (5432, or 5433 through the pooler). Set on the data plane. */
  port?: number
  dbname: string
  credentials: Credential[]
  version: string
  dataSizeMb: number
  tables: number
  leaderId: string | null
  followSince: number | null
  caughtUpAt: number | null
  neverCatchesUp: boolean
  forkedFromId: string | null
  /** Commits copied in (seed data, restore, copy, or frozen at unfollow). */
  base: Holdings
  origin: Origin
  upgrade: UpgradeState | null
  /** Simulated time until which a plan change is in progress. */
  planChangeUntil: number | null
  /** A fresh fork (explicit, or left by unfollow or a follower's upgrade) cannot be followed or forked before this time. */
  followableFrom: number | null
  /** A follower Heroku recreates after its leader's in-place upgrade is unavailable until this time. */
  recreatingUntil: number | null
  /** Simulated time when the database became available (provisioned, caught-up or not). */
  availableAt: number
  /** Set while a restore or copy overwrites this database. */
  overwrittenBy: string | null
  /** Backup schedules; they stay with the database (not with DATABASE_URL) after a changeover. */
  schedules: BackupSchedule[]
  /**
   * Made read-only for new sessions (`ALTER DATABASE … SET default_transaction_read_only = on`, a write fence),
   * as the data plane last saw it on the real server: the dynos' writes are refused, not committed.
   */
  readOnly?: boolean
}

export interface BackupSchedule {
  uuid: string
  name: string
  hour: number
  timezone: string
}

export type TransferKind = 'backup' | 'copy' | 'restore'

export interface Transfer {
  uuid: string
  num: number
  kind: TransferKind
  appId: string
  fromName: string
  fromUrl: string
  toName: string
  toUrl: string
  sourceAddonId: string | null
  targetAddonId: string | null
  snapshot: Holdings | null
  sourceBytes: number
  createdAt: number
  startedAt: number
  finishesAt: number
  finishedAt: number | null
  canceledAt: number | null
  succeeded: boolean
  deleted: boolean
  logs: { at: number; level: string; message: string }[]
  backupUrl: string
  /** For restores: the backup whose data is restored. */
  fromBackupUuid: string | null
}

/** What `wait_status` answers (pg:wait and pg:upgrade:wait read it). */
export interface WaitStatus {
  'waiting?': boolean
  'error?': boolean
  message: string
  step?: string
}
