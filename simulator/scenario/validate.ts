import type {
  AppSpec,
  AttachmentSpec,
  BehaviourFaultType,
  DatabaseSpec,
  Durations,
  FaultSpec,
  FormationSpec,
  Scenario,
  SchedulerSpec,
} from './types.js'
import {
  asObject,
  checkNumber,
  fail,
  join,
  optArray,
  optBoolean,
  optNullableString,
  optNumber,
  optString,
  reqString,
  type JsonObject,
} from './reader.js'

const TOP_KEYS = [
  '$schema',
  'description',
  'api_key',
  'github_token',
  'speed',
  'seed',
  'start_time',
  'replication_lag_seconds',
  'maintenance_write_seconds',
  'versions',
  'durations',
  'apps',
  'faults',
] as const

export const DEFAULT_DURATIONS: Durations = {
  provision: 180,
  follower_catch_up: 300,
  upgrade: 420,
  upgrade_prepare: 600,
  promote: 10,
  release_phase: 10,
  copy_mb_per_s: 20,
  plan_change: 60,
  dyno_boot: 10,
  dyno_stop: 5,
  one_off: 120,
  follow_cooldown: 600,
  credential_create: 30,
}

const BEHAVIOUR_FAULTS: readonly BehaviourFaultType[] = [
  'follower-never-catches-up',
  'upgrade-fails',
  'provision-fails',
  'attach-release-fails',
]

const VERSION_PATTERN = /^\d+(\.\d+)?$/
const NAME_PATTERN = /^[A-Z][A-Z0-9_]*$/

/** Validates parsed scenario JSON and fills in defaults. Throws ScenarioError naming the bad key. */
export function validateScenario(raw: unknown, name: string): Scenario {
  const root = asObject(raw, '', TOP_KEYS)
  const versions = readVersions(root)
  const durations = readDurations(root)
  const apps = optArray(root, 'apps', '').map((app, i) => readApp(app, join('apps', i)))
  checkCrossReferences(apps)
  return {
    name,
    api_key: optString(root, 'api_key', '', 'sim-heroku-token'),
    github_token: optString(root, 'github_token', '', 'sim-github-token'),
    speed: optNumber(root, 'speed', '', 60, 'positive'),
    seed: optNumber(root, 'seed', '', 1, 'non-negative integer'),
    start_time: readStartTime(root),
    replication_lag_seconds: optNumber(root, 'replication_lag_seconds', '', 5, 'non-negative'),
    maintenance_write_seconds: optNumber(root, 'maintenance_write_seconds', '', 5, 'non-negative'),
    versions,
    durations,
    apps,
    faults: optArray(root, 'faults', '').map((fault, i) => readFault(fault, join('faults', i))),
  }
}

function readStartTime(root: JsonObject): string {
  const value = optString(root, 'start_time', '', '2026-01-15T12:00:00Z')
  if (Number.isNaN(Date.parse(value))) fail('start_time', 'expected an ISO 8601 date-time')
  return new Date(value).toISOString()
}

function readVersions(root: JsonObject): Scenario['versions'] {
  if (root.versions === undefined) return { supported: ['15', '16', '17', '18'], default: '18' }
  const obj = asObject(root.versions, 'versions', ['supported', 'default'])
  const supported = optArray(obj, 'supported', 'versions').map((v, i) => {
    if (typeof v !== 'string' || !/^\d+$/.test(v))
      fail(join('versions.supported', i), 'expected a major version string like "17"')
    return v
  })
  if (supported.length === 0) fail('versions.supported', 'expected at least one version')
  const fallback = supported[supported.length - 1] as string
  const def = optString(obj, 'default', 'versions', fallback)
  if (!supported.includes(def))
    fail('versions.default', `expected one of versions.supported (${supported.join(', ')})`)
  return { supported, default: def }
}

function readDurations(root: JsonObject): Durations {
  if (root.durations === undefined) return { ...DEFAULT_DURATIONS }
  const keys = Object.keys(DEFAULT_DURATIONS)
  const obj = asObject(root.durations, 'durations', keys)
  const out = { ...DEFAULT_DURATIONS }
  for (const key of keys as (keyof Durations)[]) {
    const rule = key === 'copy_mb_per_s' ? 'positive' : 'non-negative'
    out[key] = optNumber(obj, key, 'durations', DEFAULT_DURATIONS[key], rule)
  }
  if (obj.release_phase === undefined) out.release_phase = out.promote
  return out
}

function readApp(raw: unknown, path: string): AppSpec {
  const obj = asObject(raw, path, [
    'name',
    'space',
    'release_phase',
    'formation',
    'writes_per_second',
    'config_vars',
    'databases',
    'writes_through',
    'scheduler',
  ])
  const name = reqString(obj, 'name', path)
  if (!/^[a-z][a-z0-9-]{1,29}$/.test(name))
    fail(join(path, 'name'), 'expected a Heroku app name (lower-case letters, digits, dashes)')
  const formation = optArray(obj, 'formation', path).map((f, i) =>
    readFormation(f, join(join(path, 'formation'), i)),
  )
  const seen = new Set<string>()
  formation.forEach((f, i) => {
    if (seen.has(f.type))
      fail(join(join(join(path, 'formation'), i), 'type'), `duplicate process type "${f.type}"`)
    seen.add(f.type)
  })
  return {
    name,
    space: optNullableString(obj, 'space', path),
    release_phase: optBoolean(obj, 'release_phase', path, false),
    formation,
    writes_per_second: readRates(obj.writes_per_second, join(path, 'writes_per_second')),
    config_vars: readConfigVars(obj.config_vars, join(path, 'config_vars')),
    databases: optArray(obj, 'databases', path).map((d, i) =>
      readDatabase(d, join(join(path, 'databases'), i), name),
    ),
    writes_through: readWritesThrough(obj, path),
    scheduler: optArray(obj, 'scheduler', path).map((job, i) =>
      readSchedulerJob(job, join(join(path, 'scheduler'), i)),
    ),
  }
}

function readWritesThrough(obj: JsonObject, path: string): string {
  const name = optString(obj, 'writes_through', path, 'DATABASE')
  if (!NAME_PATTERN.test(name))
    fail(join(path, 'writes_through'), 'expected an attachment name like DATABASE')
  return name
}

function readSchedulerJob(raw: unknown, path: string): SchedulerSpec {
  const obj = asObject(raw, path, ['every_seconds', 'run_seconds', 'first_at_seconds', 'command'])
  if (obj.every_seconds === undefined) fail(join(path, 'every_seconds'), 'is required')
  if (obj.run_seconds === undefined) fail(join(path, 'run_seconds'), 'is required')
  return {
    every_seconds: optNumber(obj, 'every_seconds', path, 0, 'positive'),
    run_seconds: optNumber(obj, 'run_seconds', path, 0, 'non-negative'),
    first_at_seconds: optNumber(obj, 'first_at_seconds', path, 0, 'non-negative'),
    command: optString(obj, 'command', path, 'bin/scheduled-job'),
  }
}

function readFormation(raw: unknown, path: string): FormationSpec {
  const obj = asObject(raw, path, ['type', 'quantity', 'size'])
  const type = reqString(obj, 'type', path)
  if (!/^[a-z][a-z0-9_-]*$/.test(type)) fail(join(path, 'type'), 'expected a process type name')
  return {
    type,
    quantity: optNumber(obj, 'quantity', path, 1, 'non-negative integer'),
    size: optString(obj, 'size', path, 'standard-1x'),
  }
}

function readRates(raw: unknown, path: string): Record<string, number> {
  if (raw === undefined) return {}
  const obj = asObject(raw, path, Object.keys(raw ?? {}))
  const out: Record<string, number> = {}
  for (const [key, value] of Object.entries(obj))
    out[key] = checkNumber(value, join(path, key), 'non-negative')
  return out
}

function readConfigVars(raw: unknown, path: string): Record<string, string> {
  if (raw === undefined) return {}
  const obj = asObject(raw, path, Object.keys(raw ?? {}))
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(obj)) {
    if (typeof value !== 'string') fail(join(path, key), 'expected a string')
    out[key] = value
  }
  return out
}

function readDatabase(raw: unknown, path: string, owner: string): DatabaseSpec {
  const obj = asObject(raw, path, [
    'addon',
    'plan',
    'version',
    'attachments',
    'data_size_mb',
    'tables',
    'following',
    'credentials',
    'backup_schedule',
  ])
  const addon = reqString(obj, 'addon', path)
  if (!/^[a-z][a-z0-9-]*$/.test(addon))
    fail(join(path, 'addon'), 'expected an add-on name like postgresql-curved-12345')
  const plan = reqString(obj, 'plan', path).replace(/^heroku-postgresql:/, '')
  if (!/^[a-z]+(-\d+|-[a-z0-9-]+)?$/.test(plan)) fail(join(path, 'plan'), 'expected a plan like standard-0')
  const version = reqString(obj, 'version', path)
  if (!VERSION_PATTERN.test(version)) fail(join(path, 'version'), 'expected a version like "14.17" or "15"')
  const credentials = optArray(obj, 'credentials', path).map((c, i) => {
    if (typeof c !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(c) || c === 'default') {
      fail(join(join(path, 'credentials'), i), 'expected a credential name other than "default"')
    }
    return c
  })
  return {
    addon,
    plan,
    version,
    attachments: optArray(obj, 'attachments', path).map((a, i) =>
      readAttachment(a, join(join(path, 'attachments'), i), owner),
    ),
    data_size_mb: optNumber(obj, 'data_size_mb', path, 512, 'non-negative'),
    tables: optNumber(obj, 'tables', path, 20, 'non-negative integer'),
    following: optNullableString(obj, 'following', path),
    credentials,
    backup_schedule: readSchedule(obj.backup_schedule, join(path, 'backup_schedule')),
  }
}

function readSchedule(raw: unknown, path: string): DatabaseSpec['backup_schedule'] {
  if (raw === undefined || raw === null) return null
  const obj = asObject(raw, path, ['hour', 'timezone'])
  const hour = optNumber(obj, 'hour', path, 2, 'non-negative integer')
  if (hour > 23) fail(join(path, 'hour'), 'expected an hour from 0 to 23')
  return { hour, timezone: optString(obj, 'timezone', path, 'UTC') }
}

function readAttachment(raw: unknown, path: string, owner: string): AttachmentSpec {
  if (typeof raw === 'string') {
    if (!NAME_PATTERN.test(raw)) fail(path, 'expected an attachment name like DATABASE')
    return { name: raw, namespace: null, app: owner }
  }
  const obj = asObject(raw, path, ['name', 'namespace', 'app'])
  const name = reqString(obj, 'name', path)
  if (!NAME_PATTERN.test(name)) fail(join(path, 'name'), 'expected an attachment name like DATABASE')
  const namespace = optNullableString(obj, 'namespace', path)
  if (namespace !== null && !/^(credential:[a-z][a-z0-9_-]*|connection-pooling:default)$/.test(namespace)) {
    fail(join(path, 'namespace'), 'expected "credential:<name>", "connection-pooling:default" or null')
  }
  return { name, namespace, app: optNullableString(obj, 'app', path) ?? owner }
}

const HTTP_FAULT_KEYS = [
  'method',
  'path',
  'status',
  'times',
  'body',
  'retry_after',
  'drop',
  'drop_after',
  'delay_seconds',
] as const

function readFault(raw: unknown, path: string): FaultSpec {
  const obj = raw as JsonObject
  if (typeof obj === 'object' && obj !== null && 'type' in obj) {
    const fault = asObject(raw, path, ['type', 'addon', 'app', 'step', 'times'])
    const type = reqString(fault, 'type', path)
    if (!BEHAVIOUR_FAULTS.includes(type as BehaviourFaultType)) {
      fail(join(path, 'type'), `expected one of ${BEHAVIOUR_FAULTS.join(', ')}`)
    }
    return {
      kind: 'behaviour',
      type: type as BehaviourFaultType,
      target: optNullableString(fault, 'addon', path) ?? optNullableString(fault, 'app', path),
      step: optNumber(fault, 'step', path, 1, 'positive integer'),
      times: optNumber(fault, 'times', path, 1, 'positive integer'),
    }
  }
  const fault = asObject(raw, path, [...HTTP_FAULT_KEYS])
  const drop = optBoolean(fault, 'drop', path, false)
  const dropAfter = optBoolean(fault, 'drop_after', path, false)
  const delay =
    fault.delay_seconds === undefined
      ? null
      : checkNumber(fault.delay_seconds, join(path, 'delay_seconds'), 'non-negative')
  const status =
    fault.status === undefined ? null : checkNumber(fault.status, join(path, 'status'), 'positive integer')
  if (status !== null && (status < 100 || status > 599))
    fail(join(path, 'status'), 'expected an HTTP status code')
  const effects = [status !== null, drop, dropAfter, delay !== null].filter(Boolean).length
  if (effects === 0)
    fail(path, 'expected "status", "drop": true, "drop_after": true, "delay_seconds" or a "type"')
  if (effects > 1) fail(path, 'expected only one of "status", "drop", "drop_after" and "delay_seconds"')
  const method = optNullableString(fault, 'method', path)
  return {
    kind: 'http',
    method: method === null ? null : method.toUpperCase(),
    path: reqString(fault, 'path', path),
    status,
    drop,
    times: optNumber(fault, 'times', path, 1, 'positive integer'),
    body: fault.body,
    retry_after:
      fault.retry_after === undefined
        ? null
        : checkNumber(fault.retry_after, join(path, 'retry_after'), 'non-negative integer'),
    drop_after: dropAfter,
    delay_seconds: delay,
  }
}

export function parseFaults(raw: unknown): FaultSpec[] {
  const list = Array.isArray(raw) ? raw : [raw]
  return list.map((fault, i) => readFault(fault, Array.isArray(raw) ? join('faults', i) : 'fault'))
}

function checkCrossReferences(apps: AppSpec[]): void {
  const appNames = new Set<string>()
  apps.forEach((app, i) => {
    if (appNames.has(app.name)) fail(join(join('apps', i), 'name'), `duplicate app name "${app.name}"`)
    appNames.add(app.name)
  })
  const addons = new Map<string, DatabaseSpec>()
  apps.forEach((app, i) =>
    app.databases.forEach((db, j) => {
      const path = join(join(join('apps', i), 'databases'), j)
      if (addons.has(db.addon)) fail(join(path, 'addon'), `duplicate add-on name "${db.addon}"`)
      addons.set(db.addon, db)
    }),
  )
  const attachmentNames = new Set<string>()
  apps.forEach((app, i) =>
    app.databases.forEach((db, j) => {
      const path = join(join(join('apps', i), 'databases'), j)
      if (db.following !== null) {
        const leader = addons.get(db.following)
        if (!leader) fail(join(path, 'following'), `no add-on named "${db.following}" in this scenario`)
        if (leader.following !== null)
          fail(join(path, 'following'), 'a follower cannot follow another follower')
      }
      db.attachments.forEach((a, k) => {
        const apath = join(join(path, 'attachments'), k)
        if (a.app !== null && !appNames.has(a.app))
          fail(join(apath, 'app'), `no app named "${a.app}" in this scenario`)
        const key = `${a.app}::${a.name}`
        if (attachmentNames.has(key)) fail(apath, `attachment name "${a.name}" is already used on ${a.app}`)
        attachmentNames.add(key)
        const credential = a.namespace?.startsWith('credential:')
          ? a.namespace.slice('credential:'.length)
          : null
        if (credential !== null && !db.credentials.includes(credential)) {
          fail(join(apath, 'namespace'), `credential "${credential}" is not listed in ${path}.credentials`)
        }
      })
    }),
  )
}
