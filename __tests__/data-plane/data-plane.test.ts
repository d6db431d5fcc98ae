// The data plane on real servers: PG 14 and 17 clusters, an add-on database with Heroku's roles, writers whose
// acknowledged rows the oracle checks, and a 14 → 17 move (what an in-place upgrade does to the data).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lastTimings, start, type DataPlaneClusters } from '../../simulator/data-plane/cluster.js'
import {
  createAddonDatabase,
  credentialUrl,
  withClient,
  withDatabase,
  type AddonDatabase,
  type Credential,
} from '../../simulator/data-plane/databases.js'
import { DataPlaneUnavailable, serverBinaries } from '../../simulator/data-plane/binaries.js'
import { copyDatabase, follow, moveDatabase } from '../../simulator/data-plane/move.js'
import { startProxy, type DatabaseProxy } from '../../simulator/data-plane/proxy.js'
import pg from 'pg'
import type { TLSSocket } from 'node:tls'
import { Writer, countLost, type AcknowledgedRow } from '../../simulator/data-plane/writers.js'

let plane: DataPlaneClusters
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

beforeAll(async () => {
  plane = await start([14, 17])
  console.log('data plane timings (ms):', JSON.stringify(lastTimings))
}, 120_000)

afterAll(async () => {
  await plane?.stop()
})

function cluster(major: number) {
  const found = plane.clusters.get(major)
  if (!found) throw new Error(`no cluster ${major}`)
  return found
}

async function one<T>(url: string, sql: string, params: unknown[] = []): Promise<T> {
  return withClient(url, async (client) => {
    const { rows } = await client.query(sql, params)
    return rows[0] as T
  })
}

async function writeFor(ms: number, names: string[], url: string): Promise<AcknowledgedRow[]> {
  const writers = await Promise.all(names.map((name) => Writer.start({ name, url, rate: 40 })))
  await sleep(ms)
  const summaries = await Promise.all(writers.map((writer) => writer.stop(1000)))
  return summaries.flatMap((summary) => summary.acknowledged)
}

/** A new add-on database on the 14 cluster behind its own add-ons' host (the proxy), as an app reaches it. */
async function behindTheHost(
  work: (at: { addon: AddonDatabase; owner: Credential; proxy: DatabaseProxy; url: string }) => Promise<void>,
): Promise<void> {
  const addon = await createAddonDatabase(cluster(14).superuserUrl)
  const proxy = await startProxy()
  try {
    proxy.route(addon.database, cluster(14).port)
    const owner = addon.credentials.get('default')!
    await work({
      addon,
      owner,
      proxy,
      url: credentialUrl(proxy.port, owner.user, owner.password, addon.database),
    })
  } finally {
    await proxy.stop()
  }
}

describe('data plane', () => {
  it('starts one real server per major on loopback', () => {
    expect(cluster(14).version).toMatch(/^14\./)
    expect(cluster(17).version).toMatch(/^17\./)
    expect(cluster(14).port).not.toBe(cluster(17).port)
    expect(new URL(cluster(14).superuserUrl).hostname).toBe('127.0.0.1')
  })

  it('takes sessions over TLS only at the add-ons’ host, and refuses the others as Heroku does', async () => {
    await behindTheHost(async ({ addon, owner, url: viaHost }) => {
      // As an app connects to Heroku: TLS, the certificate not verified.
      const tls = new pg.Client({ connectionString: viaHost, ssl: { rejectUnauthorized: false } })
      await tls.connect()
      try {
        const stream = (tls as unknown as { connection: { stream: TLSSocket } }).connection.stream
        expect(stream.encrypted).toBe(true)
        expect(['TLSv1.2', 'TLSv1.3']).toContain(stream.getProtocol())
        expect((await tls.query('SELECT current_user AS u')).rows[0]).toEqual({ u: owner.user })
      } finally {
        await tls.end()
      }
      // Verifying the certificate fails, as it does against Heroku.
      const verifying = new pg.Client({ connectionString: viaHost, ssl: { rejectUnauthorized: true } })
      await expect(verifying.connect()).rejects.toThrow(/self[- ]signed/)
      // Without TLS: Heroku's refusal, naming the user and the database.
      const plain = new pg.Client({ connectionString: viaHost, ssl: false })
      await expect(plain.connect()).rejects.toThrow(
        `no pg_hba.conf entry for host "127.0.0.1", user "${owner.user}", database "${addon.database}", no encryption`,
      )
      // The clusters behind it offer TLS too.
      expect(await one(addon.url, 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).toEqual({
        ssl: true,
      })
    })
  })

  it('counts a web writer’s reads: served, then failed while its database is unavailable, then served again', async () => {
    await behindTheHost(async ({ addon, proxy, url }) => {
      const web = await Writer.start({ name: 'web.1', url, rate: 40, reads: true })
      await sleep(300)
      const up = web.readsSoFar()
      expect(up.served).toBeGreaterThan(0)
      expect(up.failed).toBe(0)
      // The database goes away (as during an in-place upgrade): its sessions cut, new ones refused.
      proxy.route(addon.database, null)
      proxy.cut(addon.database)
      await sleep(300)
      const down = web.readsSoFar()
      expect(down.failed).toBeGreaterThan(0)
      proxy.route(addon.database, cluster(14).port)
      await sleep(400)
      const summary = await web.stop(1000)
      expect(summary.reads.served).toBeGreaterThan(down.served)
      // Every request that wrote read first: a failed read is a failed request, never an acknowledged row.
      expect(summary.reads.served).toBeGreaterThanOrEqual(summary.acknowledged.length)
      expect(summary.failed).toBeGreaterThanOrEqual(summary.reads.failed)
    })
  })

  it("creates an add-on database whose default role owns it, is no superuser and has Heroku's roles", async () => {
    const addon = await createAddonDatabase(cluster(14).superuserUrl, { credentials: [{ name: 'analyst' }] })
    expect(addon.database).toMatch(/^d[a-z0-9]{13}$/)
    expect(new URL(addon.url).hostname).toBe('127.0.0.1')
    const owner = addon.credentials.get('default')!
    const roles = await one<{ superuser: boolean; owns: boolean; member: boolean }>(
      addon.url,
      `SELECT rolsuper AS superuser,
              (SELECT datdba = r.oid FROM pg_database WHERE datname = current_database()) AS owns,
              pg_has_role('pg_signal_backend', 'MEMBER') AND pg_has_role('pg_monitor', 'MEMBER')
                AND pg_has_role('pg_read_all_stats', 'MEMBER') AS member
         FROM pg_roles r WHERE rolname = current_user`,
    )
    expect(roles).toEqual({ superuser: false, owns: true, member: true })
    // A wrong password is refused: every credential is a real login.
    const wrong = credentialUrl(addon.port, owner.user, 'not-the-password', addon.database)
    await expect(withClient(wrong, async () => undefined)).rejects.toThrow(/password authentication failed/)
    // The other credential reads the default role's tables (repair-default's grants).
    await withClient(addon.url, (client) =>
      client.query('CREATE TABLE shared (x int); INSERT INTO shared VALUES (1)'),
    )
    const analyst = addon.credentials.get('analyst')!.url
    expect(await one(analyst, 'SELECT count(*)::int AS n FROM shared')).toEqual({ n: 1 })
  })

  describe('a 14 → 17 move with the writers stopped', () => {
    let addon: AddonDatabase
    let acknowledged: AcknowledgedRow[]
    let movedUrl: string

    beforeAll(async () => {
      addon = await createAddonDatabase(cluster(14).superuserUrl, { credentials: [{ name: 'analyst' }] })
      acknowledged = await writeFor(1000, ['web.1', 'worker.1'], addon.url)
      const started = Date.now()
      await moveDatabase(
        { superuserUrl: cluster(14).superuserUrl, database: addon.database },
        cluster(17).superuserUrl,
      )
      console.log(`moved ${acknowledged.length} rows 14 → 17 in ${Date.now() - started} ms`)
      const owner = addon.credentials.get('default')!
      movedUrl = credentialUrl(cluster(17).port, owner.user, owner.password, addon.database)
    }, 60_000)

    it('moves to a server of the higher major, where the same credential logs in', async () => {
      expect(acknowledged.length).toBeGreaterThan(40)
      expect((await one<{ version: string }>(addon.url, 'SELECT version()')).version).toMatch(
        /^PostgreSQL 14\./,
      )
      expect((await one<{ version: string }>(movedUrl, 'SELECT version()')).version).toMatch(
        /^PostgreSQL 17\./,
      )
      // The other credential moved too, with its password and its grants on the default role's table.
      const analyst = addon.credentials.get('analyst')!
      const analystUrl = credentialUrl(cluster(17).port, analyst.user, analyst.password, addon.database)
      expect(await one(analystUrl, 'SELECT count(*)::int AS n FROM sim_writes')).toEqual({
        n: acknowledged.length,
      })
    })

    it('keeps every row and the sequence, and the oracle counts nothing lost', async () => {
      const count = 'SELECT count(*)::int AS n, max(id)::int AS top FROM sim_writes'
      const before = await one<{ n: number; top: number }>(addon.url, count)
      const after = await one<{ n: number; top: number }>(movedUrl, count)
      expect(after).toEqual(before)
      expect(before.n).toBe(acknowledged.length)
      const next = await one<{ id: string }>(
        movedUrl,
        `INSERT INTO sim_writes (writer, n) VALUES ('after-move', 1) RETURNING id`,
      )
      expect(Number(next.id)).toBeGreaterThan(before.top)
      expect(await countLost(movedUrl, acknowledged)).toEqual({
        acknowledged: acknowledged.length,
        lost: 0,
        missing: [],
      })
    })

    it('counts as lost the rows a writer still sends to the old database after the move', async () => {
      const late = await writeFor(500, ['web.2'], addon.url)
      expect(late.length).toBeGreaterThan(5)
      const verdict = await countLost(movedUrl, [...acknowledged, ...late])
      expect(verdict.acknowledged).toBe(acknowledged.length + late.length)
      expect(verdict.lost).toBe(late.length)
      expect(verdict.missing[0]).toEqual({ writer: 'web.2', n: 1 })
    })
  })

  it('copies a schema with keys, identity, generated columns, views and settings (pg:copy)', async () => {
    const source = await createAddonDatabase(cluster(14).superuserUrl, { credentials: [{ name: 'analyst' }] })
    const target = await createAddonDatabase(cluster(17).superuserUrl)
    await withClient(source.url, (client) =>
      client.query(`
        CREATE SCHEMA billing;
        CREATE TABLE billing.customers (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text UNIQUE NOT NULL,
          cents int CHECK (cents >= 0), euros numeric GENERATED ALWAYS AS (cents / 100.0) STORED);
        CREATE TABLE orders (id serial PRIMARY KEY, customer int REFERENCES billing.customers, note text DEFAULT 'none');
        CREATE INDEX orders_customer ON orders (customer);
        CREATE TABLE log (line text);
        INSERT INTO billing.customers (email, cents) VALUES ('a@example.com', 250), ('b@example.com', 0);
        INSERT INTO orders (customer) VALUES (1), (2), (1);
        INSERT INTO log VALUES ('no key');
        CREATE VIEW order_count AS SELECT customer, count(*) AS n FROM orders GROUP BY customer;
        ALTER DATABASE ${source.database} SET statement_timeout = '30s';`),
    )
    await copyDatabase(
      { superuserUrl: cluster(14).superuserUrl, database: source.database },
      { superuserUrl: cluster(17).superuserUrl, database: target.database },
    )
    const read = (sql: string) => one<Record<string, unknown>>(target.url, sql)
    expect(await read(`SELECT sum(n)::int AS n FROM order_count`)).toEqual({ n: 3 })
    expect(await read(`SELECT euros::text FROM billing.customers WHERE id = 1`)).toEqual({
      euros: '2.5000000000000000',
    })
    expect(await read(`SELECT count(*)::int AS n FROM log`)).toEqual({ n: 1 })
    // Identity and serial sequences continue past the copied rows; the keys still hold.
    expect(
      await read(`INSERT INTO billing.customers (email, cents) VALUES ('c@example.com', 1) RETURNING id`),
    ).toEqual({
      id: 3,
    })
    expect(await read(`INSERT INTO orders (customer) VALUES (3) RETURNING id, note`)).toEqual({
      id: 4,
      note: 'none',
    })
    await expect(read(`INSERT INTO orders (customer) VALUES (99)`)).rejects.toThrow(/foreign key/)
    await expect(
      read(`INSERT INTO billing.customers (email, cents) VALUES ('a@example.com', 1)`),
    ).rejects.toThrow(/unique/)
    await expect(
      read(`INSERT INTO billing.customers (email, cents) VALUES ('d@example.com', -1)`),
    ).rejects.toThrow(/check constraint/)
    expect(await read(`SELECT indexdef FROM pg_indexes WHERE indexname = 'orders_customer'`)).toMatchObject({
      indexdef: expect.stringContaining('(customer)'),
    })
    // The database setting travelled (a physical follower or upgrade keeps it); the target's owner owns all.
    expect(await read('SHOW statement_timeout')).toEqual({ statement_timeout: '30s' })
    expect(await read(`SELECT tableowner FROM pg_tables WHERE tablename = 'orders'`)).toEqual({
      tableowner: target.credentials.get('default')!.user,
    })
  })

  it('refuses, by name, what it cannot copy, and names the fix for a missing server', async () => {
    const source = await createAddonDatabase(cluster(14).superuserUrl)
    const target = await createAddonDatabase(cluster(17).superuserUrl)
    await withClient(source.url, (client) =>
      client.query(
        `CREATE TYPE mood AS ENUM ('ok'); CREATE FUNCTION one() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
      ),
    )
    await expect(
      copyDatabase(
        { superuserUrl: cluster(14).superuserUrl, database: source.database },
        { superuserUrl: cluster(17).superuserUrl, database: target.database },
      ),
    ).rejects.toThrow(/cannot copy: function one\(\), type mood/)
    await expect(serverBinaries(13)).rejects.toThrow(DataPlaneUnavailable)
    await expect(serverBinaries(13)).rejects.toThrow(/Fix: add "pg13"/)
  })

  it('a follower on 17 receives its 14 leader’s rows and database settings until unfollow, then keeps its own', async () => {
    const leader = await createAddonDatabase(cluster(14).superuserUrl)
    const followerDb = await createAddonDatabase(cluster(17).superuserUrl)
    const seeded = await writeFor(300, ['seed'], leader.url)
    const follower = await follow(
      { superuserUrl: cluster(14).superuserUrl, database: leader.database },
      { superuserUrl: cluster(17).superuserUrl, database: followerDb.database },
    )
    const live = await writeFor(500, ['web.1'], leader.url)
    // A setting made on the leader while followed travels to the follower, as with Heroku's physical ones.
    const leaderAdmin = withDatabase(cluster(14).superuserUrl, leader.database)
    await one(leaderAdmin, `ALTER DATABASE "${leader.database}" SET default_transaction_read_only = on`)
    await follower.unfollow({ catchUp: true })
    expect(await countLost(followerDb.url, [...seeded, ...live])).toMatchObject({ lost: 0 })
    const carried = await one<{ on: string }>(followerDb.url, 'SHOW default_transaction_read_only')
    expect(Object.values(carried)).toEqual(['on'])
    for (const [admin, database] of [
      [leaderAdmin, leader.database],
      [withDatabase(cluster(17).superuserUrl, followerDb.database), followerDb.database],
    ] as const) {
      await one(admin, `ALTER DATABASE "${database}" RESET default_transaction_read_only`)
    }
    // After unfollow, the leader's writes no longer arrive.
    const afterwards = await writeFor(300, ['web.after'], leader.url)
    expect((await countLost(followerDb.url, afterwards)).lost).toBe(afterwards.length)
    // The follower's own credential writes there, past the leader's ids.
    const superuser = withDatabase(cluster(17).superuserUrl, followerDb.database)
    const top = await one<{ top: number }>(superuser, 'SELECT max(id)::int AS top FROM sim_writes')
    const inserted = await one<{ id: string }>(
      followerDb.url,
      `INSERT INTO sim_writes (writer, n) VALUES ('promoted', 1) RETURNING id`,
    )
    expect(Number(inserted.id)).toBeGreaterThan(top.top)
  })
})
