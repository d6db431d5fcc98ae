/**
 * The scenario file as a zod schema: every key, its range and default, and the checks across keys. Parsing
 * gives the validated scenario (types.ts derives its types from here). The keys are grouped by topic in
 * apps.ts, timing.ts, faults.ts and rules-keys.ts; fields.ts holds the building blocks.
 */
import { z } from 'zod'
import { appsSchema } from './apps.js'
import { faultsSchema } from './faults.js'
import { num, strict, text } from './fields.js'
import { herokuRuleKeys } from './rules-keys.js'
import { durationsSchema, versionsSchema } from './timing.js'

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
  /** Real PostgreSQL servers behind the add-ons (simulator/data-plane/); off unless asked for. */
  data_plane: z.boolean({ error: 'expected true or false' }).optional(),
  ...herokuRuleKeys,
  versions: versionsSchema,
  durations: durationsSchema,
  apps: appsSchema,
  faults: faultsSchema.default([]),
}).transform(({ $schema: _schema, description: _description, ...scenario }) => scenario)
