// Scenarios of the benchmark: `standard-pg14` on a real-time clock (speed 1) with durations short enough
// that a whole upgrade takes about half a minute whatever the method, and a generated one with twenty such
// apps. The action and the CLI procedure run on the same durations.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../run-action'

export const API_KEY = 'sim-heroku-token'
export const GITHUB_TOKEN = 'sim-github-token'

/** Real seconds (speed 1). What the simulator spends on its own; see `heroku-time.ts`. */
export const BENCH_TIMING = {
  speed: 1,
  replication_lag_seconds: 1,
  maintenance_write_seconds: 1,
  durations: {
    provision: 3,
    follower_catch_up: 3,
    upgrade: 14,
    upgrade_prepare: 5,
    // Heroku may still refuse upgrade/run as "not ready" this long after it says the upgrade is scheduled.
    upgrade_run_ready_after: 2,
    promote: 3,
    release_phase: 3,
    dyno_boot: 2,
    dyno_stop: 1,
    // The scenario's 2 GB then take 4 s to copy, back up or restore.
    copy_mb_per_s: 512,
    plan_change: 6,
    // Heroku's "up to several hours" to prepare the replacement of a plan change, shortened like the rest.
    plan_change_prepare: 5,
  },
}

export type Timing = typeof BENCH_TIMING

type Json = Record<string, unknown>

function builtIn(name: string): Json {
  return JSON.parse(readFileSync(join(ROOT, 'simulator', 'scenarios', `${name}.json`), 'utf8')) as Json
}

function withTiming(scenario: Json, description: string): Json {
  return {
    ...scenario,
    description,
    api_key: API_KEY,
    github_token: GITHUB_TOKEN,
    speed: BENCH_TIMING.speed,
    replication_lag_seconds: BENCH_TIMING.replication_lag_seconds,
    maintenance_write_seconds: BENCH_TIMING.maintenance_write_seconds,
    durations: { ...(scenario.durations as Json | undefined), ...BENCH_TIMING.durations },
  }
}

/** `standard-pg14` (acme-web) on the bench clock. */
export function benchScenario(): Json {
  return withTiming(
    builtIn('standard-pg14'),
    'standard-pg14 on a real-time clock with short durations (bench)',
  )
}

export const benchApp = (index: number): string => `acme-${String(index).padStart(2, '0')}`

/** `count` copies of standard-pg14's acme-web (acme-00 …), each with its own database, on the bench clock. */
export function manyAppsScenario(count: number): Json {
  const base = builtIn('standard-pg14')
  const [template] = base.apps as Json[]
  if (!template) throw new Error('standard-pg14 has no app to copy')
  const [database] = template.databases as Json[]
  const apps = Array.from({ length: count }, (_, index) => ({
    ...template,
    name: benchApp(index),
    databases: [{ ...database, addon: `postgresql-curved-${12300 + index}` }],
  }))
  return withTiming(
    { ...base, apps },
    `${count} copies of standard-pg14's acme-web sharing one API key (bench)`,
  )
}

/**
 * `standard-pg14` (acme-web) at Heroku's pace: the scenario's own durations (a 7-minute upgrade, 5 minutes of
 * catch-up, 2 GB copied at 20 MB/s; see the scenario and the simulator's defaults), run `speed` times faster.
 */
export function herokuPacedScenario(speed: number): Json {
  return {
    ...builtIn('standard-pg14'),
    description: `standard-pg14 at Heroku's pace, ${speed} times faster (bench)`,
    api_key: API_KEY,
    github_token: GITHUB_TOKEN,
    speed,
  }
}
