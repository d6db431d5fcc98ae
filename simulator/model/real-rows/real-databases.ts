// What each simulated add-on is on the real servers, kept in step with the model: a database created when
// the add-on appears, moved to another major's cluster when the model's upgrade (or a follower's recreation)
// changes its version, following its leader while the model says it follows, and overwritten by a copy or a
// restore when the model's transfer succeeds. The model decides when; this only does it on real rows.
import type { Cluster } from '../../data-plane/cluster.js'
import type pg from 'pg'
import {
  createAddonDatabase,
  openClient,
  dropAddonDatabase,
  ident,
  literal,
  withClient,
  type AddonDatabase,
} from '../../data-plane/databases.js'
import { copyDatabase, follow, moveDatabase, type DatabaseAt, type Follower } from '../../data-plane/move.js'
import type { DatabaseProxy } from '../../data-plane/proxy.js'
import { major } from '../database.js'
import type { Addon, Transfer } from '../types.js'
import type { World } from '../world.js'

export interface RealDatabase {
  major: number
  addon: AddonDatabase
  leaderId: string | null
  follower: Follower | null
  /** Default credential's password as last set on the server (a rotation changes it in the model). */
  passwords: Map<string, string>
}

export interface Placement {
  proxy: DatabaseProxy
  cluster(major: number): Promise<Cluster>
  log(line: string): void
}

function at(cluster: Cluster, database: string): DatabaseAt {
  return { superuserUrl: cluster.superuserUrl, database }
}

/** Creates the add-on's database, with its credentials' real users and passwords, on its major's cluster. */
async function create(place: Placement, addon: Addon): Promise<RealDatabase> {
  const wanted = Number(major(addon.db.version))
  const cluster = await place.cluster(wanted)
  const created = await createAddonDatabase(cluster.superuserUrl, {
    database: addon.db.dbname,
    credentials: addon.db.credentials.map((c) => ({ name: c.name, user: c.user, password: c.password })),
  })
  place.proxy.route(addon.db.dbname, cluster.port)
  return {
    major: wanted,
    addon: created,
    leaderId: null,
    follower: null,
    passwords: new Map(addon.db.credentials.map((c) => [c.user, c.password])),
  }
}

export class RealDatabases {
  readonly byAddon = new Map<string, RealDatabase>()
  private readonly copied = new Set<string>()
  private readonly failures = new Set<string>()
  private readonly lookouts = new Map<number, Promise<pg.Client>>()

  constructor(private readonly place: Placement) {}

  /** One pass: every add-on's database brought to what the model says, one operation at a time. */
  async reconcile(world: World): Promise<void> {
    for (const addon of world.store.addons()) {
      if (addon.state === 'deprovisioning' || addon.state === 'deprovisioned') continue
      await this.reported(`${addon.name}`, () => this.reconcileOne(world, addon))
    }
    for (const transfer of world.store.transfers())
      await this.reported(`transfer ${transfer.uuid}`, () => this.transfer(world, transfer))
    await this.reported('read-only databases', () => this.readFences(world))
  }

  /**
   * Which databases are read-only for new sessions on the real servers (a write fence the action raised or
   * left): the model refuses the dynos' writes to them, as the servers do, so that its count of lost writes
   * agrees with the rows.
   */
  private async readFences(world: World): Promise<void> {
    const readOnly = new Set<string>()
    for (const wanted of new Set([...this.byAddon.values()].map((real) => real.major))) {
      const { rows } = await (
        await this.lookout(wanted)
      ).query<{ datname: string }>(
        'SELECT d.datname FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase ' +
          "WHERE s.setrole = 0 AND 'default_transaction_read_only=on' = ANY (s.setconfig)",
      )
      for (const row of rows) readOnly.add(row.datname)
    }
    for (const addon of world.store.addons()) {
      const real = this.byAddon.get(addon.id)
      if (real) addon.db.readOnly = readOnly.has(addon.db.dbname)
    }
  }

  // One add-on's failure (reported once) leaves the others in step.
  private async reported(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work()
    } catch (error) {
      const message = `data plane: ${what}: ${(error as Error).message}`
      if (!this.failures.has(message)) this.place.log(message)
      this.failures.add(message)
    }
  }

  private async reconcileOne(world: World, addon: Addon): Promise<void> {
    let real = this.byAddon.get(addon.id)
    if (!real) {
      real = await create(this.place, addon)
      this.byAddon.set(addon.id, real)
    }
    await this.passwords(addon, real)
    // Following is settled before a move too: a follower's upgrade unfollows first (a database still
    // subscribed to its leader could not be dropped after the move), then follows again when recreated.
    await this.following(world, addon, real)
    if (real.major !== Number(major(addon.db.version))) {
      await this.changeMajor(addon, real)
      await this.following(world, addon, real)
    }
  }

  private async passwords(addon: Addon, real: RealDatabase): Promise<void> {
    const cluster = await this.place.cluster(real.major)
    for (const credential of addon.db.credentials) {
      if (real.passwords.get(credential.user) === credential.password) continue
      await withClient(cluster.superuserUrl, async (client) => {
        const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [credential.user])
        if (exists.rows.length === 0) {
          await client.query(
            `CREATE ROLE ${ident(credential.user)} LOGIN PASSWORD ${literal(credential.password)}`,
          )
          await client.query(
            `GRANT CONNECT ON DATABASE ${ident(addon.db.dbname)} TO ${ident(credential.user)}`,
          )
        } else {
          await client.query(`ALTER ROLE ${ident(credential.user)} PASSWORD ${literal(credential.password)}`)
        }
      })
      real.passwords.set(credential.user, credential.password)
    }
  }

  /**
   * An in-place upgrade or a follower's upgrade: the database is unavailable (new connections refused, the
   * sessions it had cut) while its rows move to the target major's cluster under the same name and roles.
   * A follower recreated on its leader's new version is made afresh there and follows again.
   */
  private async changeMajor(addon: Addon, real: RealDatabase): Promise<void> {
    const target = Number(major(addon.db.version))
    const from = await this.place.cluster(real.major)
    const to = await this.place.cluster(target)
    const name = addon.db.dbname
    this.place.proxy.route(name, null)
    this.place.proxy.cut(name)
    const started = Date.now()
    if (addon.db.leaderId !== null) {
      await real.follower?.unfollow()
      real.follower = null
      real.leaderId = null
      await dropAddonDatabase(from.superuserUrl, real.addon)
      const made = await create(this.place, addon)
      Object.assign(real, { ...made, passwords: real.passwords })
    } else {
      // Its followers' replication slots would keep the old database: they stop following here, and follow
      // again once Heroku has recreated them on the new version.
      for (const other of this.byAddon.values()) {
        if (other.leaderId !== addon.id) continue
        await other.follower?.unfollow()
        other.follower = null
        other.leaderId = null
      }
      await withClient(from.superuserUrl, (client) =>
        client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        ),
      )
      await moveDatabase(at(from, name), to.superuserUrl)
      await withClient(from.superuserUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${ident(name)}`))
      real.major = target
      real.addon = { ...real.addon, port: to.port }
    }
    this.place.proxy.route(name, to.port)
    this.place.log(`data plane: ${addon.name} moved to PostgreSQL ${target} in ${Date.now() - started} ms`)
  }

  /** A follower receives its leader's rows from the model's follow until its unfollow (or upgrade). */
  private async following(world: World, addon: Addon, real: RealDatabase): Promise<void> {
    const leaderId = addon.db.leaderId
    if (real.leaderId === leaderId) return
    if (real.follower) {
      // The model's follower lags by replication_lag_seconds of simulated time, which at the simulator's
      // speeds is a few real milliseconds; the real follower is let catch up to what its leader has when the
      // model's unfollow is seen, so that the model's lag, not the real one, decides what the fork misses.
      await real.follower.unfollow({ catchUp: true, timeoutMs: 10_000 })
      real.follower = null
      real.leaderId = null
    }
    const leader = leaderId === null ? undefined : world.store.anyAddon(leaderId)
    const leaderReal = leaderId === null ? undefined : this.byAddon.get(leaderId)
    if (!leader || !leaderReal || leaderReal.major !== real.major) return
    const cluster = await this.place.cluster(real.major)
    const source = await this.place.cluster(leaderReal.major)
    // Marked first: a follow that fails (a target that is no longer empty) is reported once, not retried.
    real.leaderId = leaderId
    real.follower = await follow(at(source, leader.db.dbname), at(cluster, addon.db.dbname))
  }

  /** pg:copy and a restore: when the model's transfer succeeds, the target's rows become the source's. */
  private async transfer(world: World, transfer: Transfer): Promise<void> {
    if (transfer.kind === 'backup' || !transfer.succeeded || transfer.finishedAt === null) return
    if (this.copied.has(transfer.uuid)) return
    this.copied.add(transfer.uuid)
    const sourceId =
      transfer.kind === 'restore'
        ? world.store.transfers().find((t) => t.uuid === transfer.fromBackupUuid)?.sourceAddonId
        : transfer.sourceAddonId
    const source = sourceId ? world.store.anyAddon(sourceId) : undefined
    const target = transfer.targetAddonId ? world.store.addon(transfer.targetAddonId) : undefined
    const sourceReal = sourceId ? this.byAddon.get(sourceId) : undefined
    const targetReal = target ? this.byAddon.get(target.id) : undefined
    if (!source || !target || !sourceReal || !targetReal) return
    // The copy replaces what the target held: it is made again, empty, with the same name and credentials.
    const cluster = await this.place.cluster(targetReal.major)
    this.place.proxy.route(target.db.dbname, null)
    this.place.proxy.cut(target.db.dbname)
    await dropAddonDatabase(cluster.superuserUrl, targetReal.addon)
    const made = await create(this.place, target)
    this.place.proxy.route(target.db.dbname, null)
    Object.assign(targetReal, { ...made, leaderId: targetReal.leaderId, follower: targetReal.follower })
    await copyDatabase(
      at(await this.place.cluster(sourceReal.major), source.db.dbname),
      at(cluster, target.db.dbname),
    )
    this.place.proxy.route(target.db.dbname, cluster.port)
  }

  /**
   * A superuser session per cluster, kept open: the fences are read at every pass, and a pass must stay short
   * (the model does not move on while one runs). One the server ended is opened again.
   */
  private async lookout(wanted: number): Promise<pg.Client> {
    const open = this.lookouts.get(wanted)
    if (open) return open
    const opening = (async () => {
      const client = openClient((await this.place.cluster(wanted)).superuserUrl)
      client.on('error', () => this.lookouts.delete(wanted))
      client.on('end', () => this.lookouts.delete(wanted))
      await client.connect()
      return client
    })()
    this.lookouts.set(wanted, opening)
    opening.catch(() => this.lookouts.delete(wanted))
    return opening
  }

  /** Stops every follower's replication (before the servers stop). */
  async stop(): Promise<void> {
    for (const lookout of this.lookouts.values())
      await (await lookout.catch(() => null))?.end().catch(() => undefined)
    this.lookouts.clear()
    for (const real of this.byAddon.values()) {
      await real.follower?.unfollow().catch(() => undefined)
      real.follower = null
    }
  }
}
