import { capacityStatus, dataSizeBytes } from './capacity.js'
import { resourceUrl } from './database.js'
import { beingRecreated, coolingDown } from './following.js'
import {
  connectionLimit,
  exceedsStorage,
  formatStorageGb,
  isEssentialTier,
  planDisplayName,
  storageLimitGb,
  tableLimit,
  tierOf,
} from './plans.js'
import { maintenanceInfoEntries } from './maintenances.js'
import type { Addon } from './types.js'
import { waitStatus } from './wait-status.js'
import type { World } from './world.js'

interface InfoEntry {
  name: string
  values: string[]
  resolve_db_name?: boolean
}

/** The entries Heroku shows for an Essential (tenant) database, in its order. */
const ESSENTIAL_ENTRIES = [
  'Plan',
  'Status',
  'Connections',
  'PG Version',
  'Created',
  'Data Size',
  'Tables',
  'Fork/Follow',
  'Rollback',
  'Continuous Protection',
]

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}

function findAny(world: World, id: string | null): Addon | undefined {
  return id === null ? undefined : world.store.anyAddon(id)
}

export { dataSizeBytes }

function statusText(world: World, addon: Addon): string {
  const status = waitStatus(world, addon)
  if (addon.db.upgrade?.phase === 'running') return 'Upgrading'
  if (beingRecreated(world, addon.db)) return 'Unavailable'
  if (!status['waiting?'] || status.message === 'catching up with leader')
    return capacityStatus(world, addon) ?? 'Available'
  return status.message.charAt(0).toUpperCase() + status.message.slice(1)
}

/** The body of GET /client/v11/databases/:id, with `info` as pg:info renders it. */
export function databaseInfo(world: World, addon: Addon): Record<string, unknown> {
  const db = addon.db
  const app = world.store.appOf(addon)
  const bytes = dataSizeBytes(world, addon)
  const essential = isEssentialTier(addon.plan)
  const leader = findAny(world, db.leaderId)
  const forkedFrom = findAny(world, db.forkedFromId)
  const live = world.store.addons()
  const followers = live.filter((a) => a.db.leaderId === addon.id)
  const forks = live.filter((a) => a.db.forkedFromId === addon.id)
  const connections = Math.min(
    connectionLimit(addon.plan),
    app.formation.reduce((sum, f) => sum + (f.type === 'release' ? 0 : f.quantity * 2), 0),
  )
  const limit = tableLimit(addon.plan)
  const info: InfoEntry[] = [
    { name: 'Plan', values: [planDisplayName(addon.plan)] },
    { name: 'Status', values: [statusText(world, addon)] },
  ]
  if (['premium', 'private', 'shield'].includes(tierOf(addon.plan)))
    info.push({ name: 'HA Status', values: ['Available'] })
  info.push(
    {
      name: 'Data Size',
      values: [
        `${formatBytes(bytes)} / ${formatStorageGb(storageLimitGb(addon.plan))} (${exceedsStorage(addon.plan, bytes) ? 'Not in compliance' : 'In compliance'})`,
      ],
    },
    { name: 'Tables', values: [limit === null ? `${db.tables}` : `${db.tables}/${limit} (In compliance)`] },
    { name: 'PG Version', values: [db.version] },
    { name: 'Connections', values: [`${connections}/${connectionLimit(addon.plan)}`] },
    { name: 'Connection Pooling', values: [essential ? 'Unsupported' : 'Available'] },
    { name: 'Credentials', values: [`${db.credentials.length}`] },
    {
      name: 'Fork/Follow',
      values: [essential ? 'Unsupported' : coolingDown(world, db) ? 'Temporarily Unavailable' : 'Available'],
    },
    {
      name: 'Rollback',
      values: [
        essential
          ? 'Unsupported'
          : `earliest from ${world.clock
              .iso(Math.max(0, world.clock.now - 4 * 86400))
              .replace('T', ' ')
              .replace(/:\d\dZ$/, ' UTC')}`,
      ],
    },
    {
      name: 'Created',
      values: [
        world.clock
          .iso(addon.createdAt)
          .replace('T', ' ')
          .replace(/:\d\dZ$/, ''),
      ],
    },
    { name: 'Region', values: [app.space ? `Private Space ${app.space}` : 'Virginia'] },
    { name: 'Data Encryption', values: ['In Use'] },
    { name: 'Continuous Protection', values: [essential ? 'Off' : 'On'] },
  )
  if (leader) {
    info.push({ name: 'Following', values: [resourceUrl(leader)], resolve_db_name: true })
    info.push({ name: 'Behind By', values: [`${world.writes.behindBy(addon)} commits`] })
  }
  if (forkedFrom) info.push({ name: 'Forked From', values: [resourceUrl(forkedFrom)], resolve_db_name: true })
  if (forks.length > 0) info.push({ name: 'Forks', values: forks.map(resourceUrl), resolve_db_name: true })
  if (followers.length > 0)
    info.push({ name: 'Followers', values: followers.map(resourceUrl), resolve_db_name: true })
  info.push(...maintenanceInfoEntries(world, addon))
  const entries = essential
    ? ESSENTIAL_ENTRIES.map((name) => info.find((e) => e.name === name)).filter((e): e is InfoEntry => !!e)
    : info

  const status = waitStatus(world, addon)
  return {
    addon_id: addon.id,
    name: addon.name,
    heroku_resource_id: addon.id,
    plan: addon.plan,
    postgres_version: db.version,
    num_bytes: bytes,
    num_tables: db.tables,
    num_connections: connections,
    num_connections_waiting: 0,
    created_at: world.clock.iso(addon.createdAt),
    resource_url: resourceUrl(addon),
    database_name: db.dbname,
    database_user: db.credentials[0]?.user,
    port: 5432,
    following: leader ? resourceUrl(leader) : null,
    leader: leader ? { addon_id: leader.id, name: leader.name } : null,
    forked_from: forkedFrom ? resourceUrl(forkedFrom) : null,
    'hot_standby?': leader !== undefined,
    'standalone?': leader === undefined,
    is_in_recovery: leader !== undefined,
    'waiting?': status['waiting?'],
    available_for_ingress: !beingRecreated(world, db),
    status_updated_at: world.clock.iso(addon.updatedAt),
    info: entries,
  }
}
