import type { BehaviourFault, FaultSpec, HttpFault, Scenario } from '../scenario/types.js'
import { holdingsAt, newOrigin, sample, missing, type CommitContext } from './commits.js'
import { IdSource } from './ids.js'
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

  /** Adds the commits every writing app made between the last integration and t. */
  private integrate(t: number): void {
    const dt = t - this.lastIntegrated
    if (dt > 0) {
      for (const app of this.apps.values()) {
        const rate = this.writeRate(app)
        const db = this.writableDatabaseOf(app)
        if (rate <= 0 || !db) continue
        db.origin.count += rate * dt
        db.origin.writers.add(app.id)
      }
    }
    this.lastIntegrated = t
    for (const addon of this.addons.values()) sample(addon.db.origin, t)
  }

  writeRate(app: App): number {
    let rate = 0
    for (const f of app.formation) {
      if (f.quantity <= 0 || f.type === 'release') continue
      if (f.type === 'web' && app.maintenance) continue
      rate += app.writesPerSecond[f.type] ?? 0
    }
    return rate
  }

  /** The database behind the app's DATABASE_URL if it accepts writes right now. */
  writableDatabaseOf(app: App): Database | undefined {
    const addon = this.databaseAddonOf(app)
    if (!addon || addon.state !== 'provisioned' || !this.addons.has(addon.id)) return undefined
    const db = addon.db
    if (db.leaderId !== null) return undefined
    if (db.upgrade?.phase === 'running') return undefined
    return db
  }

  /**
   * The database the app's running dynos use: the add-on of the DATABASE attachment as of the last release
   * that succeeded (with a release phase, a pending or failed Attach release leaves the dynos on the old one).
   */
  databaseAddonOf(app: App): Addon | undefined {
    if (app.servingAddonId === null) return undefined
    return this.addons.get(app.servingAddonId) ?? this.graveyard.get(app.servingAddonId)
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

  /** Commits that reached some database but are missing from the database now serving their writer's DATABASE_URL. */
  lostWrites(): number {
    let lost = 0
    for (const origin of this.origins) {
      if (origin.writers.size === 0) continue
      const written = Math.floor(origin.count)
      let bestHeld = 0
      for (const appId of origin.writers) {
        const app = this.apps.get(appId)
        const serving = app ? this.databaseAddonOf(app) : undefined
        if (!serving) continue
        bestHeld = Math.max(bestHeld, Math.floor(this.holdings(serving.id).get(origin.key) ?? 0))
      }
      lost += Math.max(0, written - bestHeld)
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
      createdAt: this.now,
      updatedAt: this.now,
    }
    app.releases.push(release)
    if (!app.releasePhase) {
      onSucceeded()
      return release
    }
    this.schedule(this.now + this.scenario.durations.release_phase, () => {
      release.status = outcome
      release.updatedAt = this.now
      this.event('release', `v${release.version} ${description}: ${outcome}`, { app })
      if (outcome === 'succeeded') onSucceeded()
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
