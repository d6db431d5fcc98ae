// Each dyno that writes in the model runs a real writer: one session opened with the URL of the add-on it
// writes to when it starts, kept until the dyno stops (a restart is a new process, with a new id, hence a new
// writer, as a dyno on Heroku reads DATABASE_URL only when it boots). The rate is the dyno's share of its
// type's writes_per_second, capped so that a test stays quick. A web dyno's writer also reads before each
// write, as a request would: the reads it served and failed are counted (none while the router holds the
// requests back in maintenance mode, since the model then has web write nothing and its writer stops).
import { Writer, type AcknowledgedRow, type ReadCount } from '../../data-plane/writers.js'
import { refusesWritesForCapacity } from '../capacity.js'
import { urlFor } from '../database.js'
import { isWriting, ranWithAddon } from '../dyno-writes.js'
import type { App, Dyno } from '../types.js'
import type { World } from '../world.js'

/** Rows per second per dyno at most: the data plane counts rows, it does not load-test. */
export const MAX_ROWS_PER_SECOND = 20
/** How long a stopping writer's commit in flight may take to be answered (a dyno's SIGTERM grace). */
const STOP_GRACE_MS = 1000

interface Wanted {
  app: App
  dyno: Dyno
  addonId: string
  rate: number
}

function wanted(world: World): Map<string, Wanted> {
  const all = new Map<string, Wanted>()
  for (const app of world.store.apps()) {
    const serving = world.store.servingAddonOf(app)?.id ?? null
    const ofType = new Map<string, number>()
    for (const dyno of app.dynos) if (!dyno.oneOff) ofType.set(dyno.type, (ofType.get(dyno.type) ?? 0) + 1)
    for (const dyno of app.dynos) {
      if (!isWriting(world, app, dyno)) continue
      // As in dyno-writes.ts: a running formation dyno writes through the app's attachment; a one-off, a
      // stopping one and a restarted one's old process to the add-on it ran with.
      const addonId = dyno.oneOff ? dyno.addonId : (ranWithAddon(world, dyno) ?? serving)
      const addon = addonId === null ? undefined : world.store.addon(addonId)
      if (!addon || refusesWritesForCapacity(world, addon)) continue
      const typeRate = app.writesPerSecond[dyno.type] ?? 0
      const share = dyno.oneOff ? typeRate : typeRate / (ofType.get(dyno.type) ?? 1)
      const rate = Math.min(MAX_ROWS_PER_SECOND, share)
      if (rate > 0) all.set(`${dyno.id}|${addon.id}`, { app, dyno, addonId: addon.id, rate })
    }
  }
  return all
}

export class DynoWriters {
  private readonly running = new Map<string, { app: string; writer: Writer }>()
  private readonly starting = new Set<string>()
  private readonly stopping = new Set<Promise<void>>()
  private readonly finished: { app: string; rows: AcknowledgedRow[] }[] = []
  private readonly finishedReads: ReadCount = { served: 0, failed: 0 }
  /** When each read was served (Date.now()), every web writer's together. */
  private readonly servedAt: number[] = []
  private started = 0
  private closed = false

  constructor(private readonly log: (line: string) => void) {}

  /** Starts the writers of dynos that write and have none, stops those of dynos that no longer write. */
  reconcile(world: World): void {
    if (this.closed) return
    const want = wanted(world)
    for (const [key, entry] of this.running) if (!want.has(key)) this.stop(key, entry, STOP_GRACE_MS)
    for (const [key, spec] of want) {
      if (this.running.has(key) || this.starting.has(key)) continue
      const addon = world.store.addon(spec.addonId)
      if (!addon) continue
      this.starting.add(key)
      const name = `${spec.app.name}/${spec.dyno.name}#${++this.started}`
      // A database that refuses the session now (moving, not yet created) is tried again at the next pass.
      const reads = spec.dyno.type === 'web' && !spec.dyno.oneOff
      const onRead = reads
        ? (at: number): void => {
            this.servedAt.push(at)
          }
        : undefined
      Writer.start({ name, url: urlFor(addon, null), rate: spec.rate, reads, onRead })
        .then((writer) => {
          // The model may have moved on while the session opened: the dyno stopped, or writes elsewhere.
          if (this.closed || !wanted(world).has(key)) this.stop(key, { app: spec.app.name, writer }, 0)
          else this.running.set(key, { app: spec.app.name, writer })
        })
        .catch(() => undefined)
        .finally(() => this.starting.delete(key))
    }
  }

  private stop(key: string, entry: { app: string; writer: Writer }, graceMs: number): void {
    this.running.delete(key)
    const stopped = entry.writer
      .stop(graceMs)
      .then((summary) => {
        this.finished.push({ app: entry.app, rows: summary.acknowledged })
        this.finishedReads.served += summary.reads.served
        this.finishedReads.failed += summary.reads.failed
        if (summary.failed > 0)
          this.log(
            `data plane: ${summary.name} stopped; ${summary.failed} inserts failed (${summary.lastError})`,
          )
      })
      .finally(() => this.stopping.delete(stopped))
    this.stopping.add(stopped)
  }

  /** Every acknowledged row so far, by app name. */
  rowsByApp(): Map<string, AcknowledgedRow[]> {
    const byApp = new Map<string, AcknowledgedRow[]>()
    const add = (app: string, rows: AcknowledgedRow[]): void => {
      byApp.set(app, [...(byApp.get(app) ?? []), ...rows])
    }
    for (const done of this.finished) add(done.app, done.rows)
    for (const entry of this.running.values()) add(entry.app, entry.writer.rows())
    return byApp
  }

  acknowledged(): number {
    let total = 0
    for (const rows of this.rowsByApp().values()) total += rows.length
    return total
  }

  /** The web dynos' reads so far, served and failed. */
  reads(): ReadCount {
    const total = { ...this.finishedReads }
    for (const entry of this.running.values()) {
      const reads = entry.writer.readsSoFar()
      total.served += reads.served
      total.failed += reads.failed
    }
    return total
  }

  /** When each read so far was served (Date.now()), all web dynos together. */
  readTimes(): readonly number[] {
    return this.servedAt
  }

  /** Stops every writer (no grace: the simulator is going away) and waits for them. */
  async close(): Promise<void> {
    this.closed = true
    for (const [key, entry] of this.running) this.stop(key, entry, 0)
    while (this.starting.size > 0 || this.stopping.size > 0) {
      await Promise.allSettled([...this.stopping])
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}
