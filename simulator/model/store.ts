import type { Addon, App, Attachment, Transfer } from './types.js'

/**
 * The account's records: apps, add-ons (live, and destroyed ones kept for lineage and lost-write accounting),
 * attachments and PG Backups transfers, with the lookups the API needs. It holds state only: the operations
 * in the other model modules decide what changes.
 */
export class Store {
  private readonly appsById = new Map<string, App>()
  private readonly live = new Map<string, Addon>()
  private readonly graveyard = new Map<string, Addon>()
  private attachmentList: Attachment[] = []
  private readonly transferList: Transfer[] = []

  // ---- apps ----------------------------------------------------------------------------------------

  addApp(app: App): void {
    this.appsById.set(app.id, app)
  }

  apps(): App[] {
    return [...this.appsById.values()]
  }

  app(id: string): App | undefined {
    return this.appsById.get(id)
  }

  findApp(nameOrId: string): App | undefined {
    for (const app of this.appsById.values()) if (app.name === nameOrId || app.id === nameOrId) return app
    return undefined
  }

  // ---- add-ons -------------------------------------------------------------------------------------

  addAddon(addon: Addon): void {
    this.live.set(addon.id, addon)
  }

  /** A destroyed add-on leaves the account but stays known by id. */
  retireAddon(addon: Addon): void {
    this.live.delete(addon.id)
    this.graveyard.set(addon.id, addon)
  }

  /** The live add-ons, oldest first. */
  addons(): Addon[] {
    return [...this.live.values()]
  }

  isLive(addonId: string): boolean {
    return this.live.has(addonId)
  }

  /** A live add-on by id. */
  addon(id: string): Addon | undefined {
    return this.live.get(id)
  }

  /** An add-on by id, destroyed ones included. */
  anyAddon(id: string): Addon | undefined {
    return this.live.get(id) ?? this.graveyard.get(id)
  }

  /** A live add-on by name or id. */
  findAddon(nameOrId: string): Addon | undefined {
    for (const addon of this.live.values()) if (addon.name === nameOrId || addon.id === nameOrId) return addon
    return undefined
  }

  /** An add-on by name or id, live ones first, then destroyed ones. */
  findAnyAddon(nameOrId: string): Addon | undefined {
    const live = this.findAddon(nameOrId)
    if (live) return live
    for (const addon of this.graveyard.values())
      if (addon.id === nameOrId || addon.name === nameOrId) return addon
    return undefined
  }

  isTakenAddonName(name: string): boolean {
    return this.findAddon(name) !== undefined || [...this.graveyard.values()].some((a) => a.name === name)
  }

  appOf(addon: Addon): App {
    return this.appsById.get(addon.appId) as App
  }

  // ---- attachments ---------------------------------------------------------------------------------

  addAttachment(attachment: Attachment): void {
    this.attachmentList.push(attachment)
  }

  removeAttachment(attachment: Attachment): void {
    this.attachmentList = this.attachmentList.filter((a) => a.id !== attachment.id)
  }

  /** Every attachment, in creation order. */
  attachments(): readonly Attachment[] {
    return this.attachmentList
  }

  /** An app's attachments as Heroku lists them: `DATABASE` first, then in creation order. */
  attachmentsOfApp(appId: string): Attachment[] {
    const own = this.attachmentList.filter((a) => a.appId === appId)
    return [...own.filter((a) => a.name === 'DATABASE'), ...own.filter((a) => a.name !== 'DATABASE')]
  }

  attachmentsOfAddon(addonId: string): Attachment[] {
    return this.attachmentList.filter((a) => a.addonId === addonId)
  }

  /**
   * The add-on the app's running dynos reach through an attachment name (default: the app's writes_through): the
   * attachment as of the last release that succeeded (with a release phase, a pending or failed Attach release
   * leaves the dynos on the old add-on).
   */
  servingAddonOf(app: App, attachmentName = app.writesThrough): Addon | undefined {
    const id = app.servingAddonIds.get(attachmentName)
    return id === undefined ? undefined : this.anyAddon(id)
  }

  /** The add-on the API currently attaches as DATABASE on the app. */
  attachedDatabaseOf(app: App): Addon | undefined {
    const attachment = this.attachmentList.find(
      (a) => a.appId === app.id && a.name === 'DATABASE' && a.namespace === null,
    )
    return attachment ? this.live.get(attachment.addonId) : undefined
  }

  // ---- transfers -----------------------------------------------------------------------------------

  addTransfer(transfer: Transfer): void {
    this.transferList.push(transfer)
  }

  /** Every backup, copy and restore, in the order they started. */
  transfers(): readonly Transfer[] {
    return this.transferList
  }
}
