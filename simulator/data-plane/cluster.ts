// One real PostgreSQL cluster per major version, on a free loopback port, in a temporary directory that
// disappears with it. The superuser is `postgres` with a random password; every TCP login needs a password
// (scram-sha-256), as on Heroku, and the servers listen on 127.0.0.1 only, with no Unix socket.
import { spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {
  checkServerRuns,
  runServerCommand,
  serverBinaries,
  serverUser,
  type RunAs,
  type ServerBinaries,
} from './binaries.js'
import { SUPERUSER, serverVersion } from './databases.js'
import { selfSignedCertificate } from './tls.js'

export interface Cluster {
  major: number
  port: number
  /** The server's own `SHOW server_version`, e.g. `17.10`. */
  version: string
  /** postgres://postgres:…@127.0.0.1:<port>/postgres */
  superuserUrl: string
}

export interface DataPlaneClusters {
  clusters: Map<number, Cluster>
  /** Stops every server (fast shutdown) and removes the temporary directory; safe to call twice. */
  stop(): Promise<void>
}

export interface ClusterTimings {
  major: number
  /** The copy of the build's template, and initdb first when this machine has none yet. */
  initdbMs: number
  startMs: number
}

interface Running {
  cluster: Cluster
  binaries: ServerBinaries
  dataDir: string
  timings: ClusterTimings
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

// Settings for a throwaway server: logical replication on (move.ts copies databases with it), TLS offered with
// a certificate of its own (clients connect as to Heroku, see openClient), and no fsync, since a simulator run
// never survives a machine crash anyway and fsync dominates the cost of small commits.
function settings(port: number): string {
  return [
    '',
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    `unix_socket_directories = ''`,
    `ssl = on`,
    `wal_level = logical`,
    `max_wal_senders = 20`,
    `max_replication_slots = 20`,
    `max_logical_replication_workers = 8`,
    `max_worker_processes = 16`,
    `fsync = off`,
    `shared_buffers = 32MB`,
    `log_min_messages = warning`,
    '',
  ].join('\n')
}

interface Template {
  dataDir: string
  password: string
}

// initdb is most of a cluster's start (1 to 7 s on a busy 2-core machine). Each server build is initialised
// once per machine and user, into a template under $TMPDIR/heroku-sim-pg-templates-<uid>/ that every cluster
// of that build copies. The template keeps the superuser password of its initdb in a file only this user
// reads (the clusters listen on 127.0.0.1 only). Deleting the folder is safe: the next start makes it again.
const TEMPLATES = path.join(os.tmpdir(), `heroku-sim-pg-templates-${process.getuid?.() ?? 'user'}`)
const templates = new Map<string, Promise<Template>>()

/** The build's own folder name: a new package version (or another user's) gets a template of its own. */
function templateName(binaries: ServerBinaries): string {
  const built = statSync(binaries.postgres)
  const id = createHash('sha256')
    .update(`${binaries.postgres}\n${built.size}\n${built.mtimeMs}`)
    .digest('hex')
    .slice(0, 12)
  return `pg${binaries.major}-${id}`
}

function readyTemplate(dir: string): Template | undefined {
  const passwordFile = path.join(dir, 'password')
  if (!existsSync(passwordFile) || !existsSync(path.join(dir, 'data', 'PG_VERSION'))) return undefined
  const password = readFileSync(passwordFile, 'utf8').trim()
  return password ? { dataDir: path.join(dir, 'data'), password } : undefined
}

async function initialise(binaries: ServerBinaries, runAs: RunAs | undefined): Promise<Template> {
  mkdirSync(TEMPLATES, { recursive: true, mode: 0o755 })
  const dir = path.join(TEMPLATES, templateName(binaries))
  const ready = readyTemplate(dir)
  if (ready) return ready
  // Made aside and renamed into place: when two processes make it at once, the first rename wins.
  const work = mkdtempSync(`${dir}.making-`)
  const password = randomBytes(18).toString('hex')
  const pwfile = path.join(work, 'pwfile')
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 })
  if (runAs) {
    chownSync(work, runAs.uid, runAs.gid)
    chownSync(pwfile, runAs.uid, runAs.gid)
  }
  try {
    await runServerCommand(
      binaries.initdb,
      [
        '-D',
        path.join(work, 'data'),
        '-U',
        SUPERUSER,
        `--pwfile=${pwfile}`,
        '--auth-host=scram-sha-256',
        '--auth-local=trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
        // 1 MB WAL segments instead of 16: a smaller data directory to make and to copy.
        '--wal-segsize=1',
      ],
      runAs,
      120_000,
    )
    rmSync(pwfile, { force: true })
    writeFileSync(path.join(work, 'password'), `${password}\n`, { mode: 0o600 })
    try {
      renameSync(work, dir)
    } catch {
      // Another process made it first: use theirs.
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  const made = readyTemplate(dir)
  if (!made) throw new Error(`data plane: the template ${dir} is incomplete; delete it and start again`)
  return made
}

function template(binaries: ServerBinaries, runAs: RunAs | undefined): Promise<Template> {
  const name = templateName(binaries)
  let made = templates.get(name)
  if (!made) {
    made = initialise(binaries, runAs)
    // A failed initdb is not kept: the next start tries again.
    made.catch(() => templates.delete(name))
    templates.set(name, made)
  }
  return made
}

async function startOne(major: number, root: string, runAs: RunAs | undefined): Promise<Running> {
  const binaries = await serverBinaries(major)
  await checkServerRuns(binaries, runAs)
  const dir = path.join(root, `pg${major}`)
  const dataDir = path.join(dir, 'data')
  mkdirSync(dir, { recursive: true })
  if (runAs) chownSync(dir, runAs.uid, runAs.gid)
  const initStarted = Date.now()
  const { dataDir: templateDir, password } = await template(binaries, runAs)
  // Copied as the server's user, so that it owns every file, with the modes the server insists on.
  await runServerCommand('cp', ['-a', templateDir, dataDir], runAs, 60_000)
  const initdbMs = Date.now() - initStarted
  const port = await freePort()
  appendFileSync(path.join(dataDir, 'postgresql.conf'), settings(port))
  // The server reads server.crt and server.key from its data directory, and only a key its user alone reads.
  const certificate = selfSignedCertificate(`pg${major}.heroku-sim.invalid`)
  for (const [file, text] of [
    ['server.crt', certificate.cert],
    ['server.key', certificate.key],
  ] as const) {
    const target = path.join(dataDir, file)
    writeFileSync(target, text, { mode: 0o600 })
    if (runAs) chownSync(target, runAs.uid, runAs.gid)
  }
  const startStarted = Date.now()
  const log = path.join(dir, 'server.log')
  try {
    await runServerCommand(
      binaries.pgCtl,
      ['start', '-D', dataDir, '-w', '-t', '60', '-l', log],
      runAs,
      90_000,
    )
  } catch (error) {
    // pg_ctl only says that the server did not start; the server's log says why.
    const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-5).join('\n') : ''
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${tail}`)
  }
  const startMs = Date.now() - startStarted
  const superuserUrl = `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/postgres`
  try {
    const version = await serverVersion(superuserUrl)
    return {
      cluster: { major, port, version, superuserUrl },
      binaries,
      dataDir,
      timings: { major, initdbMs, startMs },
    }
  } catch (error) {
    // Started but unreachable: stop it here, since start() only stops the servers it was handed.
    await runServerCommand(binaries.pgCtl, stopArgs(dataDir), runAs, 45_000).catch(() => undefined)
    throw error
  }
}

function stopArgs(dataDir: string): string[] {
  return ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30']
}

/** The timings of the last start(), for the README and the tests' log. */
export let lastTimings: ClusterTimings[] = []

export async function start(majors: number[]): Promise<DataPlaneClusters> {
  const runAs = serverUser()
  const root = mkdtempSync(path.join(os.tmpdir(), 'heroku-sim-pg-'))
  if (runAs) chownSync(root, runAs.uid, runAs.gid)
  const running: Running[] = []
  let stopped = false

  // A process that exits without stop() (a failed test, an uncaught error) still stops its servers: only
  // synchronous work is possible in an exit handler, hence spawnSync.
  const onExit = (): void => {
    if (stopped) return
    stopped = true
    for (const one of running) {
      spawnSync(one.binaries.pgCtl, stopArgs(one.dataDir), { ...runAs, stdio: 'ignore', cwd: '/' })
    }
    rmSync(root, { recursive: true, force: true })
  }
  process.on('exit', onExit)

  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    process.off('exit', onExit)
    await Promise.allSettled(
      running.map((one) => runServerCommand(one.binaries.pgCtl, stopArgs(one.dataDir), runAs, 45_000)),
    )
    rmSync(root, { recursive: true, force: true })
  }

  const unique = [...new Set(majors)].sort((a, b) => a - b)
  const results = await Promise.allSettled(unique.map((major) => startOne(major, root, runAs)))
  for (const result of results) if (result.status === 'fulfilled') running.push(result.value)
  const failed = results.find((result) => result.status === 'rejected')
  if (failed) {
    await stop()
    throw failed.reason
  }
  lastTimings = running.map((one) => one.timings)
  return { clusters: new Map(running.map((one) => [one.cluster.major, one.cluster])), stop }
}
