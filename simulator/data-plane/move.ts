// Moving real data between clusters, as Heroku's operations do: an in-place upgrade and a follower's upgrade
// move a database to the target major's cluster, pg:copy and a backup's restore copy its rows into another
// database. The servers ship no pg_dump, so the schema is rebuilt from the catalogs (schema.ts) and the rows
// travel by logical replication (a publication on the source, a pgoutput slot, a subscription on the
// target), which also gives a follower: a subscription left running until unfollow. Logical replication
// does not carry sequences: they are set from the source when the copy ends.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { ident, literal, openClient, withClient, withDatabase } from './databases.js'
import { databaseSettingsAs, readSchema } from './schema.js'

export interface DatabaseAt {
  /** The cluster's superuser URL (any database; the path is replaced). */
  superuserUrl: string
  database: string
}

export interface Follower {
  /** Bytes of the source's WAL the follower has not confirmed yet. */
  lagBytes(): Promise<number>
  /**
   * Stops following. With `catchUp` (what a copy with the writers stopped wants) it first waits until every
   * row committed on the source so far has arrived; without, rows still in flight are not there, as when a
   * Heroku follower is unfollowed with lag. Sequences are then set from the source's current values, and the
   * source's database-wide settings replace the target's (a copy gets them too: harsher than pg:copy, whose
   * pg_dump leaves them behind).
   */
  unfollow(options?: { catchUp?: boolean; timeoutMs?: number }): Promise<void>
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function poll(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`data plane: timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(50)
  }
}

async function one<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[]): Promise<T> {
  const row = await withClient(url, async (client) => (await client.query<T>(sql, params)).rows[0])
  if (!row) throw new Error(`data plane: no row for ${sql}`)
  return row
}

async function roleNames(superuserUrl: string): Promise<Set<string>> {
  return withClient(superuserUrl, async (client) => {
    const { rows } = await client.query<{ rolname: string }>('SELECT rolname FROM pg_roles')
    return new Set(rows.map((row) => row.rolname))
  })
}

function connectionString(url: string): string {
  const parsed = new URL(url)
  const pairs = {
    host: parsed.hostname,
    port: parsed.port || '5432',
    dbname: decodeURIComponent(parsed.pathname.slice(1)),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  }
  return Object.entries(pairs)
    .map(([key, value]) => `${key}=${literal(value)}`)
    .join(' ')
}

/**
 * Starts a follower: rebuilds the source's schema in the (existing, empty) target database and subscribes it
 * to all the source's tables; resolves once every table's initial copy is done and replication streams.
 */
export async function follow(source: DatabaseAt, target: DatabaseAt, timeoutMs = 60_000): Promise<Follower> {
  const sourceUrl = withDatabase(source.superuserUrl, source.database)
  const targetUrl = withDatabase(target.superuserUrl, target.database)
  const name = `sim_${randomBytes(6).toString('hex')}`
  const targetRoles = await roleNames(target.superuserUrl)
  const fallbackOwner = await withClient(target.superuserUrl, async (client) => {
    const { rows } = await client.query<{ owner: string }>(
      'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
      [target.database],
    )
    const owner = rows[0]?.owner
    if (!owner) throw new Error(`data plane: no database ${target.database} on the target cluster`)
    return owner
  })

  let sequences: Array<{ source: string; target: string }> = []
  const source_ = openClient(sourceUrl)
  const target_ = openClient(targetUrl)
  await source_.connect()
  await target_.connect()
  try {
    const script = await readSchema(source_, { targetDatabase: target.database, targetRoles, fallbackOwner })
    await target_.query('BEGIN')
    for (const sql of script.structure) await target_.query(sql)
    await target_.query('COMMIT')

    // Without a replica identity, an UPDATE or DELETE on a published table fails on the source: give the
    // tables that lack a primary key a full one, so that following never breaks the leader's writes.
    await source_.query(
      `DO $$ DECLARE t regclass; BEGIN FOR t IN SELECT c.oid FROM pg_class c JOIN pg_namespace n
         ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND c.relreplident = 'd'
         AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
         AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
       LOOP EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', t); END LOOP; END $$`,
    )
    await source_.query(`CREATE PUBLICATION ${name} FOR ALL TABLES`)
    // The slot is made here, not by CREATE SUBSCRIPTION, which would wait forever when source and target
    // are the same cluster (pg:copy within one server).
    await source_.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [name])
    await target_.query(
      `CREATE SUBSCRIPTION ${name} CONNECTION ${literal(connectionString(sourceUrl))} PUBLICATION ${name} ` +
        `WITH (create_slot = false, slot_name = ${literal(name)}, copy_data = true)`,
    )
    const tables = script.structure.filter((sql) => sql.startsWith('CREATE TABLE')).length
    await poll('the initial copy of every table', timeoutMs, async () => {
      const { rows } = await target_.query<{ ready: string }>(
        `SELECT count(*) FILTER (WHERE r.srsubstate = 'r') AS ready FROM pg_subscription_rel r
           JOIN pg_subscription s ON s.oid = r.srsubid WHERE s.subname = $1`,
        [name],
      )
      return Number(rows[0]?.ready ?? 0) >= tables
    })
    for (const sql of script.finish) await target_.query(sql)
    sequences = script.sequences
  } catch (error) {
    await source_.end()
    await target_.end()
    await teardown(sourceUrl, targetUrl, name).catch(() => undefined)
    throw error
  }
  await source_.end()
  await target_.end()

  const lagBytes = (): Promise<number> =>
    withClient(sourceUrl, async (client) => {
      const { rows } = await client.query<{ lag: string | null }>(
        `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) AS lag FROM pg_replication_slots
           WHERE slot_name = $1`,
        [name],
      )
      return Number(rows[0]?.lag ?? 0)
    })

  let unfollowed = false
  const unfollow = async (options: { catchUp?: boolean; timeoutMs?: number } = {}): Promise<void> => {
    if (unfollowed) return
    unfollowed = true
    if (options.catchUp) {
      const until = await withClient(sourceUrl, async (client) => {
        const { rows } = await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')
        return rows[0]?.lsn ?? '0/0'
      })
      await poll('the follower to catch up', options.timeoutMs ?? timeoutMs, () =>
        withClient(sourceUrl, async (client) => {
          const { rows } = await client.query<{ done: boolean }>(
            'SELECT confirmed_flush_lsn >= $2::pg_lsn AS done FROM pg_replication_slots WHERE slot_name = $1',
            [name, until],
          )
          return rows[0]?.done === true
        }),
      )
    }
    await teardown(sourceUrl, targetUrl, name)
    await copySequences(sourceUrl, targetUrl, sequences)
    // A physical follower carries its leader's database settings (a read-only fence, say) to the unfollow.
    const settings = await withClient(sourceUrl, (client) => databaseSettingsAs(client, target.database))
    await withClient(target.superuserUrl, async (client) => {
      for (const sql of settings) await client.query(sql)
    })
  }
  return { lagBytes, unfollow }
}

async function teardown(sourceUrl: string, targetUrl: string, name: string): Promise<void> {
  await withClient(targetUrl, async (client) => {
    const { rows } = await client.query('SELECT 1 FROM pg_subscription WHERE subname = $1', [name])
    if (rows.length === 0) return
    await client.query(`ALTER SUBSCRIPTION ${name} DISABLE`)
    await client.query(`ALTER SUBSCRIPTION ${name} SET (slot_name = NONE)`)
    await client.query(`DROP SUBSCRIPTION ${name}`)
  })
  await withClient(sourceUrl, async (client) => {
    // The walsender lets go of the slot shortly after the subscription is disabled.
    await poll('the replication slot to be released', 30_000, async () => {
      const { rows } = await client.query<{ active: boolean }>(
        'SELECT active FROM pg_replication_slots WHERE slot_name = $1',
        [name],
      )
      return rows[0]?.active !== true
    })
    await client.query(
      'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1',
      [name],
    )
    await client.query(`DROP PUBLICATION IF EXISTS ${name}`)
  })
}

async function copySequences(
  sourceUrl: string,
  targetUrl: string,
  sequences: Array<{ source: string; target: string }>,
): Promise<void> {
  await withClient(sourceUrl, async (sourceClient) =>
    withClient(targetUrl, async (targetClient) => {
      for (const seq of sequences) {
        const { rows } = await sourceClient.query<{ last_value: string; is_called: boolean }>(
          `SELECT last_value, is_called FROM ${seq.source}`,
        )
        const value = rows[0]
        if (!value) continue
        await targetClient.query(`SELECT setval((${seq.target})::regclass, $1, $2)`, [
          value.last_value,
          value.is_called,
        ])
      }
    }),
  )
}

/** Copies schema, rows and sequences into the existing, empty target database; writers should be stopped. */
export async function copyDatabase(
  source: DatabaseAt,
  target: DatabaseAt,
  timeoutMs = 120_000,
): Promise<void> {
  const follower = await follow(source, target, timeoutMs)
  await follower.unfollow({ catchUp: true, timeoutMs })
}

/**
 * Moves a database to another cluster under the same name, owner, roles (with the same passwords: their
 * SCRAM verifiers are carried over) and database privileges: what an in-place upgrade does. The source is left
 * in place; the caller drops it when the simulated operation completes.
 */
export async function moveDatabase(
  source: DatabaseAt,
  targetSuperuserUrl: string,
  timeoutMs = 120_000,
): Promise<DatabaseAt> {
  const roles = await withClient(source.superuserUrl, async (client) => {
    const { rows } = await client.query<{
      rolname: string
      rolpassword: string | null
      memberof: string[]
      owner: boolean
      privileges: string[]
    }>(
      `SELECT r.rolname, r.rolpassword, ARRAY(SELECT g.rolname FROM pg_auth_members m
                JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid)::text[] AS memberof,
              r.oid = d.datdba AS owner,
              ARRAY(SELECT a.privilege_type FROM aclexplode(d.datacl) a WHERE a.grantee = r.oid) AS privileges
         FROM pg_authid r, pg_database d
         WHERE d.datname = $1 AND NOT r.rolsuper AND r.rolname NOT LIKE 'pg\\_%'
           AND (r.oid = d.datdba OR r.oid IN (SELECT a.grantee FROM aclexplode(d.datacl) a))`,
      [source.database],
    )
    return rows
  })
  const owner = roles.find((role) => role.owner)
  if (!owner) throw new Error(`data plane: the owner of ${source.database} is a superuser or missing`)
  // PUBLIC's privileges: a database never granted or revoked anything (NULL) keeps the defaults.
  const publicAcl = await one<{ untouched: boolean; privileges: string[] }>(
    source.superuserUrl,
    `SELECT datacl IS NULL AS untouched,
            ARRAY(SELECT privilege_type FROM aclexplode(datacl) WHERE grantee = 0)::text[] AS privileges
       FROM pg_database WHERE datname = $1`,
    [source.database],
  )
  const existing = await roleNames(targetSuperuserUrl)
  await withClient(targetSuperuserUrl, async (client) => {
    for (const role of roles) {
      if (!existing.has(role.rolname)) {
        const password = role.rolpassword === null ? '' : ` PASSWORD ${literal(role.rolpassword)}`
        await client.query(`CREATE ROLE ${ident(role.rolname)} LOGIN NOSUPERUSER${password}`)
      }
      if (role.memberof.length > 0) {
        await client.query(`GRANT ${role.memberof.map(ident).join(', ')} TO ${ident(role.rolname)}`)
      }
    }
    await client.query(`CREATE DATABASE ${ident(source.database)} OWNER ${ident(owner.rolname)}`)
    if (!publicAcl.untouched) {
      await client.query(`REVOKE ALL ON DATABASE ${ident(source.database)} FROM PUBLIC`)
      for (const privilege of publicAcl.privileges) {
        await client.query(`GRANT ${privilege} ON DATABASE ${ident(source.database)} TO PUBLIC`)
      }
    }
    for (const role of roles) {
      for (const privilege of role.privileges) {
        await client.query(
          `GRANT ${privilege} ON DATABASE ${ident(source.database)} TO ${ident(role.rolname)}`,
        )
      }
    }
  })
  const target = { superuserUrl: targetSuperuserUrl, database: source.database }
  await copyDatabase(source, target, timeoutMs)
  return target
}
