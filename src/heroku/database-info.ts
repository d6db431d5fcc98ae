// Reading the data API's database description: pg:info entries, version, lag, and the URLs inside it,
// which are secrets (masked as soon as they are read and never copied into the run record).
import * as core from '@actions/core'
import type { InfoEntry } from '../domain/vocabulary'
import { maskDatabaseUrl } from '../domain/secrets'
import { infoValue } from '../domain/pg-info'
import type { DatabaseInfo } from './types'
import { majorOf } from '../domain/version'

export { majorOf }

/** "14.17" from the PG Version entry (or postgres_version). */
export function pgVersion(database: DatabaseInfo): string | undefined {
  return infoValue(database.info, 'PG Version') ?? database.postgres_version
}

/** Commits behind the leader, from "Behind By: 125 commits"; undefined when not reported. */
export function behindBy(database: DatabaseInfo): number | undefined {
  const value = infoValue(database.info, 'Behind By')
  const digits = /(\d[\d,]*)/.exec(value ?? '')?.[1]
  return digits === undefined ? undefined : Number(digits.replace(/,/g, ''))
}

export function isFollowing(database: DatabaseInfo): boolean {
  return Boolean(database.following)
}

/** Masks every secret the data API can put in a database description. */
export function maskDatabaseSecrets(database: DatabaseInfo): void {
  for (const url of [database.resource_url, database.following]) if (url) maskDatabaseUrl(url)
  if (database.database_password) core.setSecret(database.database_password)
  for (const entry of database.info ?? [])
    for (const value of entry.values) if (looksLikeUrl(value)) maskDatabaseUrl(value)
}

const looksLikeUrl = (value: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(value)

/** Two Postgres URLs name the same database when host, port and path agree (credentials ignored). */
export function sameDatabase(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false
  try {
    const x = new URL(a)
    const y = new URL(b)
    return x.hostname === y.hostname && (x.port || '5432') === (y.port || '5432') && x.pathname === y.pathname
  } catch {
    return a === b
  }
}

/** The pg:info entries with every URL replaced by the name of the database it points at. */
export function sanitizeInfo(
  info: InfoEntry[] | undefined,
  known: Array<{ url?: string; name: string }>,
): InfoEntry[] {
  return (info ?? []).map((entry) => ({
    name: entry.name,
    values: entry.values.map((value) =>
      looksLikeUrl(value)
        ? (known.find((k) => sameDatabase(k.url, value))?.name ?? 'another database')
        : value,
    ),
  }))
}

/** Does `follower` follow the database described by `leader` (by leader id when given, else by URL)? */
export function follows(follower: DatabaseInfo, leader: { addonId: string; info: DatabaseInfo }): boolean {
  const leaderRef = follower.leader as { addon_id?: string } | string | null | undefined
  if (leaderRef && typeof leaderRef === 'object' && leaderRef.addon_id)
    return leaderRef.addon_id === leader.addonId
  return sameDatabase(follower.following, leader.info.resource_url)
}

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }

/** Bytes from "Data Size: 8.0 GB / 64 GB (In compliance)"; undefined when absent or unreadable. */
export function dataSizeBytes(database: DatabaseInfo): number | undefined {
  const match = /^([\d.,]+)\s*([kKMGT]?B)\b/.exec(infoValue(database.info, 'Data Size') ?? '')
  const [, amount, unit] = match ?? []
  const bytesPerUnit = unit === undefined ? undefined : UNITS[unit.toUpperCase()]
  if (amount === undefined || bytesPerUnit === undefined) return undefined
  return Math.round(Number(amount.replace(/,/g, '')) * bytesPerUnit)
}
