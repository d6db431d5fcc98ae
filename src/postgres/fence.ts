// The write fence, at the database itself: the one place every writer must pass, listed by Heroku or not.
// Raising it makes the database read-only for every new session (`ALTER DATABASE … SET
// default_transaction_read_only = on`, which the default credential may do as the database's owner), ends the
// sessions opened before (`pg_terminate_backend`, which its pg_signal_backend membership allows on any session
// but a superuser's), and confirms that no session left can write. Lifting it resets the setting from a
// session that first turns it off for itself, and confirms from a fresh session that writes are taken.
// Advisory: a client that sets the option itself still writes; ordinary apps do not.
import { withSession, type SessionOptions } from './session'

const READ_ONLY = 'default_transaction_read_only'

/** Quotes a name for SQL (the database names Heroku gives need none, but a name is never trusted). */
function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

export type FenceReach = { usable: true; fenced: boolean } | { usable: false; why: string }

/**
 * Read-only: whether the fence can be used on the database `url` names, from here: a session opens, its role
 * owns the database (only the owner may change its default), and whether a fence is already up.
 */
export async function probeFence(url: string, options: SessionOptions = {}): Promise<FenceReach> {
  try {
    return await withSession(url, { retryMs: 0, ...options }, async (session) => {
      const { rows } = await session.query<{ database: string; owner: boolean; fenced: boolean }>(
        `SELECT current_database() AS database,
                d.datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user) AS owner,
                EXISTS (SELECT 1 FROM pg_db_role_setting s, unnest(s.setconfig) c
                         WHERE s.setdatabase = d.oid AND s.setrole = 0 AND c = '${READ_ONLY}=on') AS fenced
           FROM pg_database d WHERE d.datname = current_database()`,
      )
      const row = rows[0]
      if (!row) return { usable: false, why: 'did not describe itself to the session' }
      if (!row.owner)
        return {
          usable: false,
          why: 'is not owned by the credential of its URL, so that credential cannot make it read-only',
        }
      return { usable: true, fenced: row.fenced }
    })
  } catch (error) {
    return { usable: false, why: `cannot be reached from this runner (${describe(error)})` }
  }
}

export interface FenceRaised {
  database: string
  /** Sessions opened before the fence and ended by it. */
  ended: number
}

/**
 * Makes the database read-only for new sessions, ends every session opened before (but a superuser's, which
 * Heroku's own are), and returns once none is left that started before the fence or holds a write
 * transaction, and a fresh session is read-only. Rejects when it cannot confirm that within `confirmMs`.
 */
export async function raiseFence(
  url: string,
  options: SessionOptions & { confirmMs?: number; pause?: (ms: number) => Promise<void> } = {},
): Promise<FenceRaised> {
  const pause = options.pause ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const deadline = Date.now() + (options.confirmMs ?? 30_000)
  return withSession(url, options, async (session) => {
    const database = (await session.query<{ name: string }>('SELECT current_database() AS name')).rows[0]
      ?.name
    if (!database) throw new Error('the database did not name itself')
    await session.query(`ALTER DATABASE ${ident(database)} SET ${READ_ONLY} = on`)
    // Sessions that started before this instant may have read the old default: all of them go.
    const fencedAt = (await session.query<{ at: Date }>('SELECT clock_timestamp() AS at')).rows[0]?.at
    let ended = 0
    for (;;) {
      const { rows } = await session.query<{ ended: string; writing: string; left: string }>(
        `WITH others AS (
           SELECT a.pid, a.backend_start, a.backend_xid FROM pg_stat_activity a
            WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
              AND a.backend_type = 'client backend'
              AND NOT COALESCE((SELECT rolsuper FROM pg_roles WHERE oid = a.usesysid), false))
         SELECT (SELECT count(*) FROM others
                  WHERE CASE WHEN backend_start < $1 THEN pg_terminate_backend(pid) ELSE false END) AS ended,
                (SELECT count(*) FROM others WHERE backend_xid IS NOT NULL) AS writing,
                (SELECT count(*) FROM others WHERE backend_start < $1) AS left`,
        [fencedAt],
      )
      const row = rows[0]
      ended += Number(row?.ended ?? 0)
      // `left` was counted in the same snapshot as the terminations: the next round sees them gone.
      if (Number(row?.writing ?? 0) === 0 && Number(row?.ended ?? 0) === 0 && Number(row?.left ?? 0) === 0)
        break
      if (Date.now() > deadline)
        throw new Error(
          `${database} was made read-only, but ${row?.left ?? '?'} sessions opened before it and ${row?.writing ?? '?'} in a write transaction are still there`,
        )
      await pause(200)
    }
    if (!(await readOnlyForNewSessions(url, options)))
      throw new Error(`${database} was made read-only, but a new session is not read-only`)
    return { database, ended }
  })
}

/** Lifts the fence and confirms from a fresh session that the database takes writes again. */
export async function liftFence(url: string, options: SessionOptions = {}): Promise<string> {
  const database = await withSession(url, options, async (session) => {
    const name = (await session.query<{ name: string }>('SELECT current_database() AS name')).rows[0]?.name
    if (!name) throw new Error('the database did not name itself')
    // This session read the fence as it opened: it turns it off for itself before it may change anything.
    await session.query(`SET ${READ_ONLY} = off`)
    await session.query(`ALTER DATABASE ${ident(name)} RESET ${READ_ONLY}`)
    return name
  })
  if (await readOnlyForNewSessions(url, options))
    throw new Error(`the fence of ${database} was reset, but a new session is still read-only`)
  return database
}

/** Whether a session opened now is read-only by default. */
export async function readOnlyForNewSessions(url: string, options: SessionOptions = {}): Promise<boolean> {
  return withSession(url, options, async (session) => {
    const { rows } = await session.query<{ value: string }>(`SELECT current_setting('${READ_ONLY}') AS value`)
    return rows[0]?.value === 'on'
  })
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}
