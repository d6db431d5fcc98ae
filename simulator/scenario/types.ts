/** A validated scenario with every default filled in. Field names follow the JSON keys. */
export interface Scenario {
  name: string
  api_key: string
  github_token: string
  speed: number
  seed: number
  start_time: string
  replication_lag_seconds: number
  /** How long web dynos keep writing after maintenance goes on (in-flight requests, background threads). */
  maintenance_write_seconds: number
  versions: { supported: string[]; default: string }
  durations: Durations
  apps: AppSpec[]
  faults: FaultSpec[]
}

export interface Durations {
  provision: number
  follower_catch_up: number
  upgrade: number
  upgrade_prepare: number
  promote: number
  release_phase: number
  copy_mb_per_s: number
  plan_change: number
  /** A dyno is `starting` (and writes nothing) this long after it is started or restarted. */
  dyno_boot: number
  /** A stopped formation dyno keeps running and writing this long after SIGTERM. */
  dyno_stop: number
  /** How long a one-off dyno runs once up, unless its time_to_live is shorter. */
  one_off: number
  /** How long a fresh fork (explicit, or left by unfollow or a follower's upgrade) cannot be followed or forked. */
  follow_cooldown: number
  /** A credential made by `pg:credentials:create` is `provisioning`, with no usable user, this long. */
  credential_create: number
}

export interface FormationSpec {
  type: string
  quantity: number
  size: string
}

export interface AttachmentSpec {
  name: string
  namespace: string | null
  /** The app the attachment lives on; defaults to the owning app. */
  app: string | null
}

export interface DatabaseSpec {
  addon: string
  plan: string
  version: string
  attachments: AttachmentSpec[]
  data_size_mb: number
  tables: number
  /** Name of the leader add-on when this database is a follower. */
  following: string | null
  /** Extra credential names besides `default`. */
  credentials: string[]
  /** A daily backup schedule, or null. */
  backup_schedule: { hour: number; timezone: string } | null
}

export interface AppSpec {
  name: string
  space: string | null
  release_phase: boolean
  formation: FormationSpec[]
  writes_per_second: Record<string, number>
  config_vars: Record<string, string>
  databases: DatabaseSpec[]
  /** The attachment name through which the app's dynos write. */
  writes_through: string
  scheduler: SchedulerSpec[]
}

/** A Heroku Scheduler job: a one-off dyno of type `scheduler` every `every_seconds`, whatever maintenance says. */
export interface SchedulerSpec {
  every_seconds: number
  /** How long each run is up (and writing) after it has booted. */
  run_seconds: number
  first_at_seconds: number
  command: string
}

export interface HttpFault {
  kind: 'http'
  method: string | null
  path: string
  status: number | null
  drop: boolean
  times: number
  body: unknown
  retry_after: number | null
  /** Handle the request fully, then destroy the connection without answering. */
  drop_after: boolean
  /** Handle the request at once, send the answer after this many real seconds. */
  delay_seconds: number | null
}

export type BehaviourFaultType =
  | 'follower-never-catches-up'
  | 'upgrade-fails'
  | 'provision-fails'
  | 'attach-release-fails'

export interface BehaviourFault {
  kind: 'behaviour'
  type: BehaviourFaultType
  /** Add-on name (or app name for attach-release-fails) the fault is limited to; null = the next one. */
  target: string | null
  step: number
  times: number
}

export type FaultSpec = HttpFault | BehaviourFault
