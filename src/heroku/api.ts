// Typed functions for exactly the Heroku calls this action makes (see heroku-api.md sections 3-10).
import type { Transport } from './transport'
import type {
  Account,
  Addon,
  App,
  Attachment,
  DatabaseInfo,
  FormationEntry,
  FormationUpdate,
  Release,
  WaitStatus,
} from './types'

const SDK_HEADERS = {
  Accept: 'application/vnd.heroku+json; version=3.sdk',
  'Accept-Inclusion': 'addon:plan,config_vars',
}

const segment = encodeURIComponent

export class PlatformApi {
  constructor(private readonly http: Transport) {}

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

  /** Not retried blindly: a repeated create could make a second database. The caller reconciles. */
  createAddon(
    app: string,
    body: {
      plan: { name: string }
      config: Record<string, string>
      attachment: { name: string }
      confirm: string
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

  createAttachment(body: {
    addon: { name: string }
    app: { name: string }
    confirm: string
    name?: string
    namespace: string | null
  }): Promise<Attachment> {
    return this.http.request({ method: 'POST', path: '/addon-attachments', body })
  }

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
}

export class DataApi {
  constructor(private readonly http: Transport) {}

  getDatabase(addonId: string): Promise<DatabaseInfo> {
    return this.http.request({ method: 'GET', path: `/client/v11/databases/${segment(addonId)}` })
  }

  waitStatus(addonId: string): Promise<WaitStatus> {
    return this.http.request({ method: 'GET', path: `/client/v11/databases/${segment(addonId)}/wait_status` })
  }

  /** On a follower this stops following and upgrades. `version` omitted means the newest supported. */
  runUpgrade(addonId: string, version: string | undefined): Promise<{ message?: string }> {
    return this.http.request({
      method: 'POST',
      path: `/client/v11/databases/${segment(addonId)}/upgrade/run`,
      body: version === undefined ? {} : { version },
    })
  }

  upgradeWaitStatus(addonId: string): Promise<WaitStatus> {
    return this.http.request({
      method: 'GET',
      path: `/client/v11/databases/${segment(addonId)}/upgrade/wait_status`,
    })
  }

  unfollow(addonId: string): Promise<unknown> {
    return this.http.request({ method: 'PUT', path: `/client/v11/databases/${segment(addonId)}/unfollow` })
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
