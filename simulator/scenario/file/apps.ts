/** The scenario's `apps`: formation, Scheduler jobs, databases with their attachments, and the names across apps. */
import { z } from 'zod'
import { isEssentialTier } from './plan-tiers.js'
import { dispatch, flag, list, matching, nullable, num, strict, text } from './fields.js'
import {
  DAY_EXPECTED,
  DAY_NAMES,
  parseDayOfWeek,
  parseTimeOfDay,
  TIME_EXPECTED,
  windowFields,
} from './weekly-window.js'

const ATTACHMENT_NAME = /^[A-Z][A-Z0-9_]*$/
const ATTACHMENT_NAME_EXPECTED = 'expected an attachment name like DATABASE'

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

/** Every app, with the names that must be unique or must exist across them. */
export const appsSchema = list(appSchema).superRefine(checkCrossReferences).default([])
