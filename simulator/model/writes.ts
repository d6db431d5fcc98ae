import type { Scenario } from '../scenario/file/types.js'
import type { Clock } from './clock.js'
import { holdingsAt, missing, newOrigin, sample, type CommitContext } from './commits.js'
import type { MaintenanceBook } from './maintenance-store.js'
import type { Store } from './store.js'
import type { Addon, App, Database, Holdings, Origin } from './types.js'
import { WriterShares } from './writer-shares.js'

/** Commits per simulated second that one app's dynos send to one add-on (dyno-writes.ts says who writes where). */
export interface WriteStream {
  app: App
  addonId: string
  rate: number
}

/**
 * The write ledger: every commit written, by origin (a database's life) and by app, the commits refused by
 * databases that took no writes, and what each database holds at a time, followers included. This is what
 * lost and refused writes are counted from.
 */
export class WriteLedger {
  private readonly origins: Origin[] = []
  private readonly shares = new WriterShares()
  /** Commits refused per add-on id (its database took no writes then): failed, so never lost. */
  private readonly refused = new Map<string, number>()
  private readonly commits: CommitContext

  constructor(
    scenario: Scenario,
    private readonly clock: Clock,
    private readonly store: Store,
    private readonly maintenances: MaintenanceBook,
  ) {
    this.commits = {
      lagSeconds: scenario.replication_lag_seconds,
      catchUpSeconds: scenario.durations.follower_catch_up,
      database: (id) => store.anyAddon(id)?.db,
      isProvisioned: (id) => {
        const addon = store.anyAddon(id)
        return addon !== undefined && addon.state !== 'provisioning' && addon.db.availableAt <= clock.now
      },
    }
  }

  /**
   * Adds the commits the streams wrote from the clock's time to `to` (the rates hold over the stretch: the clock
   * stops at every timer that could change them), then samples every origin at `to`.
   */
  integrate(to: number, streams: () => WriteStream[]): void {
    const dt = to - this.clock.now
    if (dt > 0) {
      const byDatabase = new Map<Database, Map<string, number>>()
      for (const stream of streams()) {
        const db = this.writableDatabase(stream.addonId)
        if (!db) {
          const refused = this.refused.get(stream.addonId) ?? 0
          this.refused.set(stream.addonId, refused + stream.rate * dt)
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
        this.shares.record(db.origin.key, before, increments)
      }
    }
    for (const addon of this.store.addons()) sample(addon.db.origin, to)
  }

  /** The add-on's database if it accepts writes right now. */
  writableDatabase(addonId: string): Database | undefined {
    const addon = this.store.addon(addonId)
    if (!addon || addon.state !== 'provisioned') return undefined
    const db = addon.db
    if (db.leaderId !== null) return undefined
    if (db.upgrade?.phase === 'running') return undefined
    // A plan changeover switches servers: the database is read-only until it is over.
    if (this.maintenances.isRunning(addonId)) return undefined
    // A write fence on the real server: every session the dynos open fails its writes.
    if (db.readOnly) return undefined
    return db
  }

  /** The commits the add-on's database holds at time t (now by default). */
  holdings(addonId: string, t = this.clock.now): Holdings {
    return holdingsAt(this.commits, addonId, t)
  }

  /** How many commits a follower is missing from its leader. */
  behindBy(addon: Addon): number {
    if (addon.db.leaderId === null) return 0
    return missing(this.holdings(addon.db.leaderId), this.holdings(addon.id))
  }

  /** A new life of the add-on's database (created, restored, copied into or unfollowed): a new stream of commits. */
  newOrigin(addonId: string): Origin {
    const origin = newOrigin(`${addonId}#${this.origins.length}`, this.clock.now)
    this.origins.push(origin)
    return origin
  }

  /** Commits refused by the add-on's database (it took no writes then). */
  refusedBy(addonId: string): number {
    return this.refused.get(addonId) ?? 0
  }

  /** Commits refused by every database. */
  refusedTotal(): number {
    return [...this.refused.values()].reduce((sum, n) => sum + n, 0)
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
      for (const appId of this.shares.writers(origin.key)) {
        const written = this.shares.written(origin.key, appId)
        const app = this.store.app(appId)
        const serving = app ? this.store.servingAddonOf(app) : undefined
        const holds = serving ? (heldBy(serving.id).get(origin.key) ?? 0) : 0
        const held = holds >= origin.count - 1e-9 ? written : this.shares.heldOf(origin.key, appId, holds)
        lost += Math.max(0, Math.floor(written + 1e-9) - Math.floor(held + 1e-9))
      }
    }
    return lost
  }
}
