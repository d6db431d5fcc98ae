// Typed functions for exactly the data API calls this action makes (see heroku-api.md sections 3-10): the
// database's state and upgrades, transfers and backups, credentials, and its maintenances.
import type { Transport } from './transport'
import type { DatabaseInfo, Maintenance, MaintenanceWindow, Transfer, WaitStatus } from './types'

const segment = encodeURIComponent

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
