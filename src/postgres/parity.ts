// Parity before reopening: what the database the app leaves (fenced, so it no longer changes) holds, against
// what the new one holds, read from both before the promote: the tables with their exact row counts (within a
// time budget; estimates beyond it, and said so), the sequences' last values and the extensions' versions.
import type pg from 'pg'
import { withSession, type SessionOptions } from './session'

export interface Inventory {
  /** Row count per table (`schema.table`); `exact` false once the budget was spent (pg_class's estimate). */
  tables: Map<string, { rows: number; exact: boolean }>
  /** Last value per sequence (null: never used). */
  sequences: Map<string, number | null>
  extensions: Map<string, string>
}

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`

function quoted(schema: string, name: string): string {
  return `"${schema.replaceAll('"', '""')}"."${name.replaceAll('"', '""')}"`
}

/** Reads the inventory of the database `url` names; exact counts until `budgetMs` has passed. */
export async function readInventory(
  url: string,
  budgetMs: number,
  options: SessionOptions = {},
): Promise<Inventory> {
  return withSession(url, options, async (session) => {
    const deadline = Date.now() + budgetMs
    const tables = new Map<string, { rows: number; exact: boolean }>()
    const listed = await session.query<{ schema: string; name: string; estimate: number }>(
      `SELECT n.nspname AS schema, c.relname AS name, greatest(c.reltuples, 0)::float8 AS estimate
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${USER_SCHEMAS}
        ORDER BY 1, 2`,
    )
    for (const table of listed.rows) {
      const key = `${table.schema}.${table.name}`
      tables.set(key, await count(session, table, deadline))
    }
    const sequences = new Map<string, number | null>()
    const seqs = await session.query<{ schema: string; name: string; last: string | null }>(
      `SELECT schemaname AS schema, sequencename AS name, last_value::text AS last FROM pg_sequences
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    )
    for (const seq of seqs.rows)
      sequences.set(`${seq.schema}.${seq.name}`, seq.last === null ? null : Number(seq.last))
    const extensions = new Map<string, string>()
    const exts = await session.query<{ name: string; version: string }>(
      'SELECT extname AS name, extversion AS version FROM pg_extension ORDER BY 1',
    )
    for (const ext of exts.rows) extensions.set(ext.name, ext.version)
    return { tables, sequences, extensions }
  })
}

async function count(
  session: pg.Client,
  table: { schema: string; name: string; estimate: number },
  deadline: number,
): Promise<{ rows: number; exact: boolean }> {
  const left = deadline - Date.now()
  if (left <= 0) return { rows: Math.round(table.estimate), exact: false }
  try {
    await session.query(`SET statement_timeout = ${Math.max(1, Math.floor(left))}`)
    const { rows } = await session.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${quoted(table.schema, table.name)}`,
    )
    return { rows: Number(rows[0]?.n ?? 0), exact: true }
  } catch (error) {
    // The budget ran out in this count (57014, canceled by the statement timeout): the estimate stands in.
    if ((error as { code?: string }).code !== '57014') throw error
    return { rows: Math.round(table.estimate), exact: false }
  } finally {
    await session.query('RESET statement_timeout').catch(() => undefined)
  }
}

export interface ParityVerdict {
  /** What makes the new database unfit to serve: a table or an extension missing, a count that differs. */
  problems: string[]
  /** What is worth saying and is no reason to roll back: estimates, newer extension versions. */
  notes: string[]
  /** One line for the timeline. */
  summary: string
}

/** Pure: the new database against the old one. Sequences may be ahead (a follower's cache), never behind. */
export function compareInventories(old: Inventory, fresh: Inventory): ParityVerdict {
  const problems: string[] = []
  const notes: string[] = []
  let rows = 0
  let estimated = 0
  for (const [name, before] of old.tables) {
    const after = fresh.tables.get(name)
    if (!after) {
      problems.push(`table ${name} (${before.rows} rows) is missing on the new database`)
      continue
    }
    rows += before.rows
    if (!before.exact || !after.exact) {
      estimated += 1
      continue
    }
    if (after.rows !== before.rows)
      problems.push(`table ${name} has ${after.rows} rows on the new database, ${before.rows} on the old one`)
  }
  for (const name of fresh.tables.keys())
    if (!old.tables.has(name)) notes.push(`table ${name} exists on the new database only`)
  if (estimated > 0)
    notes.push(
      `${counted(estimated, 'table')} too big to count within the time budget: compared by estimate only, not checked`,
    )
  let behind = 0
  for (const [name, before] of old.sequences) {
    if (!fresh.sequences.has(name)) {
      problems.push(`sequence ${name} is missing on the new database`)
      continue
    }
    const after = fresh.sequences.get(name) ?? null
    if (before !== null && (after === null || after < before)) {
      behind += 1
      problems.push(
        `sequence ${name} is at ${after ?? 'never used'} on the new database, behind ${before} on the old one`,
      )
    }
  }
  for (const [name, version] of old.extensions) {
    const after = fresh.extensions.get(name)
    if (after === undefined) problems.push(`extension ${name} ${version} is missing on the new database`)
    else if (after !== version)
      notes.push(`extension ${name}: ${version} on the old database, ${after} on the new one`)
  }
  const summary =
    `${counted(old.tables.size, 'table')} with ${counted(rows, 'row')}, ${counted(old.sequences.size, 'sequence')} ` +
    `(${behind === 0 ? 'none behind' : `${behind} behind`}), ${counted(old.extensions.size, 'extension')}: ` +
    (problems.length === 0
      ? 'the new database holds what the old one holds'
      : `${problems.length} differences`)
  return { problems, notes, summary }
}

function counted(n: number, thing: string): string {
  return `${n} ${thing}${n === 1 ? '' : 's'}`
}
