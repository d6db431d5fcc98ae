import type { IdSource } from './ids.js'
import type { Addon, Attachment, Credential, Database } from './types.js'

export const POOLER_NAMESPACE = 'connection-pooling:default'

export function newCredential(ids: IdSource, name: string): Credential {
  return { name, user: `u${ids.alnum(13)}`, password: `p${ids.hex(63)}` }
}

export function newDatabase(
  ids: IdSource,
  version: string,
  dataSizeMb: number,
  tables: number,
  at: number,
): Database {
  return {
    host: `ec2-${ids.int(250) + 3}-${ids.int(250)}-${ids.int(250)}-${ids.int(250)}.compute-1.sim.invalid`,
    dbname: `d${ids.alnum(13)}`,
    credentials: [newCredential(ids, 'default')],
    version,
    dataSizeMb,
    tables,
    leaderId: null,
    followSince: null,
    caughtUpAt: null,
    neverCatchesUp: false,
    forkedFromId: null,
    base: new Map(),
    origin: { key: '', count: 0, samples: [[at, 0]], writers: new Set() },
    upgrade: null,
    planChangeUntil: null,
    followableFrom: null,
    recreatingUntil: null,
    availableAt: at,
    overwrittenBy: null,
    schedules: [],
  }
}

/** Where the data plane's add-ons are reached (its proxy on loopback); null when the data plane is off. */
export interface Endpoint {
  host: string
  port: number
}

/** Points a new database's URLs at the data plane when it is on; leaves them on `.sim.invalid` otherwise. */
export function onEndpoint(db: Database, endpoint: Endpoint | null): Database {
  if (endpoint) {
    db.host = endpoint.host
    db.port = endpoint.port
  }
  return db
}

export function credential(db: Database, name: string): Credential | undefined {
  return db.credentials.find((c) => c.name === name)
}

/** The URL an attachment exposes; every default-namespace attachment of one add-on gets the same value. */
export function urlFor(addon: Addon, namespace: string | null): string {
  const db = addon.db
  const credName = namespace?.startsWith('credential:') ? namespace.slice('credential:'.length) : 'default'
  const cred = credential(db, credName) ?? (db.credentials[0] as Credential)
  const port = db.port ?? (namespace === POOLER_NAMESPACE ? 5433 : 5432)
  return `postgres://${cred.user}:${cred.password}@${db.host}:${port}/${db.dbname}`
}

export function resourceUrl(addon: Addon): string {
  return urlFor(addon, null)
}

export function configVarName(attachment: Attachment): string {
  return `${attachment.name}_URL`
}

/** `14.17` → `14`. */
export function major(version: string): string {
  return version.split('.')[0] as string
}

const LATEST_MINOR: Record<string, string> = {
  '12': '12.22',
  '13': '13.21',
  '14': '14.18',
  '15': '15.13',
  '16': '16.9',
  '17': '17.5',
  '18': '18.1',
}

export function fullVersion(majorVersion: string): string {
  return LATEST_MINOR[majorVersion] ?? `${majorVersion}.0`
}

/** Size in bytes of the data a database holds, growing with its commits. */
export function numBytes(db: Database, commits: number): number {
  return Math.round(db.dataSizeMb * 1024 * 1024 + commits * 512)
}
