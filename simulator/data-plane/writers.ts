// A writer is what a dyno does to its database: one session opened with the URL it was started with, one
// row per commit at a steady rate, and a record of every row the server acknowledged. The oracle then counts,
// in the database the app names at the end, which acknowledged rows are missing: those are lost writes. A web
// dyno's writer serves requests: each one reads (the newest row) before it writes, and the reads the server
// answered and those it did not are counted.
import pg from 'pg'
import { ident, openClient } from './databases.js'

export const WRITES_TABLE = 'sim_writes'

export interface AcknowledgedRow {
  writer: string
  n: number
}

export interface WriterOptions {
  /** The name stored in each row, e.g. `web.1`; unique per writer, since the oracle matches (name, n). */
  name: string
  url: string
  /** Commits per second. */
  rate: number
  /** Each commit is a request that reads first (a web dyno). */
  reads?: boolean
  /** Told the time (Date.now()) of every read the server answered: the gaps between them are read downtime. */
  onRead?: (at: number) => void
  table?: string
}

export interface ReadCount {
  served: number
  failed: number
}

export interface WriterSummary {
  name: string
  acknowledged: AcknowledgedRow[]
  /** Inserts the server refused or that died with the connection (never acknowledged, so never lost). */
  failed: number
  reads: ReadCount
  lastError?: string
}

/**
 * Whether the error ended the session: no SQLSTATE (a system error such as ECONNRESET, a closed client), or a
 * connection or shutdown class (a terminated backend, a server going away).
 */
function endsSession(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)
  return !sqlState || code.startsWith('08') || code.startsWith('57P')
}

export async function ensureWritesTable(client: pg.Client, table = WRITES_TABLE): Promise<void> {
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${ident(table)} (id bigserial PRIMARY KEY, writer text NOT NULL, ` +
        'n bigint NOT NULL, at timestamptz NOT NULL DEFAULT now())',
    )
  } catch (error) {
    // Two writers creating the table at the same moment: one wins, the other sees a duplicate (of the key,
    // the table or its row type); both go on. A read-only database (a write fence) refuses even a CREATE that
    // would do nothing: an app booting then still serves its reads, and its writes fail one by one.
    const code = (error as { code?: string }).code
    if (code !== '23505' && code !== '42P07' && code !== '42710' && code !== '25006') throw error
  }
}

export class Writer {
  readonly name: string
  private readonly url: string
  private readonly table: string
  private readonly intervalMs: number
  private readonly reads: boolean
  private readonly onRead: ((at: number) => void) | undefined
  private readonly readCount: ReadCount = { served: 0, failed: 0 }
  private client: pg.Client | undefined
  private timer: NodeJS.Timeout | undefined
  private inFlight: Promise<void> | undefined
  private running = false
  private dueAt = 0
  private next = 1
  private readonly acknowledged: AcknowledgedRow[] = []
  private failed = 0
  private lastError: string | undefined

  private constructor(options: WriterOptions) {
    this.name = options.name
    this.url = options.url
    this.table = options.table ?? WRITES_TABLE
    this.intervalMs = 1000 / options.rate
    this.reads = options.reads ?? false
    this.onRead = options.onRead
  }

  /** Opens the session and creates the table when missing; rejects when the database cannot be reached. */
  static async start(options: WriterOptions): Promise<Writer> {
    if (!(options.rate > 0)) throw new Error(`writer ${options.name}: rate must be positive`)
    const writer = new Writer(options)
    const client = await writer.connect()
    try {
      await ensureWritesTable(client, writer.table)
    } catch (error) {
      await client.end().catch(() => undefined)
      throw error
    }
    writer.client = client
    writer.running = true
    writer.dueAt = Date.now()
    writer.schedule()
    return writer
  }

  private async connect(): Promise<pg.Client> {
    const client = openClient(this.url)
    // A session the server ends (a terminated backend, a stopped cluster) must not crash the process.
    client.on('error', (error) => {
      this.lastError = error.message
    })
    await client.connect()
    return client
  }

  // Commits are due at fixed times from the start, so that slow ones are made up and the rate holds.
  private schedule(): void {
    if (!this.running) return
    this.dueAt += this.intervalMs
    this.timer = setTimeout(
      () => {
        this.inFlight = this.writeOne().finally(() => {
          this.inFlight = undefined
          this.schedule()
        })
      },
      Math.max(0, this.dueAt - Date.now()),
    )
  }

  private async writeOne(): Promise<void> {
    const n = this.next++
    let reading = this.reads
    try {
      // A broken session is reopened with the same URL: an app's pool does that, and keeps its old URL.
      if (!this.client) {
        const client = await this.connect()
        if (!this.running) {
          await client.end()
          throw new Error('stopped while reconnecting')
        }
        this.client = client
      }
      if (reading) {
        await this.client.query(`SELECT id, writer, n FROM ${ident(this.table)} ORDER BY id DESC LIMIT 1`)
        this.readCount.served += 1
        this.onRead?.(Date.now())
        reading = false
      }
      await this.client.query(`INSERT INTO ${ident(this.table)} (writer, n) VALUES ($1, $2)`, [this.name, n])
      this.acknowledged.push({ writer: this.name, n })
    } catch (error) {
      // A request whose read failed does not write either.
      if (reading) this.readCount.failed += 1
      this.failed += 1
      this.lastError = (error as Error).message
      // An error the server answered (a read-only transaction, say) leaves the session open; others end it.
      if (!endsSession(error)) return
      const broken = this.client
      this.client = undefined
      await broken?.end().catch(() => undefined)
    }
  }

  /** The reads served and failed so far (a copy). */
  readsSoFar(): ReadCount {
    return { ...this.readCount }
  }

  /** Rows acknowledged so far (a copy). */
  rows(): AcknowledgedRow[] {
    return [...this.acknowledged]
  }

  /**
   * Stops writing. With a grace, the commit in flight may finish within it (a dyno's SIGTERM grace); without,
   * the session is closed at once and a commit in flight counts as failed unless the server had answered.
   */
  async stop(graceMs = 0): Promise<WriterSummary> {
    this.running = false
    if (this.timer) clearTimeout(this.timer)
    if (this.inFlight) {
      await Promise.race([this.inFlight, new Promise((resolve) => setTimeout(resolve, graceMs))])
    }
    const client = this.client
    this.client = undefined
    await client?.end().catch(() => undefined)
    // The commit cut off by the close settles (as failed, or acknowledged if the answer had arrived) before
    // the summary is taken, so that no acknowledged row is left out of it.
    await this.inFlight
    return {
      name: this.name,
      acknowledged: this.rows(),
      failed: this.failed,
      reads: this.readsSoFar(),
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    }
  }
}

export interface OracleCount {
  acknowledged: number
  lost: number
  /** The first 20 missing rows, in the order they were acknowledged, to name them in a failure. */
  missing: AcknowledgedRow[]
}

/** Counts the acknowledged rows missing from the database `url` names (every one, if the table is gone). */
export async function countLost(
  url: string,
  acknowledged: AcknowledgedRow[],
  table = WRITES_TABLE,
): Promise<OracleCount> {
  const client = openClient(url)
  await client.connect()
  try {
    const exists = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
      ident(table),
    ])
    if (!exists.rows[0]?.present) {
      return {
        acknowledged: acknowledged.length,
        lost: acknowledged.length,
        missing: acknowledged.slice(0, 20),
      }
    }
    const { rows } = await client.query<{ writer: string; n: string }>(
      `SELECT a.writer, a.n FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS a(writer, n, i) ` +
        `WHERE NOT EXISTS (SELECT 1 FROM ${ident(table)} t WHERE t.writer = a.writer AND t.n = a.n) ORDER BY a.i`,
      [acknowledged.map((row) => row.writer), acknowledged.map((row) => row.n)],
    )
    return {
      acknowledged: acknowledged.length,
      lost: rows.length,
      missing: rows.slice(0, 20).map((row) => ({ writer: row.writer, n: Number(row.n) })),
    }
  } finally {
    await client.end()
  }
}

/**
 * The longest stretch of [from, to] (ms) without a served read, given the times reads were served: the read
 * downtime a visitor could have met. The whole stretch when none was served in it.
 */
export function longestReadGap(servedAt: readonly number[], from: number, to: number): number {
  let longest = 0
  let last = from
  for (const at of [...servedAt].sort((a, b) => a - b)) {
    if (at < from || at > to) continue
    longest = Math.max(longest, at - last)
    last = at
  }
  return Math.max(longest, to - last)
}
