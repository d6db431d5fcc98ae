// Typed functions for exactly the Heroku calls this action makes (see heroku-api.md sections 3-10).
import type { Transport } from './transport'
import type {
  Account,
  Addon,
  Maintenance,
  MaintenanceWindow,
  App,
  Attachment,
  DatabaseInfo,
  Dyno,
  FormationEntry,
  FormationUpdate,
  Release,
  Transfer,
  WaitStatus,
} from './types'

const SDK_HEADERS = {
  Accept: 'application/vnd.heroku+json; version=3.sdk',
  'Accept-Inclusion': 'addon:plan,config_vars',
}

const segment = encodeURIComponent

export class PlatformApi {
  constructor(private readonly http: Transport) {}

  /** Heroku's time as its latest answer said it (Date header, to the second); undefined before any. */
  serverTime(): number | undefined {
    return this.http.serverTime()
  }

  getAccount(): Promise<Account> {
    return this.http.request({ method: 'GET', path: '/account' })
  }

  getApp(app: string): Promise<App> {
    return this.http.request({ method: 'GET', path: `/apps/${segment(app)}` })
  }

  setMaintenance(app: string, maintenance: boolean): Promise<App> {
    return this.http.request({ method: 'PATCH', path: `/apps/${segment(app)}`, body: { maintenance } })
  }

  /** POST /actions/addon-attachments/resolve: all attachments matching `name` on `app` (404 when none). */
  resolveAttachments(app: string, name: string): Promise<Attachment[]> {
    return this.http.request({
      method: 'POST',
      path: '/actions/addon-attachments/resolve',
      headers: SDK_HEADERS,
      body: { addon_attachment: name, app },
    })
  }

  listAppAttachments(app: string): Promise<Attachment[]> {
    return this.http.request({
      method: 'GET',
      path: `/apps/${segment(app)}/addon-attachments`,
      headers: SDK_HEADERS,
    })
  }

  listAddonAttachments(addon: string): Promise<Attachment[]> {
    return this.http.request({ method: 'GET', path: `/addons/${segment(addon)}/addon-attachments` })
  }

  getAddon(app: string, addon: string): Promise<Addon> {
    return this.http.request({
      method: 'GET',
      path: `/apps/${segment(app)}/addons/${segment(addon)}`,
      headers: { 'Accept-Expansion': 'addon_service,plan' },
    })
  }

  /**
   * Not retried blindly: a repeated create could make a second database. The caller reconciles. Without
   * `confirm`, Heroku refuses an attachment name the app already has, which makes the create atomic.
   */
  createAddon(
    app: string,
    body: {
      plan: { name: string }
      name?: string
      config: Record<string, string>
      attachment: { name: string }
      confirm?: string
    },
  ): Promise<Addon> {
    return this.http.request({
      method: 'POST',
      path: `/apps/${segment(app)}/addons`,
      headers: { 'Accept-Expansion': 'plan', 'X-Heroku-Legacy-Provider-Messages': 'true' },
      body,
      retry: false,
    })
  }

  /** Not retried blindly: every attach is a release. The caller looks before sending it again. */
  createAttachment(body: {
    addon: { name: string }
    app: { name: string }
    confirm: string
    name?: string
    namespace: string | null
  }): Promise<Attachment> {
    return this.http.request({ method: 'POST', path: '/addon-attachments', body, retry: false })
  }

  /** addons:detach. Not retried blindly: the caller looks whether the attachment is gone. */
  deleteAttachment(id: string): Promise<unknown> {
    return this.http.request({ method: 'DELETE', path: `/addon-attachments/${segment(id)}`, retry: false })
  }

  /** Holds database URLs: every value must be masked before anything is logged. */
  getConfigVars(app: string): Promise<Record<string, string>> {
    return this.http.request({ method: 'GET', path: `/apps/${segment(app)}/config-vars` })
  }

  listDynos(app: string): Promise<Dyno[]> {
    return this.http.request({ method: 'GET', path: `/apps/${segment(app)}/dynos` })
  }

  /** Stopping a stopped dyno is harmless, so a lost answer may be sent again. */
  stopDyno(app: string, dyno: string): Promise<unknown> {
    return this.http.request({
      method: 'POST',
      path: `/apps/${segment(app)}/dynos/${segment(dyno)}/actions/stop`,
    })
  }

  /** Quantities are absolute, so sending the same update twice has the effect of sending it once. */
  getFormation(app: string): Promise<FormationEntry[]> {
    return this.http.request({ method: 'GET', path: `/apps/${segment(app)}/formation` })
  }

  updateFormation(app: string, updates: FormationUpdate[]): Promise<FormationEntry[]> {
    return this.http.request({ method: 'PATCH', path: `/apps/${segment(app)}/formation`, body: { updates } })
  }

  /** Newest first, at most `max` (Range: version ..; max=N, order=desc). */
  latestReleases(app: string, max: number): Promise<Release[]> {
    return this.http.request({
      method: 'GET',
      path: `/apps/${segment(app)}/releases`,
      headers: { Range: `version ..; max=${max}, order=desc` },
      partial: true,
    })
  }

  getRelease(app: string, id: string): Promise<Release> {
    return this.http.request({ method: 'GET', path: `/apps/${segment(app)}/releases/${segment(id)}` })
  }

  /**
   * Changes the add-on's plan (addons:upgrade). Sending the same plan twice is refused by Heroku ("already on
   * the plan"), so a lost answer is reconciled by reading the add-on, never by resending blindly.
   */
  changePlan(app: string, addon: string, plan: string): Promise<Addon> {
    return this.http.request({
      method: 'PATCH',
      path: `/apps/${segment(app)}/addons/${segment(addon)}`,
      headers: { 'Accept-Expansion': 'plan', 'X-Heroku-Legacy-Provider-Messages': 'true' },
      body: { plan: { name: plan } },
      retry: false,
    })
  }

  /** The plans Heroku offers for Postgres, named like heroku-postgresql:standard-0. */
  listPostgresPlans(): Promise<
    Array<{
      name: string
      installable_inside_private_network?: boolean
      installable_outside_private_network?: boolean
    }>
  > {
    return this.http.request({ method: 'GET', path: '/addon-services/heroku-postgresql/plans' })
  }
}

export class DataApi {
  constructor(private readonly http: Transport) {}

  /** Heroku's time as the data API's latest answer said it (Date header, to the second). */
  serverTime(): number | undefined {
    return this.http.serverTime()
  }

  getDatabase(addonId: string): Promise<DatabaseInfo> {
    return this.http.request({ method: 'GET', path: `/client/v11/databases/${segment(addonId)}` })
  }

  waitStatus(addonId: string): Promise<WaitStatus> {
    return this.http.request({ method: 'GET', path: `/client/v11/databases/${segment(addonId)}/wait_status` })
  }

  /**
   * On a follower this stops following and upgrades. `version` omitted means the newest supported. Not
   * retried blindly: a second run answers 400 once the first has started. The caller reconciles.
   */
  runUpgrade(addonId: string, version: string | undefined): Promise<{ message?: string }> {
    return this.http.request({
      method: 'POST',
      path: `/client/v11/databases/${segment(addonId)}/upgrade/run`,
      body: version === undefined ? {} : { version },
      retry: false,
    })
  }

  upgradeWaitStatus(addonId: string): Promise<WaitStatus> {
    return this.http.request({
      method: 'GET',
      path: `/client/v11/databases/${segment(addonId)}/upgrade/wait_status`,
    })
  }

  /** Not retried blindly; the caller reconciles by reading whether the database still follows. */
  unfollow(addonId: string): Promise<unknown> {
    return this.http.request({
      method: 'PUT',
      path: `/client/v11/databases/${segment(addonId)}/unfollow`,
      retry: false,
    })
  }

  /** Schedules the upgrade of a Standard+ leader. Not retried blindly: a second prepare is refused. */
  prepareUpgrade(addonId: string, version: string | undefined): Promise<{ message?: string }> {
    return this.http.request({
      method: 'POST',
      path: `/client/v11/databases/${segment(addonId)}/upgrade/prepare`,
      body: version === undefined ? {} : { version },
      retry: false,
    })
  }

  /** pg:copy: `addonId` is the target's add-on. Not retried blindly: every POST starts another transfer. */
  copy(
    addonId: string,
    body: { from_name: string; from_url: string; to_name: string; to_url: string },
  ): Promise<Transfer> {
    return this.http.request({
      method: 'POST',
      path: `/client/v11/databases/${segment(addonId)}/transfers`,
      body,
      retry: false,
    })
  }

  /** pg:backups:capture. Not retried blindly. */
  captureBackup(addonId: string): Promise<Transfer> {
    return this.http.request({
      method: 'POST',
      path: `/client/v11/databases/${segment(addonId)}/backups`,
      retry: false,
    })
  }

  /** pg:backups:restore into `addonId`. Not retried blindly. */
  restore(addonId: string, backupUrl: string): Promise<Transfer> {
    return this.http.request({
      method: 'POST',
      path: `/client/v11/databases/${segment(addonId)}/restores`,
      body: { backup_url: backupUrl },
      retry: false,
    })
  }

  /** `app` is the app that owns the transfer (name or id). */
  getTransfer(app: string, uuid: string): Promise<Transfer> {
    return this.http.request({
      method: 'GET',
      path: `/client/v11/apps/${segment(app)}/transfers/${segment(uuid)}`,
    })
  }

  listTransfers(app: string): Promise<Transfer[]> {
    return this.http.request({ method: 'GET', path: `/client/v11/apps/${segment(app)}/transfers` })
  }

  /** pg:credentials:create. Heroku refuses a name the database already has, so a resend cannot make two. */
  createCredential(addonName: string, name: string): Promise<unknown> {
    return this.http.request({
      method: 'POST',
      path: `/postgres/v0/databases/${segment(addonName)}/credentials`,
      body: { name },
      retry: false,
    })
  }

  /** pg:backups:schedule. A schedule with the same name replaces the old one, so a resend is harmless. */
  createTransferSchedule(
    addonId: string,
    schedule: { hour: number | string; timezone: string; schedule_name: string },
  ): Promise<unknown> {
    return this.http.request({
      method: 'POST',
      path: `/client/v11/databases/${segment(addonId)}/transfer-schedules`,
      body: schedule,
    })
  }

  /** The database's current or latest data maintenance (a plan change's changeover, for one). */
  maintenance(addonId: string): Promise<Maintenance> {
    return this.http.request({ method: 'GET', path: `/data/maintenances/v1/${segment(addonId)}` })
  }

  maintenanceWindow(addonId: string): Promise<MaintenanceWindow> {
    return this.http.request({ method: 'GET', path: `/data/maintenances/v1/${segment(addonId)}/window` })
  }

  /** data:maintenances:window:update. Setting the same window twice is harmless. */
  setMaintenanceWindow(
    addonId: string,
    window: { day_of_week: string; time_of_day: string },
  ): Promise<MaintenanceWindow> {
    return this.http.request({
      method: 'POST',
      path: `/data/maintenances/v1/${segment(addonId)}/window`,
      body: window,
    })
  }

  /** data:maintenances:run. Not retried blindly: the caller reconciles by reading the maintenance. */
  runMaintenance(addonId: string): Promise<Maintenance> {
    return this.http.request({
      method: 'POST',
      path: `/data/maintenances/v1/${segment(addonId)}/run`,
      retry: false,
    })
  }

  transferSchedules(addonId: string): Promise<unknown[]> {
    return this.http.request({
      method: 'GET',
      path: `/client/v11/databases/${segment(addonId)}/transfer-schedules`,
    })
  }
}

export interface HerokuApis {
  platform: PlatformApi
  data: DataApi
}
