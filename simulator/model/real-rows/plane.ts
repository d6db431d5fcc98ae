// The data plane wired to the model (scenario key `data_plane`, `--data-plane`): real clusters for the
// majors the scenario needs, one loopback endpoint for every add-on's URL, and a loop that keeps the real
// databases and the dynos' writers in step with the model (real-databases.ts, dyno-writers.ts). The model
// stays the authority on what happens and when; the data plane makes it happen to rows, and counts them.
import { start, type Cluster, type DataPlaneClusters } from '../../data-plane/cluster.js'
import { startProxy, type DatabaseProxy } from '../../data-plane/proxy.js'
import { countLost, type AcknowledgedRow } from '../../data-plane/writers.js'
import type { Scenario } from '../../scenario/file/types.js'
import { major, urlFor, type Endpoint } from '../database.js'
import type { World } from '../world.js'
import { DynoWriters } from './dyno-writers.js'
import { RealDatabases } from './real-databases.js'

/** The majors Heroku can upgrade to that the data plane always has ready (others start when first needed). */
const TARGET_MAJORS = [17, 18]
const PASS_MS = 250
const COUNT_EVERY_MS = 1000

export interface RowCount {
  acknowledged: number
  lost: number
  /** The first missing rows, to name them in a failure. */
  missing: AcknowledgedRow[]
}

export class RealPlane {
  private readonly planes: DataPlaneClusters[]
  private readonly clusters = new Map<number, Cluster>()
  private readonly starting = new Map<number, Promise<Cluster>>()
  private readonly databases: RealDatabases
  private readonly writers: DynoWriters
  private readonly reported = new Set<string>()
  private world: World | null = null
  private timer: NodeJS.Timeout | undefined
  private pass: Promise<void> | null = null
  private countedAt = 0
  private lost: number | null = null
  private stopped = false

  private constructor(
    first: DataPlaneClusters,
    private readonly proxy: DatabaseProxy,
    private readonly log: (line: string) => void,
  ) {
    this.planes = [first]
    for (const [m, cluster] of first.clusters) this.clusters.set(m, cluster)
    this.databases = new RealDatabases({ proxy, cluster: (m) => this.cluster(m), log })
    this.writers = new DynoWriters(log)
  }

  /** Starts a cluster per major of the scenario's databases and per target major, and the endpoint. */
  static async start(scenario: Scenario, log: (line: string) => void): Promise<RealPlane> {
    const majors = new Set(TARGET_MAJORS)
    for (const app of scenario.apps) for (const db of app.databases) majors.add(Number(major(db.version)))
    const clusters = await start([...majors])
    try {
      const proxy = await startProxy()
      log(
        `data plane: PostgreSQL ${[...clusters.clusters.values()].map((c) => c.version).join(', ')}; ` +
          `add-ons at 127.0.0.1:${proxy.port}`,
      )
      return new RealPlane(clusters, proxy, log)
    } catch (error) {
      await clusters.stop()
      throw error
    }
  }

  get endpoint(): Endpoint {
    return { host: '127.0.0.1', port: this.proxy.port }
  }

  /** The cluster of a major, started on first use when the scenario did not need it at the start. */
  private async cluster(wanted: number): Promise<Cluster> {
    const ready = this.clusters.get(wanted)
    if (ready) return ready
    let starting = this.starting.get(wanted)
    if (!starting) {
      starting = start([wanted]).then((plane) => {
        this.planes.push(plane)
        const cluster = plane.clusters.get(wanted)
        if (!cluster) throw new Error(`data plane: no cluster ${wanted}`)
        this.clusters.set(wanted, cluster)
        return cluster
      })
      this.starting.set(wanted, starting)
    }
    return starting
  }

  /** Makes the seeded add-ons' databases (and followers) real, then keeps them in step every 250 ms. */
  async attach(world: World): Promise<void> {
    this.world = world
    world.onChange = () => this.writers.reconcile(world)
    world.realSync = { busy: () => this.pass !== null, realise: () => this.caughtUp() }
    await this.runPass()
    this.timer = setInterval(() => void this.runPass(), PASS_MS)
    this.timer.unref()
  }

  private runPass(): Promise<void> {
    const world = this.world
    if (this.pass || !world || this.stopped) return this.pass ?? Promise.resolve()
    this.pass = this.reconcile(world).finally(() => {
      this.pass = null
      // The model did not move on while the pass ran; the simulator's tick may have fallen inside it every
      // time (both run every 250 ms), so it moves on now rather than only when a request comes.
      if (!this.stopped) world.advance()
    })
    return this.pass
  }

  private async reconcile(world: World): Promise<void> {
    try {
      await this.databases.reconcile(world)
    } catch (error) {
      const message = `data plane: ${(error as Error).message}`
      if (!this.reported.has(message)) this.log(message)
      this.reported.add(message)
    }
    this.writers.reconcile(world)
    if (Date.now() - this.countedAt >= COUNT_EVERY_MS) {
      this.countedAt = Date.now()
      this.lost = (await this.count(world).catch(() => null))?.lost ?? this.lost
    }
    world.realRows = this.figures()
  }

  /**
   * The oracle: each app's acknowledged rows missing from the database its app now writes through (its
   * writes_through attachment, DATABASE by default: what DATABASE_URL names), as the model's lost_writes
   * counts. Rejects when that database cannot be reached (it is moving).
   */
  private async count(world: World): Promise<RowCount> {
    const result: RowCount = { acknowledged: 0, lost: 0, missing: [] }
    for (const [appName, rows] of this.writers.rowsByApp()) {
      const app = world.store.findApp(appName)
      const serving = app ? world.store.servingAddonOf(app) : undefined
      const url = serving ? urlFor(serving, null) : undefined
      const counted = url
        ? await countLost(url, rows)
        : { acknowledged: rows.length, lost: rows.length, missing: rows.slice(0, 20) }
      result.acknowledged += counted.acknowledged
      result.lost += counted.lost
      result.missing.push(...counted.missing)
    }
    return result
  }

  private figures(): NonNullable<World['realRows']> {
    return { acknowledged: this.writers.acknowledged(), lost: this.lost, reads: this.writers.reads() }
  }

  /** Resolves once the real servers hold what the model says now (a pass after any under way). */
  private async caughtUp(): Promise<void> {
    await this.pass
    await this.runPass()
  }

  /** Finishes what the model asked for so far (a move, a copy), then counts; what a test asserts on. */
  async rows(): Promise<RowCount> {
    const world = this.world
    if (!world) throw new Error('data plane: not attached')
    await this.pass
    await this.runPass()
    const counted = await this.count(world)
    this.countedAt = Date.now()
    this.lost = counted.lost
    world.realRows = this.figures()
    return counted
  }

  /** When each read the web dynos' writers made was served (Date.now()), for read gaps. */
  readTimes(): readonly number[] {
    return this.writers.readTimes()
  }

  /** Stops the writers, the followers, the endpoint and the servers. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    clearInterval(this.timer)
    await this.pass?.catch(() => undefined)
    await this.writers.close()
    await this.databases.stop()
    await this.proxy.stop()
    await Promise.allSettled([...this.starting.values()])
    await Promise.allSettled(this.planes.map((plane) => plane.stop()))
  }
}
