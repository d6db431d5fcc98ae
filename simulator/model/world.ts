import type { BehaviourFault, FaultSpec, HttpFault, Scenario } from '../scenario/types.js'
import { holdingsAt, newOrigin, sample, missing, type CommitContext } from './commits.js'
import { formationWriteRate, writeStreams } from './dyno-writes.js'
import { restartFormationDynos } from './dynos.js'
import { IdSource } from './ids.js'
import { MaintenanceBook } from './maintenance-store.js'
import { WriterShares } from './writer-shares.js'
import type {
  Addon,
  App,
  Attachment,
  Database,
  GithubIssue,
  Holdings,
  Origin,
  Release,
  ReleaseStatus,
  RequestRecord,
  SimEvent,
  Transfer,
} from './types.js'

interface Timer {
  at: number
  seq: number
  run: () => void
}

/** The whole simulated Heroku account plus the clock that drives it. */
export class World {
  readonly ids: IdSource
  /** A separate stream for dynos, so that adding dynos leaves every other generated id and name unchanged. */
  readonly dynoIds: IdSource
  readonly apps = new Map<string, App>()
  readonly addons = new Map<string, Addon>()
  /** Every add-on ever created, also destroyed ones, for lineage and lost-write accounting. */
  readonly graveyard = new Map<string, Addon>()
  attachments: Attachment[] = []
  readonly transfers: Transfer[] = []
  readonly issues: GithubIssue[] = []
  readonly events: SimEvent[] = []
  readonly requests: RequestRecord[] = []
  readonly origins: Origin[] = []
  readonly writerShares = new WriterShares()
  /** Data maintenances (plan changeovers) and maintenance windows set through the API. */
  readonly maintenanceBook = new MaintenanceBook()
  /** Commits refused per add-on id (its database took no writes then): failed, so never lost. */
  readonly refusedWrites = new Map<string, number>()
  httpFaults: HttpFault[] = []
  behaviourFaults: BehaviourFault[] = []
  speed: number
  private readonly realStart = Date.now()
  private readonly startMs: number
  private offset = 0
  private lastIntegrated = 0
  private timers: Timer[] = []
  private timerSeq = 0
  transferCounter = 0
  baseUrl = 'http://127.0.0.1'

  constructor(
    readonly scenario: Scenario,
    speed?: number,
  ) {
    this.ids = new IdSource(scenario.seed)
    this.dynoIds = new IdSource(scenario.seed + 0x5eed)
    this.speed = speed ?? scenario.speed
    this.startMs = Date.parse(scenario.start_time)
    this.addFaults(scenario.faults)
  }

  // ---- clock -------------------------------------------------------------------------------------

  /** Simulated seconds since the scenario started (real elapsed × speed + manual jumps). */
  clockNow(): number {
    return ((Date.now() - this.realStart) / 1000) * this.speed + this.offset
  }

  /** The time the model has been advanced to; use this inside operations. */
  get now(): number {
    return this.lastIntegrated
  }

  iso(t: number): string {
    return new Date(this.startMs + t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }

  realIso(t: number): string {
    if (this.speed === 0) return new Date().toISOString()
    const ms = this.realStart + ((t - this.offset) / this.speed) * 1000
    return new Date(Math.max(this.realStart, ms)).toISOString()
  }

  realElapsedSeconds(): number {
    return (Date.now() - this.realStart) / 1000
  }

  /** Jumps the simulated clock forward (introspection only). */
  jump(seconds: number): void {
    this.offset += seconds
    this.advance()
  }

  schedule(at: number, run: () => void): void {
    this.timers.push({ at, seq: this.timerSeq++, run })
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
  }

  /** Brings the model up to the current simulated time, running due timers in order. */
  advance(): void {
    const target = Math.max(this.lastIntegrated, this.clockNow())
    for (;;) {
      const next = this.timers[0]
      if (!next || next.at > target) break
      this.timers.shift()
      this.integrate(Math.max(this.lastIntegrated, next.at))
      next.run()
    }
    this.integrate(target)
  }

  // ---- writes ------------------------------------------------------------------------------------

  /** Adds the commits every writing dyno made between the last integration and t. */
  private integrate(t: number): void {
    const dt = t - this.lastIntegrated
    if (dt > 0) {
      const byDatabase = new Map<Database, Map<string, number>>()
      for (const stream of writeStreams(this)) {
        const db = this.writableDatabase(stream.addonId)
        if (!db) {
          const refused = this.refusedWrites.get(stream.addonId) ?? 0
          this.refusedWrites.set(stream.addonId, refused + stream.rate * dt)
          continue
        }
        const increments = byDatabase.get(db) ?? new Map<string, number>()
        byDatabase.set(db, increments)
        increments.set(stream.app.id, (increments.get(stream.app.id) ?? 0) + stream.rate * dt)
      }
      for (const [db, increments] of byDatabase) {
        const before = db.origin.count
        for (const [appId, inc] of increments) {
          db.origin.count += inc
          db.origin.writers.add(appId)
        }
        this.writerShares.record(db.origin.key, before, increments)
      }
    }
    this.lastIntegrated = t
    for (const addon of this.addons.values()) sample(addon.db.origin, t)
  }

  /** Commits per simulated second the app's formation dynos write right now (one-off dynos not included). */
  writeRate(app: App): number {
    return formationWriteRate(this, app)
  }

  /** The add-on's database if it accepts writes right now. */
  writableDatabase(addonId: string): Database | undefined {
    const addon = this.addons.get(addonId)
    if (!addon || addon.state !== 'provisioned') return undefined
    const db = addon.db
    if (db.leaderId !== null) return undefined
    if (db.upgrade?.phase === 'running') return undefined
    // A plan changeover switches servers: the database is read-only until it is over.
    if (this.maintenanceBook.isRunning(addonId)) return undefined
    return db
  }

  /**
   * The add-on the app's running dynos reach through an attachment name (default: the app's writes_through): the
   * attachment as of the last release that succeeded (with a release phase, a pending or failed Attach release
   * leaves the dynos on the old add-on).
   */
  servingAddonOf(app: App, attachmentName = app.writesThrough): Addon | undefined {
    const id = app.servingAddonIds.get(attachmentName)
    if (id === undefined) return undefined
    return this.addons.get(id) ?? this.graveyard.get(id)
  }

  /** The database the app's formation dynos write to (`serving_database`). */
  databaseAddonOf(app: App): Addon | undefined {
    return this.servingAddonOf(app)
  }

  /** The add-on the API currently attaches as DATABASE on the app. */
  attachedDatabaseOf(app: App): Addon | undefined {
    const attachment = this.attachments.find(
      (a) => a.appId === app.id && a.name === 'DATABASE' && a.namespace === null,
    )
    return attachment ? this.addons.get(attachment.addonId) : undefined
  }

  readonly commitContext: CommitContext = {
    lagSeconds: 0,
    catchUpSeconds: 0,
    database: (id) => (this.addons.get(id) ?? this.graveyard.get(id))?.db,
    isProvisioned: (id) => {
      const addon = this.addons.get(id) ?? this.graveyard.get(id)
      return addon !== undefined && addon.state !== 'provisioning' && addon.db.availableAt <= this.now
    },
  }

  holdings(addonId: string, t = this.now): Holdings {
    this.commitContext.lagSeconds = this.scenario.replication_lag_seconds
    this.commitContext.catchUpSeconds = this.scenario.durations.follower_catch_up
    return holdingsAt(this.commitContext, addonId, t)
  }

  behindBy(addon: Addon): number {
    if (addon.db.leaderId === null) return 0
    return missing(this.holdings(addon.db.leaderId), this.holdings(addon.id))
  }

  newOrigin(addonId: string): Origin {
    const origin = newOrigin(`${addonId}#${this.origins.length}`, this.now)
    this.origins.push(origin)
    return origin
  }

  /**
   * Commits that reached some database but are missing from the database each writing app now writes through
   * (its writes_through attachment): counted per app, so one app's loss is not hidden by another that still
   * uses the old database.
   */
  lostWrites(): number {
    const holdings = new Map<string, Holdings>()
    const heldBy = (addonId: string) => {
      if (!holdings.has(addonId)) holdings.set(addonId, this.holdings(addonId))
      return holdings.get(addonId) as Holdings
    }
    let lost = 0
    for (const origin of this.origins) {
      for (const appId of this.writerShares.writers(origin.key)) {
        const written = this.writerShares.written(origin.key, appId)
        const app = this.apps.get(appId)
        const serving = app ? this.servingAddonOf(app) : undefined
        const holds = serving ? (heldBy(serving.id).get(origin.key) ?? 0) : 0
        const held =
          holds >= origin.count - 1e-9 ? written : this.writerShares.heldOf(origin.key, appId, holds)
        lost += Math.max(0, Math.floor(written + 1e-9) - Math.floor(held + 1e-9))
      }
    }
    return lost
  }

  // ---- lookups -----------------------------------------------------------------------------------

  findApp(nameOrId: string): App | undefined {
    for (const app of this.apps.values()) if (app.name === nameOrId || app.id === nameOrId) return app
    return undefined
  }

  findAddon(nameOrId: string): Addon | undefined {
    for (const addon of this.addons.values())
      if (addon.name === nameOrId || addon.id === nameOrId) return addon
    return undefined
  }

  appOf(addon: Addon): App {
    return this.apps.get(addon.appId) as App
  }

  /** An app's attachments as Heroku lists them: `DATABASE` first, then in creation order. */
  attachmentsOfApp(appId: string): Attachment[] {
    const own = this.attachments.filter((a) => a.appId === appId)
    return [...own.filter((a) => a.name === 'DATABASE'), ...own.filter((a) => a.name !== 'DATABASE')]
  }

  attachmentsOfAddon(addonId: string): Attachment[] {
    return this.attachments.filter((a) => a.addonId === addonId)
  }

  isTakenAddonName(name: string): boolean {
    return this.findAddon(name) !== undefined || [...this.graveyard.values()].some((a) => a.name === name)
  }

  // ---- releases, config vars, events -------------------------------------------------------------

  event(type: string, detail: string, refs: { app?: App; addon?: Addon } = {}, at = this.now): void {
    const entry: SimEvent = {
      at_simulated: Math.round(at * 1000) / 1000,
      at_real: this.realIso(at),
      type,
      detail,
    }
    if (refs.app) entry.app = refs.app.name
    if (refs.addon) entry.addon = refs.addon.name
    this.events.push(entry)
  }

  /**
   * Adds a release. With a release phase it starts `pending` and ends with `outcome` after durations.release_phase.
   */
  release(
    app: App,
    description: string,
    outcome: ReleaseStatus = 'succeeded',
    onSucceeded: () => void = () => {},
  ): Release {
    const last = app.releases[app.releases.length - 1]
    const release: Release = {
      id: this.ids.uuid(),
      version: (last?.version ?? 0) + 1,
      description,
      status: app.releasePhase ? 'pending' : 'succeeded',
      config: Object.fromEntries(app.config),
      createdAt: this.now,
      updatedAt: this.now,
    }
    app.releases.push(release)
    // As on Heroku, a release that succeeds restarts the formation dynos onto it (one-off dynos keep theirs).
    if (!app.releasePhase) {
      onSucceeded()
      restartFormationDynos(this, app)
      return release
    }
    this.schedule(this.now + this.scenario.durations.release_phase, () => {
      release.status = outcome
      release.updatedAt = this.now
      this.event('release', `v${release.version} ${description}: ${outcome}`, { app })
      if (outcome !== 'succeeded') return
      onSucceeded()
      restartFormationDynos(this, app)
    })
    return release
  }

  setConfig(app: App, changes: Record<string, string | null>): void {
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) app.config.delete(key)
      else app.config.set(key, value)
    }
    app.updatedAt = this.now
  }

  // ---- faults ------------------------------------------------------------------------------------

  addFaults(faults: FaultSpec[]): void {
    for (const fault of faults) {
      if (fault.kind === 'http') this.httpFaults.push({ ...fault })
      else this.behaviourFaults.push({ ...fault })
    }
  }

  /** Consumes one use of a behaviour fault matching the type and target (add-on or app name), if any. */
  takeBehaviourFault(type: BehaviourFault['type'], targets: string[]): BehaviourFault | undefined {
    const index = this.behaviourFaults.findIndex(
      (f) => f.type === type && (f.target === null || targets.includes(f.target)),
    )
    const fault = this.behaviourFaults[index]
    if (!fault) return undefined
    fault.times -= 1
    if (fault.times <= 0) this.behaviourFaults.splice(index, 1)
    return fault
  }
}
