// A simulated Heroku Postgres add-on as a real database: one login role per credential, the default one
// owning the database and its public schema, not a superuser, and a member of pg_signal_backend, pg_monitor
// and pg_read_all_stats (what Heroku grants the default credential). Other credentials get what
// `heroku pg:credentials:repair-default` would give them: connect, use and create in public, and every
// privilege on the tables and sequences the default role creates.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export interface CredentialSpec {
  /** Heroku's credential name: `default`, `analyst`, … */
  name: string
  /** The role; when absent, `u` + 13 characters for `default` (Heroku's style), `<name>_` + 13 for others. */
  user?: string
  password?: string
}

export interface AddonDatabaseSpec {
  /** The database name; generated in Heroku's style (`d` + 13 characters) when absent. */
  database?: string
  /** The credentials; `default` is added first when missing. */
  credentials?: CredentialSpec[]
}

export interface Credential {
  name: string
  user: string
  password: string
  url: string
}

export interface AddonDatabase {
  database: string
  port: number
  /** The default credential's URL: what DATABASE_URL holds. */
  url: string
  credentials: Map<string, Credential>
}

export const HEROKU_DEFAULT_ROLES = ['pg_signal_backend', 'pg_monitor', 'pg_read_all_stats']

function suffix(length = 13): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789'
  return Array.from(randomBytes(length), (byte) => letters[byte % letters.length]).join('')
}

export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/** The same server and credentials, another database (or user and password) in the URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${encodeURIComponent(database)}`
  return parsed.toString()
}

export function credentialUrl(port: number, user: string, password: string, database: string): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`
}

/** The clusters' superuser: Heroku's side (moves, followers, copies), never an app's credential. */
export const SUPERUSER = 'postgres'

/**
 * A client as an app on Heroku opens one: over TLS, without verifying the certificate (Heroku's cannot be
 * verified). Every server of the data plane takes TLS: the add-ons' host requires it, the clusters offer it.
 * Heroku's own sessions (the superuser's) write whatever the database's defaults say: a database an app made
 * read-only is still upgraded, followed and copied.
 */
export function openClient(url: string): pg.Client {
  const herokuSide = decodeURIComponent(new URL(url).username) === SUPERUSER
  const client = new pg.Client({
    connectionString: url,
    ssl: { rejectUnauthorized: false },
    ...(herokuSide ? { options: '-c default_transaction_read_only=off' } : {}),
  })
  // A session the server ends while idle (a fence ending the app's sessions, a stopped cluster) must not
  // crash the process: the query that needed it fails instead.
  client.on('error', () => undefined)
  return client
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = openClient(url)
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** The server's own `SHOW server_version` (`17.10`), read through `url`; empty when it does not say. */
export async function serverVersion(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version')
    return rows[0]?.server_version ?? ''
  })
}

function portOf(url: string): number {
  return Number(new URL(url).port || 5432)
}

export async function createAddonDatabase(
  superuserUrl: string,
  spec: AddonDatabaseSpec = {},
): Promise<AddonDatabase> {
  const database = spec.database ?? `d${suffix()}`
  const given = spec.credentials ?? []
  const all = given.some((credential) => credential.name === 'default')
    ? given
    : [{ name: 'default' }, ...given]
  const port = portOf(superuserUrl)
  const credentials = new Map<string, Credential>()
  for (const credential of all) {
    // Roles are per cluster and several add-ons share one, so a named credential's role gets a suffix
    // (on Heroku, where each add-on has its own server, it is the bare name).
    const user = credential.user ?? (credential.name === 'default' ? 'u' : `${credential.name}_`) + suffix()
    const password = credential.password ?? randomBytes(24).toString('hex')
    credentials.set(credential.name, {
      name: credential.name,
      user,
      password,
      url: credentialUrl(port, user, password, database),
    })
  }
  const owner = credentials.get('default')
  if (!owner) throw new Error('unreachable: the default credential is always present')
  const others = [...credentials.values()].filter((credential) => credential !== owner)

  await withClient(superuserUrl, async (client) => {
    for (const credential of credentials.values()) {
      await client.query(
        `CREATE ROLE ${ident(credential.user)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE ` +
          `PASSWORD ${literal(credential.password)}`,
      )
    }
    await client.query(`GRANT ${HEROKU_DEFAULT_ROLES.join(', ')} TO ${ident(owner.user)}`)
    await client.query(`CREATE DATABASE ${ident(database)} OWNER ${ident(owner.user)}`)
    // Only this add-on's roles may connect, as if the database were alone on its server.
    await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(database)} FROM PUBLIC`)
    for (const credential of credentials.values()) {
      await client.query(
        `GRANT CONNECT, TEMPORARY ON DATABASE ${ident(database)} TO ${ident(credential.user)}`,
      )
    }
  })
  await withClient(withDatabase(superuserUrl, database), async (client) => {
    // PG 14 gives public to the bootstrap superuser and lets everyone create in it; 15 and later give it to
    // the database owner. The default role owns it on every major, so the same SQL works on each.
    await client.query(`ALTER SCHEMA public OWNER TO ${ident(owner.user)}`)
    await client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC')
    for (const other of others) {
      await client.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${ident(other.user)}`)
      for (const kind of ['TABLES', 'SEQUENCES']) {
        await client.query(
          `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(owner.user)} IN SCHEMA public ` +
            `GRANT ALL ON ${kind} TO ${ident(other.user)}`,
        )
      }
    }
  })
  return { database, port, url: owner.url, credentials }
}

/** Drops the database (closing its sessions first) and the roles that only it used. */
export async function dropAddonDatabase(superuserUrl: string, addon: AddonDatabase): Promise<void> {
  await withClient(superuserUrl, async (client) => {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [addon.database],
    )
    await client.query(`DROP DATABASE IF EXISTS ${ident(addon.database)}`)
    for (const credential of addon.credentials.values()) {
      await client.query(`DROP ROLE IF EXISTS ${ident(credential.user)}`)
    }
  })
}
