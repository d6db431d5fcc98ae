/**
 * The scenario file as a zod schema: every key, its range and default, and the checks across keys. Parsing
 * gives the validated scenario (types.ts derives its types from here). Every message reads "expected …" so
 * that reader.ts can prefix the path and append the value it got.
 */
import { z } from 'zod'
import {
  DAY_EXPECTED,
  DAY_NAMES,
  parseDayOfWeek,
  parseTimeOfDay,
  TIME_EXPECTED,
  windowFields,
} from '../model/maintenance-window.js'
import { isEssentialTier } from '../model/plans.js'
import { herokuRuleKeys } from './rules-keys.js'

type NumberRule = 'positive' | 'non-negative' | 'positive integer' | 'non-negative integer'

/** A finite number obeying `rule`; whatever is wrong with it, the message is "expected a <rule> (number)". */
function num(rule: NumberRule) {
  const error = `expected a ${rule.endsWith('integer') ? rule : `${rule} number`}`
  const number = z.number({ error })
  const signed = rule.startsWith('positive') ? number.positive({ error }) : number.nonnegative({ error })
  return rule.endsWith('integer') ? signed.int({ error }) : signed
}

const NON_EMPTY = 'expected a non-empty string'
const text = () => z.string({ error: NON_EMPTY }).min(1, { error: NON_EMPTY })

/** A string matching `regex`, described by `expectation` when it is not. */
const matching = (regex: RegExp, expectation: string) =>
  z.string({ error: expectation }).regex(regex, { error: expectation })

const NON_EMPTY_OR_NULL = `${NON_EMPTY} or null`
/** A string (by default a non-empty one) or null; null when absent. */
const nullable = (schema = z.string({ error: NON_EMPTY_OR_NULL }).min(1, { error: NON_EMPTY_OR_NULL })) =>
  schema.nullable().default(null)

const flag = (fallback: boolean) => z.boolean({ error: 'expected true or false' }).default(fallback)

/** An array of `item`s. */
const list = <T extends z.ZodType>(item: T) => z.array(item, { error: 'expected an array' })

/** An object that refuses unknown keys, naming the keys it knows. */
function strict<Shape extends z.core.$ZodLooseShape>(shape: Shape, expected = 'expected an object') {
  const known = Object.keys(shape).join(', ')
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key (known keys: ${known})` : expected),
  })
}

/**
 * A value checked by the one schema `pick` chooses for it, so that a problem is reported against that schema
 * alone (a z.union would report every branch). The issues keep their paths, inputs and messages.
 */
function dispatch<Out>(pick: (input: unknown) => z.ZodType<Out>) {
  return z.unknown().transform((input, ctx): Out => {
    const result = pick(input).safeParse(input, { reportInput: true })
    if (result.success) return result.data
    for (const issue of result.error.issues) ctx.addIssue({ ...issue })
    return z.NEVER
  })
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const ATTACHMENT_NAME = /^[A-Z][A-Z0-9_]*$/
const ATTACHMENT_NAME_EXPECTED = 'expected an attachment name like DATABASE'

// Durations, in simulated seconds.

const seconds = (fallback: number) => num('non-negative').default(fallback)

export const durationsSchema = strict({
  provision: seconds(180),
  follower_catch_up: seconds(300),
  upgrade: seconds(420),
  upgrade_prepare: seconds(600),
  promote: seconds(10),
  /** Defaults to `promote`. */
  release_phase: num('non-negative').optional(),
  /** Heroku quotes about 3 min per GB for pg:copy and backups: about 5.7 MB/s. */
  copy_mb_per_s: num('positive').default(5.7),
  /** After `addons:upgrade` on Standard and higher, how long Heroku prepares the replacement (app up). */
  plan_change_prepare: seconds(7200),
  /** The changeover itself (read-only database), started by `data:maintenances:run` or the window. */
  plan_change: seconds(45),
  /** After an upgrade is prepared, `pg:upgrade:run` still answers "not ready" this long. */
  upgrade_run_ready_after: seconds(300),
  /** A dyno is `starting` (and writes nothing) this long after it is started or restarted. */
  dyno_boot: seconds(10),
  /** A stopped dyno keeps running and writing this long after SIGTERM (Heroku: 30 s, then SIGKILL). */
  dyno_stop: seconds(30),
  /** How long a one-off dyno runs once up, unless its time_to_live is shorter. */
  one_off: seconds(120),
  /** How long a fresh fork (explicit, or left by unfollow or a follower's upgrade) cannot be followed or forked. */
  follow_cooldown: seconds(600),
  /** A credential made by `pg:credentials:create` is `provisioning`, with no usable user, this long. */
  credential_create: seconds(30),
})
  .transform(({ release_phase, ...durations }) => ({
    ...durations,
    release_phase: release_phase ?? durations.promote,
  }))
  .prefault({})

const MAJOR_EXPECTED = 'expected a major version string like "17"'

const versionsSchema = strict({
  supported: list(matching(/^\d+$/, MAJOR_EXPECTED))
    .min(1, { error: 'expected at least one version' })
    .prefault([]),
  /** Defaults to the last of `supported`. */
  default: text().optional(),
})
  .transform(({ supported, default: wanted }, ctx) => {
    const version = wanted ?? supported[supported.length - 1] ?? ''
    if (!supported.includes(version)) {
      ctx.addIssue({
        code: 'custom',
        path: ['default'],
        input: version,
        message: `expected one of versions.supported (${supported.join(', ')})`,
      })
      return z.NEVER
    }
    return { supported, default: version }
  })
  .prefault({ supported: ['15', '16', '17', '18'] })

// Apps and their databases.

const formationSchema = strict({
  type: matching(/^[a-z][a-z0-9_-]*$/, 'expected a process type name'),
  quantity: num('non-negative integer').default(1),
  size: text().default('standard-1x'),
})

/** A Heroku Scheduler job: a one-off dyno of type `scheduler` every `every_seconds`, whatever maintenance says. */
const schedulerSchema = strict({
  every_seconds: num('positive'),
  /** How long each run is up (and writing) after it has booted. */
  run_seconds: num('non-negative'),
  first_at_seconds: num('non-negative').default(0),
  command: text().default('bin/scheduled-job'),
})

const NAMESPACE_EXPECTED = 'expected "credential:<name>", "connection-pooling:default" or null'

const attachmentObjectSchema = strict(
  {
    name: matching(ATTACHMENT_NAME, ATTACHMENT_NAME_EXPECTED),
    namespace: nullable(
      matching(/^(credential:[a-z][a-z0-9_-]*|connection-pooling:default)$/, NAMESPACE_EXPECTED),
    ),
    /** The app the attachment lives on; the owning app when absent. */
    app: nullable(),
  },
  `${ATTACHMENT_NAME_EXPECTED} or an object`,
)

/** `"DATABASE"` is short for `{"name": "DATABASE"}`. */
const attachmentSchema = dispatch<z.output<typeof attachmentObjectSchema>>((input) =>
  typeof input === 'string'
    ? matching(ATTACHMENT_NAME, ATTACHMENT_NAME_EXPECTED).transform((name) => ({
        name,
        namespace: null,
        app: null,
      }))
    : attachmentObjectSchema,
)

/** A weekly 4-hour maintenance window in UTC, normalised to `{day_of_week: "thursday", time_of_day: "22:00"}`. */
const maintenanceWindowSchema = strict({
  day_of_week: z
    .string({ error: DAY_EXPECTED })
    .refine((day) => parseDayOfWeek(day) !== null, { error: DAY_EXPECTED }),
  time_of_day: z
    .string({ error: TIME_EXPECTED })
    .refine((time) => parseTimeOfDay(time) !== null, { error: TIME_EXPECTED }),
}).transform(({ day_of_week, time_of_day }) =>
  windowFields({
    day: DAY_NAMES.indexOf(day_of_week.trim().toLowerCase()),
    minute: parseTimeOfDay(time_of_day) as number,
  }),
)

const databaseSchema = strict({
  addon: matching(/^[a-z][a-z0-9-]*$/, 'expected an add-on name like postgresql-curved-12345'),
  plan: matching(
    /^(heroku-postgresql:)?[a-z]+(-\d+|-[a-z0-9-]+)?$/,
    'expected a plan like standard-0',
  ).transform((plan) => plan.replace(/^heroku-postgresql:/, '')),
  version: matching(/^\d+(\.\d+)?$/, 'expected a version like "14.17" or "15"'),
  attachments: list(attachmentSchema).default([]),
  data_size_mb: num('non-negative').default(512),
  tables: num('non-negative integer').default(20),
  /** Name of the leader add-on when this database is a follower. */
  following: nullable(),
  /** Extra credential names besides `default`. */
  credentials: list(
    matching(/^(?!default$)[a-z][a-z0-9_-]*$/, 'expected a credential name other than "default"'),
  ).default([]),
  /** A daily backup schedule, or null. */
  backup_schedule: strict({
    hour: num('non-negative integer').max(23, { error: 'expected an hour from 0 to 23' }).default(2),
    timezone: text().default('UTC'),
  })
    .nullable()
    .default(null),
  /** The weekly maintenance window (Standard and higher); null: the default one. */
  maintenance_window: maintenanceWindowSchema.nullable().default(null),
}).superRefine((db, ctx) => {
  if (db.maintenance_window !== null && isEssentialTier(db.plan)) {
    ctx.addIssue({
      code: 'custom',
      path: ['maintenance_window'],
      message: 'expected no maintenance_window on an Essential-tier plan (Essential databases have none)',
    })
  }
})

const appSchema = strict({
  name: matching(/^[a-z][a-z0-9-]{1,29}$/, 'expected a Heroku app name (lower-case letters, digits, dashes)'),
  space: nullable(),
  release_phase: flag(false),
  formation: list(formationSchema)
    .superRefine((formation, ctx) =>
      formation.forEach(({ type }, i) => {
        if (formation.findIndex((f) => f.type === type) < i)
          ctx.addIssue({ code: 'custom', path: [i, 'type'], message: `duplicate process type "${type}"` })
      }),
    )
    .default([]),
  writes_per_second: z.record(z.string(), num('non-negative'), { error: 'expected an object' }).default({}),
  config_vars: z
    .record(z.string(), z.string({ error: 'expected a string' }), { error: 'expected an object' })
    .default({}),
  databases: list(databaseSchema).default([]),
  /** The attachment name through which the app's dynos write. */
  writes_through: matching(ATTACHMENT_NAME, ATTACHMENT_NAME_EXPECTED).default('DATABASE'),
  scheduler: list(schedulerSchema).default([]),
}).transform((app) => ({
  ...app,
  databases: app.databases.map((db) => ({
    ...db,
    attachments: db.attachments.map((a) => ({ ...a, app: a.app ?? app.name })),
  })),
}))

type AppOutput = z.output<typeof appSchema>

/** Names that must be unique or must exist across apps: apps, add-ons, leaders, attachments, credentials. */
function checkCrossReferences(apps: AppOutput[], ctx: z.core.$RefinementCtx<AppOutput[]>): void {
  const problem = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message })
  const appNames = new Set<string>()
  apps.forEach((app, i) => {
    if (appNames.has(app.name)) problem([i, 'name'], `duplicate app name "${app.name}"`)
    appNames.add(app.name)
  })
  const databases = apps.flatMap((app, i) => app.databases.map((db, j) => ({ app, db, i, j })))
  const addons = new Map<string, AppOutput['databases'][number]>()
  for (const { db, i, j } of databases) {
    if (addons.has(db.addon)) problem([i, 'databases', j, 'addon'], `duplicate add-on name "${db.addon}"`)
    else addons.set(db.addon, db)
  }
  const attachmentNames = new Set<string>()
  for (const { app, db, i, j } of databases) {
    if (db.following !== null) {
      const leader = addons.get(db.following)
      if (!leader) {
        problem([i, 'databases', j, 'following'], `no add-on named "${db.following}" in this scenario`)
      } else if (leader.following !== null) {
        problem(
          [i, 'databases', j, 'following'],
          `a follower cannot follow another follower ("${db.following}" follows "${leader.following}")`,
        )
      }
    }
    db.attachments.forEach((a, k) => {
      const path = [i, 'databases', j, 'attachments', k]
      // Without the app's transform (when a sibling key already failed) the owner is not filled in yet.
      const owner = a.app ?? app.name
      if (!appNames.has(owner)) problem([...path, 'app'], `no app named "${owner}" in this scenario`)
      const key = `${owner}::${a.name}`
      if (attachmentNames.has(key)) problem(path, `attachment name "${a.name}" is already used on ${owner}`)
      attachmentNames.add(key)
      const credential = a.namespace?.startsWith('credential:')
        ? a.namespace.slice('credential:'.length)
        : null
      if (credential !== null && !db.credentials.includes(credential)) {
        problem(
          [...path, 'namespace'],
          `credential "${credential}" is not listed in apps[${i}].databases[${j}].credentials`,
        )
      }
    })
  }
}

// Faults.

export const BEHAVIOUR_FAULTS = [
  'follower-never-catches-up',
  'upgrade-fails',
  'provision-fails',
  'attach-release-fails',
  'transfer-fails',
] as const

const TRANSFER_KINDS = ['backup', 'copy', 'restore'] as const

const behaviourFaultSchema = strict({
  type: z.enum(BEHAVIOUR_FAULTS, { error: `expected one of ${BEHAVIOUR_FAULTS.join(', ')}` }),
  addon: nullable(),
  app: nullable(),
  step: num('positive integer').default(1),
  times: num('positive integer').default(1),
  /** transfer-fails only: the kind of transfer that fails; null = any. */
  transfer: z
    .enum(TRANSFER_KINDS, { error: `expected one of ${TRANSFER_KINDS.join(', ')}` })
    .nullable()
    .default(null),
}).transform(({ type, addon, app, step, times, transfer }) => ({
  kind: 'behaviour' as const,
  type,
  /** Add-on name (or app name for attach-release-fails) the fault is limited to; null = the next one. */
  target: addon ?? app,
  step,
  times,
  transfer,
}))

const STATUS_EXPECTED = 'expected an HTTP status code (100 to 599)'

const httpFaultSchema = strict({
  method: nullable(),
  path: text(),
  status: z
    .number({ error: STATUS_EXPECTED })
    .int({ error: STATUS_EXPECTED })
    .min(100, { error: STATUS_EXPECTED })
    .max(599, { error: STATUS_EXPECTED })
    .optional(),
  times: num('positive integer').default(1),
  body: z.unknown().optional(),
  retry_after: num('non-negative integer').optional(),
  drop: flag(false),
  drop_after: flag(false),
  delay_seconds: num('non-negative').optional(),
})
  .superRefine((fault, ctx) => {
    const effects = [
      fault.status !== undefined,
      fault.drop,
      fault.drop_after,
      fault.delay_seconds !== undefined,
    ]
    const count = effects.filter(Boolean).length
    if (count === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected "status", "drop": true, "drop_after": true, "delay_seconds" or a "type"',
      })
    } else if (count > 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected only one of "status", "drop", "drop_after" and "delay_seconds"',
      })
    }
  })
  .transform((fault) => ({
    kind: 'http' as const,
    method: fault.method === null ? null : fault.method.toUpperCase(),
    path: fault.path,
    status: fault.status ?? null,
    drop: fault.drop,
    times: fault.times,
    body: fault.body,
    retry_after: fault.retry_after ?? null,
    /** Handle the request fully, then destroy the connection without answering. */
    drop_after: fault.drop_after,
    /** Handle the request at once, send the answer after this many real seconds. */
    delay_seconds: fault.delay_seconds ?? null,
  }))

/** A behaviour fault has a `type`; anything else is an HTTP fault. */
export const faultSchema = dispatch<z.output<typeof behaviourFaultSchema> | z.output<typeof httpFaultSchema>>(
  (input) => (isObject(input) && 'type' in input ? behaviourFaultSchema : httpFaultSchema),
)

export const faultsSchema = list(faultSchema)

// The whole file.

export const scenarioFileSchema = strict({
  $schema: z.unknown().optional(),
  description: z.unknown().optional(),
  api_key: text().default('sim-heroku-token'),
  github_token: text().default('sim-github-token'),
  speed: num('positive').default(60),
  seed: num('non-negative integer').default(1),
  start_time: z
    .string({ error: 'expected an ISO 8601 date-time' })
    .refine((value) => !Number.isNaN(Date.parse(value)), { error: 'expected an ISO 8601 date-time' })
    .transform((value) => new Date(value).toISOString())
    // The real time by default: the action's reconciliations then meet the times Heroku would give them.
    .prefault(() => new Date().toISOString()),
  replication_lag_seconds: num('non-negative').default(5),
  /** How long web dynos keep writing after maintenance goes on (in-flight requests, background threads). */
  maintenance_write_seconds: num('non-negative').default(5),
  ...herokuRuleKeys,
  versions: versionsSchema,
  durations: durationsSchema,
  apps: list(appSchema).superRefine(checkCrossReferences).default([]),
  faults: faultsSchema.default([]),
}).transform(({ $schema: _schema, description: _description, ...scenario }) => scenario)
