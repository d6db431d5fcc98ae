// Shapes of the Heroku API answers this action reads (only the fields it uses).
import type { InfoEntry } from '../domain/vocabulary'

export interface Named {
  id: string
  name: string
}

export interface Account {
  id: string
  email?: string
}

export interface App extends Named {
  maintenance: boolean
  space?: { id: string; name: string } | null
}

export interface AddonRef extends Named {
  app?: Named
  plan?: { id?: string; name: string }
}

export interface Attachment extends Named {
  namespace?: string | null
  app: Named
  addon: AddonRef
  config_vars?: string[]
}

export interface Addon extends Named {
  app: Named
  plan: { id?: string; name: string }
  state: 'provisioning' | 'provisioned' | 'deprovisioning' | 'deprovisioned' | string
  config_vars?: string[]
}

export interface Dyno {
  id: string
  name: string
  type: string
  state: 'starting' | 'up' | 'crashed' | 'idle' | 'down' | string
  created_at?: string
  /** When the dyno last changed state (it became up, or started again). */
  updated_at?: string
}

export interface FormationEntry {
  type: string
  quantity: number
  size: string
}

export interface FormationUpdate {
  type: string
  /** Heroku expects a string here (ps:scale sends "0", "+1"). */
  quantity: string
  size?: string
}

export interface DatabaseInfo {
  addon_id?: string
  name?: string
  info?: InfoEntry[]
  resource_url?: string
  following?: string | null
  leader?: unknown
  postgres_version?: string
  'waiting?'?: boolean
  database_password?: string
}

export interface WaitStatus {
  'waiting?'?: boolean
  'error?'?: boolean
  message?: string
  step?: string
}

export interface Release {
  id: string
  version: number
  description: string
  status: 'succeeded' | 'failed' | 'pending' | string
}

/** A pg:copy, backup or restore (heroku-api.md 9.1); URLs in it are secrets. */
export interface Transfer {
  uuid: string
  num: number
  from_name?: string
  to_name?: string
  from_url?: string
  to_url?: string
  created_at?: string
  started_at?: string | null
  finished_at?: string | null
  canceled_at?: string | null
  succeeded?: boolean
  processed_bytes?: number
  source_bytes?: number
  logs?: Array<{ created_at?: string; level?: string; message: string }>
}

/** A data maintenance (GET /data/maintenances/v1/:addon; the CLI's data:maintenances:info). */
export interface Maintenance {
  status: 'none' | 'pending' | 'preparing' | 'ready' | 'running' | 'completed' | string
  method?: string | null
  reason?: string | null
  scheduled_for?: string | null
  required_by?: string | null
  started_at?: string | null
  completed_at?: string | null
  duration_seconds?: string | null
  window?: string | null
}

/** A database's weekly maintenance window (GET /data/maintenances/v1/:addon/window). */
export interface MaintenanceWindow {
  window?: string | null
  day_of_week?: string
  time_of_day?: string
}
