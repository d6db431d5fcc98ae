// The facts a run starts from (read-only inspection) and the plan the preflight makes of them. A leaf
// module: the inspection, the methods and the report all read these shapes.
import type { HerokuApis } from '../heroku/api'
import type { App, Attachment, DatabaseInfo, Dyno, FormationEntry, Maintenance } from '../heroku/types'
import type { Leftovers } from '../record/record'
import type { Tier } from '../domain/tier'

export interface OldDatabase {
  id: string
  name: string
  plan: string
  tier: Tier
  info: DatabaseInfo
  version: string
  major: number
  /** The app that owns (bills) the add-on: where its backups are listed. */
  appName?: string
  /** From pg:info's Data Size; undefined when Heroku did not report it. */
  sizeBytes?: number
}

/** Where the database stands with Heroku's own upgrade lifecycle (upgrade/wait_status). */
export interface UpgradeState {
  phase: 'none' | 'preparing' | 'prepared' | 'running' | 'failed'
  message: string
}

/** Another app attached to the database, and whether this API key can stop it. */
export interface OtherApp {
  name: string
  attachments: string[]
  formation?: FormationEntry[]
  /** The Private Space it runs in, if any. */
  space?: string | null
  /** Whether it owns (is billed for) the database. */
  owner: boolean
  /** Why the key cannot manage it, when it cannot. */
  unreachable?: string
}

/** The database this action's earlier run left attached under the run's fixed attachment name. */
export interface HeldDatabase {
  attachment: Attachment
  /** Its pg:info, when the data API knows it (undefined while it is provisioning). */
  info?: DatabaseInfo
}

/** Everything a method needs to know, read without changing anything. */
export interface Inspection {
  app: App
  old: OldDatabase
  appAttachments: Attachment[]
  /** Every attachment of the old database, on any app. */
  databaseAttachments: Attachment[]
  otherApps: OtherApp[]
  formation: FormationEntry[]
  dynos: Dyno[]
  plans: ListedPlan[]
  upgrade: UpgradeState
  /** The database's latest data maintenance (a plan change's changeover); undefined on Essential. */
  maintenance?: Maintenance
  leftovers: Leftovers
  /** What the inspection could not find out; the caller decides whether to warn. */
  notes: string[]
  /** The fixed names this run gives what it creates: they mark the database as held by this run. */
  hold: {
    attachment: string
    name: string
    /** The hold another run's new database carries (a follower or a copy target). */
    found?: HeldDatabase
    /** The hold an in-place or plan-change run took: the attachment on the old database itself. */
    onOld?: Attachment
  }
}

/** What the inspection reads with: Heroku, and the app and database the inputs name. */
export interface InspectDeps {
  api: HerokuApis
  app: string
  database: string
}

/** A Postgres plan as Heroku lists it, with where it can be installed. */
export interface ListedPlan {
  /** heroku-postgresql:standard-0 */
  name: string
  installable_inside_private_network?: boolean
  installable_outside_private_network?: boolean
}
