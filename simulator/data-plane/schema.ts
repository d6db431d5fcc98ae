// The schema of a database as SQL, read from the catalogs: the servers ship no pg_dump. It covers what an app
// on Heroku Postgres typically has (schemas, extensions, tables with defaults, identity and generated
// columns, sequences, constraints, indexes, views, privileges, default privileges, database settings) and
// refuses, naming them, the objects it would otherwise drop silently (functions, triggers, user types,
// partitioned, unlogged, foreign tables and materialized views).
import type pg from 'pg'
import { ident, literal } from './databases.js'

const userSchema = `n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'`
const notExtension = (catalog: string, oid: string): string =>
  `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`

export class UnsupportedSchema extends Error {
  override name = 'UnsupportedSchema'
}

/** What `SET` on a database stores, replayed; a list (it has a comma) stays unquoted, a value is a literal. */
function settingSql(target: string, role: string | null, setting: string): string {
  const at = setting.indexOf('=')
  const name = setting.slice(0, at)
  const value = setting.slice(at + 1)
  const shown = value.includes(',') ? value : literal(value)
  const subject = role ? `ROLE ${ident(role)} IN DATABASE ${ident(target)}` : `DATABASE ${ident(target)}`
  return `ALTER ${subject} SET ${name} = ${shown}`
}

/**
 * The database-wide settings (`ALTER DATABASE … SET`, no role) of the database `source` is connected to, as
 * statements that give `target` exactly those: every setting reset first. What a physical follower holds at
 * its unfollow, since the settings live in a catalog that replication carries.
 */
export async function databaseSettingsAs(source: pg.Client, target: string): Promise<string[]> {
  const settings = await rows<{ setting: string }>(
    source,
    `SELECT unnest(s.setconfig) AS setting FROM pg_db_role_setting s
       WHERE s.setrole = 0 AND s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  )
  return [
    `ALTER DATABASE ${ident(target)} RESET ALL`,
    ...settings.map(({ setting }) => settingSql(target, null, setting)),
  ]
}

async function rows<T extends pg.QueryResultRow>(
  client: pg.Client,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result = await client.query<T>(sql, params)
  return result.rows
}

export async function refuseUnsupported(client: pg.Client): Promise<void> {
  const found = await rows<{ what: string }>(
    client,
    `SELECT 'function ' || p.oid::regprocedure::text AS what FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE ${userSchema} AND ${notExtension('pg_proc', 'p.oid')}
     UNION ALL SELECT 'trigger ' || t.tgname FROM pg_trigger t WHERE NOT t.tgisinternal
     UNION ALL SELECT 'type ' || format_type(t.oid, NULL) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE ${userSchema} AND ${notExtension('pg_type', 't.oid')} AND (t.typtype IN ('e', 'd', 'r', 'm')
         OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
     UNION ALL SELECT CASE WHEN c.relpersistence = 'u' THEN 'unlogged table ' ELSE 'relation (kind ' || c.relkind::text || ') ' END
         || c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE ${userSchema} AND ${notExtension('pg_class', 'c.oid')}
         AND (c.relkind IN ('p', 'm', 'f') OR (c.relkind = 'r' AND c.relpersistence = 'u'))`,
  )
  if (found.length > 0) {
    throw new UnsupportedSchema(`the data plane cannot copy: ${found.map((row) => row.what).join(', ')}`)
  }
}

export interface SchemaScript {
  /** Run on the target before any row arrives: extensions, schemas, sequences, tables, keys, indexes. */
  structure: string[]
  /** Run after: views, privileges, default privileges, database settings. */
  finish: string[]
  /** Every sequence, by the name to read on the source and the expression naming it on the target. */
  sequences: Array<{ source: string; target: string }>
}

export interface SchemaOptions {
  /** The target database's name, for its settings. */
  targetDatabase: string
  /** Roles that exist on the target; an owner that does not is replaced by `fallbackOwner`, a grantee skipped. */
  targetRoles: Set<string>
  fallbackOwner: string
}

export async function readSchema(client: pg.Client, options: SchemaOptions): Promise<SchemaScript> {
  await refuseUnsupported(client)
  const owner = (role: string): string => ident(options.targetRoles.has(role) ? role : options.fallbackOwner)
  const grantee = (role: string | null): string | undefined =>
    role === null ? 'PUBLIC' : options.targetRoles.has(role) ? ident(role) : undefined
  const structure: string[] = []
  const finish: string[] = []

  for (const { extname } of await rows<{ extname: string }>(
    client,
    `SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY oid`,
  )) {
    structure.push(`CREATE EXTENSION IF NOT EXISTS ${ident(extname)}`)
  }

  const schemas = await rows<{ nspname: string; owner: string; acl: string | null }>(
    client,
    `SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner, n.nspacl::text AS acl FROM pg_namespace n
       WHERE ${userSchema} AND ${notExtension('pg_namespace', 'n.oid')} ORDER BY n.oid`,
  )
  for (const schema of schemas) {
    structure.push(`CREATE SCHEMA IF NOT EXISTS ${ident(schema.nspname)}`)
    structure.push(`ALTER SCHEMA ${ident(schema.nspname)} OWNER TO ${owner(schema.owner)}`)
    finish.push(`REVOKE ALL ON SCHEMA ${ident(schema.nspname)} FROM PUBLIC`)
  }

  // Sequences first (column defaults name them), identity ones apart: their columns create them.
  const sequences = await rows<{
    name: string
    owner: string
    type: string
    seqstart: string
    seqincrement: string
    seqmax: string
    seqmin: string
    seqcache: string
    seqcycle: boolean
    owned_table: string | null
    owned_column: string | null
    identity: boolean
  }>(
    client,
    `SELECT format('%I.%I', n.nspname, c.relname) AS name, pg_get_userbyid(c.relowner) AS owner,
            format_type(s.seqtypid, NULL) AS type, s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache,
            s.seqcycle, d.refobjid::regclass::text AS owned_table, a.attname AS owned_column,
            coalesce(d.deptype = 'i', false) AS identity
       FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
         AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
       LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
       WHERE ${userSchema} AND ${notExtension('pg_class', 'c.oid')} ORDER BY c.oid`,
  )
  for (const seq of sequences.filter((one) => !one.identity)) {
    structure.push(
      `CREATE SEQUENCE ${seq.name} AS ${seq.type} INCREMENT ${seq.seqincrement} MINVALUE ${seq.seqmin} ` +
        `MAXVALUE ${seq.seqmax} START ${seq.seqstart} CACHE ${seq.seqcache}${seq.seqcycle ? ' CYCLE' : ''}`,
      `ALTER SEQUENCE ${seq.name} OWNER TO ${owner(seq.owner)}`,
    )
  }

  const tables = await rows<{ oid: number; name: string; owner: string }>(
    client,
    `SELECT c.oid, c.oid::regclass::text AS name, pg_get_userbyid(c.relowner) AS owner FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND ${userSchema} AND ${notExtension('pg_class', 'c.oid')} ORDER BY c.oid`,
  )
  const foreignKeys: string[] = []
  for (const table of tables) {
    const columns = await rows<{
      attname: string
      type: string
      attnotnull: boolean
      attidentity: string
      attgenerated: string
      def: string | null
    }>(
      client,
      `SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull, a.attidentity,
              a.attgenerated, pg_get_expr(d.adbin, d.adrelid) AS def
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [table.oid],
    )
    const lines = columns.map((column) => {
      const parts = [ident(column.attname), column.type]
      if (column.attgenerated === 's' && column.def) parts.push(`GENERATED ALWAYS AS (${column.def}) STORED`)
      else if (column.def) parts.push(`DEFAULT ${column.def}`)
      if (column.attidentity === 'a') parts.push('GENERATED ALWAYS AS IDENTITY')
      if (column.attidentity === 'd') parts.push('GENERATED BY DEFAULT AS IDENTITY')
      if (column.attnotnull && !column.attidentity) parts.push('NOT NULL')
      return parts.join(' ')
    })
    structure.push(`CREATE TABLE ${table.name} (${lines.join(', ')})`)
    structure.push(`ALTER TABLE ${table.name} OWNER TO ${owner(table.owner)}`)
    const constraints = await rows<{ conname: string; def: string; contype: string }>(
      client,
      `SELECT conname, pg_get_constraintdef(oid) AS def, contype FROM pg_constraint
         WHERE conrelid = $1 AND conislocal AND contype IN ('p', 'u', 'c', 'x', 'f') ORDER BY oid`,
      [table.oid],
    )
    for (const constraint of constraints) {
      const sql = `ALTER TABLE ${table.name} ADD CONSTRAINT ${ident(constraint.conname)} ${constraint.def}`
      if (constraint.contype === 'f') foreignKeys.push(sql)
      else structure.push(sql)
    }
    for (const { def } of await rows<{ def: string }>(
      client,
      `SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i WHERE i.indrelid = $1 AND NOT EXISTS
         (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid
            AND c.contype IN ('p', 'u', 'x')) ORDER BY i.indexrelid`,
      [table.oid],
    )) {
      structure.push(def)
    }
  }
  structure.push(...foreignKeys)
  for (const seq of sequences.filter((one) => !one.identity && one.owned_table && one.owned_column)) {
    structure.push(`ALTER SEQUENCE ${seq.name} OWNED BY ${seq.owned_table}.${ident(seq.owned_column ?? '')}`)
  }

  for (const view of await rows<{ name: string; def: string; owner: string }>(
    client,
    `SELECT c.oid::regclass::text AS name, pg_get_viewdef(c.oid) AS def, pg_get_userbyid(c.relowner) AS owner
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'v' AND ${userSchema} AND ${notExtension('pg_class', 'c.oid')} ORDER BY c.oid`,
  )) {
    finish.push(
      `CREATE VIEW ${view.name} AS ${view.def}`,
      `ALTER VIEW ${view.name} OWNER TO ${owner(view.owner)}`,
    )
  }

  for (const grant of await rows<{ kind: string; name: string; privilege: string; grantee: string | null }>(
    client,
    `SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind, c.oid::regclass::text AS name,
            a.privilege_type AS privilege, CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
       WHERE c.relkind IN ('r', 'v', 'S') AND ${userSchema} AND a.grantee <> c.relowner
     UNION ALL
     SELECT 'SCHEMA', quote_ident(n.nspname), a.privilege_type,
            CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END
       FROM pg_namespace n, aclexplode(n.nspacl) a WHERE ${userSchema} AND a.grantee <> n.nspowner`,
  )) {
    const to = grantee(grant.grantee)
    if (to) finish.push(`GRANT ${grant.privilege} ON ${grant.kind} ${grant.name} TO ${to}`)
  }

  const kinds: Record<string, string> = {
    r: 'TABLES',
    S: 'SEQUENCES',
    f: 'FUNCTIONS',
    T: 'TYPES',
    n: 'SCHEMAS',
  }
  for (const acl of await rows<{
    role: string
    schema: string | null
    kind: string
    privilege: string
    grantee: string | null
  }>(
    client,
    `SELECT pg_get_userbyid(d.defaclrole) AS role, n.nspname AS schema, d.defaclobjtype AS kind,
            a.privilege_type AS privilege, CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee
       FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a`,
  )) {
    const to = grantee(acl.grantee)
    if (!to || !options.targetRoles.has(acl.role) || !kinds[acl.kind]) continue
    const where = acl.schema ? ` IN SCHEMA ${ident(acl.schema)}` : ''
    finish.push(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(acl.role)}${where} GRANT ${acl.privilege} ON ${kinds[acl.kind]} TO ${to}`,
    )
  }

  for (const setting of await rows<{ role: string | null; setting: string }>(
    client,
    `SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE pg_get_userbyid(s.setrole) END AS role, unnest(s.setconfig) AS setting
       FROM pg_db_role_setting s WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  )) {
    if (setting.role === null || options.targetRoles.has(setting.role)) {
      finish.push(settingSql(options.targetDatabase, setting.role, setting.setting))
    }
  }

  return {
    structure,
    finish,
    sequences: sequences.map((seq) => ({
      source: seq.name,
      target:
        seq.owned_table && seq.owned_column
          ? `pg_get_serial_sequence(${literal(seq.owned_table)}, ${literal(seq.owned_column)})`
          : literal(seq.name),
    })),
  }
}
