// A session with the app's database, opened as an app on Heroku opens one: over TLS, without verifying the
// certificate (Heroku's cannot be verified from outside), with the credential of DATABASE_URL. Bounded in
// time, named in pg_stat_activity, and closed whatever happens. Every URL is masked before it is used.
import pg from 'pg'
import { maskDatabaseUrl } from '../domain/secrets'

export interface SessionOptions {
  /** How long opening the session may take (default 10 s). */
  connectMs?: number
  /** How long one statement may take (default 30 s). */
  statementMs?: number
  /**
   * How long to keep trying when the session cannot be opened or is cut (a database that just came back from
   * an upgrade, a restart): 0 tries once (default 60 s). An error the server answered is never retried.
   */
  retryMs?: number
}

/**
 * Whether the error is the connection's (none opened, or cut: no SQLSTATE, a system error such as
 * ECONNRESET, or a connection or shutdown class), not the server's answer to a statement.
 */
export function connectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)
  return !sqlState || code.startsWith('08') || code.startsWith('57P')
}

/** What this action's sessions are called in pg_stat_activity. */
export const APPLICATION_NAME = 'heroku-postgres-upgrade-action'

/** Runs `work` in a session, again in a new one when the connection is lost, until `retryMs` has passed. */
export async function withSession<T>(
  url: string,
  options: SessionOptions,
  work: (session: pg.Client) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + (options.retryMs ?? 60_000)
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(url, options, work)
    } catch (error) {
      if (!connectionLost(error) || Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** attempt)))
    }
  }
}

async function once<T>(
  url: string,
  options: SessionOptions,
  work: (session: pg.Client) => Promise<T>,
): Promise<T> {
  maskDatabaseUrl(url)
  const session = new pg.Client({
    connectionString: url,
    ssl: { rejectUnauthorized: false },
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: options.connectMs ?? 10_000,
    statement_timeout: options.statementMs ?? 30_000,
  })
  // An error on an idle session (the server went away) must not crash the process.
  session.on('error', () => undefined)
  await session.connect()
  try {
    return await work(session)
  } finally {
    await session.end().catch(() => undefined)
  }
}
