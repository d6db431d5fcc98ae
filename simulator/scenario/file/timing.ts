/** The scenario's `durations` (in simulated seconds) and `versions`. */
import { z } from 'zod'
import { list, matching, num, strict, text } from './fields.js'

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

export const versionsSchema = strict({
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
