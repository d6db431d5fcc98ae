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
  /** Add-on id of the DATABASE the running release uses (changes when an Attach/Detach DATABASE release succeeds). */
  servingAddonId: string | null
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
  /** Simulated time when the database became available (provisioned, caught-up or not). */
  availableAt: number
  /** Set while a restore or copy overwrites this database. */
  overwrittenBy: string | null
  /** Backup schedules; they stay with the database (not with DATABASE_URL) after a changeover. */
  schedules: BackupSchedule[]
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

export interface GithubIssue {
  repo: string
  number: number
  title: string
  body: string | null
  labels: string[]
  assignees: string[]
  state: 'open' | 'closed'
  createdAt: number
  updatedAt: number
  closedAt: number | null
  comments: { id: number; body: string; createdAt: number }[]
}

export interface SimEvent {
  at_simulated: number
  at_real: string
  type: string
  app?: string
  addon?: string
  detail: string
}

export interface RequestRecord {
  method: string
  path: string
  status: number
  at: string
}
