// Typed functions for exactly the Platform API calls this action makes (see heroku-api.md sections 3-10):
// the app, its add-ons and attachments, config vars, dynos, formation and releases.
import type { Transport } from './transport'
import { HerokuApiError } from './errors'
import type { Account, Addon, App, Attachment, Dyno, FormationEntry, FormationUpdate, Release } from './types'

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

  /**
   * Stops a dyno; true when it was there to stop. Stopping a stopped dyno is harmless, so a lost answer may be
   * sent again; a one-off dyno can exit between the list that showed it and the stop: Heroku then answers 404,
   * and what the stop was for is done.
   */
  async stopDyno(app: string, dyno: string): Promise<boolean> {
    try {
      await this.http.request({
        method: 'POST',
        path: `/apps/${segment(app)}/dynos/${segment(dyno)}/actions/stop`,
      })
      return true
    } catch (error) {
      if (error instanceof HerokuApiError && error.notFound) return false
      throw error
    }
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
