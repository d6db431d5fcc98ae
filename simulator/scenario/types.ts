/** A validated scenario with every default filled in. Field names follow the JSON keys. */
export interface Scenario {
  name: string
  api_key: string
  github_token: string
  speed: number
  seed: number
  start_time: string
  replication_lag_seconds: number
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
