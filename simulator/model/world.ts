import type { Scenario } from '../scenario/file/types.js'
import type { Endpoint } from './database.js'
import { Clock } from './clock.js'
import { writeStreams } from './dyno-writes.js'
import { FaultBook } from './faults.js'
import { IdSource } from './ids.js'
import { Journal } from './journal.js'
import { MaintenanceBook } from './maintenance-store.js'
import { Store } from './store.js'
import { WriteLedger } from './writes.js'

/**
 * The whole simulated Heroku account: the parts that hold its state, side by side. Each part has its own
 * module; the operations that change the account (addons.ts, dynos.ts, releases.ts, …) take the world and use
 * the parts they need. HTTP and GitHub state belong to the server (http/).
 */
export class World {
  readonly ids: IdSource
  /** A separate stream for dynos, so that adding dynos leaves every other generated id and name unchanged. */
  readonly dynoIds: IdSource
  readonly clock: Clock
  readonly store = new Store()
  /** Data maintenances (plan changeovers) and maintenance windows set through the API. */
  readonly maintenances = new MaintenanceBook()
  readonly writes: WriteLedger
  readonly journal: Journal
  /** Behaviour faults still to happen. */
  readonly faults = new FaultBook()

  /** Rows counted on the data plane (when on): acknowledged by the dynos' writers, and missing at the end. */
  realRows: {
    acknowledged: number
    lost: number | null
    /** The web dynos' reads, served and failed. */
    reads: { served: number; failed: number }
  } | null = null
  /**
   * Called after the model moves on (each advance, each request handled) when the data plane runs, so that
   * the real writers follow the dynos without waiting for the data plane's next pass.
   */
  onChange: (() => void) | null = null

  constructor(
    readonly scenario: Scenario,
    speed?: number,
    /** The data plane's endpoint when it is on: every add-on's URL points there. */
    readonly endpoint: Endpoint | null = null,
  ) {
    this.ids = new IdSource(scenario.seed)
    this.dynoIds = new IdSource(scenario.seed + 0x5eed)
    this.clock = new Clock(scenario.start_time, speed ?? scenario.speed)
    this.writes = new WriteLedger(scenario, this.clock, this.store, this.maintenances)
    this.journal = new Journal(this.clock)
    this.faults.add(scenario.faults)
  }

  /**
   * The data plane, when it runs: while it is realising what the model did (a move, a copy), the model does
   * not move on, and every answer waits until it is done (`realise`), so that nothing Heroku says is done is
   * still under way on the real servers.
   */
  realSync: { busy(): boolean; realise(): Promise<void> } | null = null

  /** Brings the model up to the current simulated time: the writes of each stretch, then each due timer. */
  advance(): void {
    if (this.realSync?.busy()) return
    this.clock.advance((to) => this.writes.integrate(to, () => writeStreams(this)))
    this.onChange?.()
  }
}
