// The downtime each method costs a database, from Heroku's published figures (Dev Center, "Upgrading the
// Version of a Heroku Postgres Database", 2025-10): in place about 10 minutes, follower 20 to 30 minutes,
// pg:copy about 3 minutes per GB, a plan change's changeover under a minute. Backup and restore moves the
// data twice.
import type { OldDatabase } from '../inspect/types'
import type { Method, Phase, StepName } from '../domain/vocabulary'
import { isEssentialTier } from '../domain/tier'

const MINUTE = 60_000
const GB = 1024 ** 3
const COPY_MS_PER_GB = 3 * MINUTE
/** Stopping the dynos, switching, booting them again: the part of any window that is not the data. */
const WINDOW_OVERHEAD_MS = 2 * MINUTE

export function estimateDowntimeMs(
  method: Method,
  old: Pick<OldDatabase, 'sizeBytes'> & Partial<Pick<OldDatabase, 'tier'>>,
): number {
  const gigabytes = (old.sizeBytes ?? 0) / GB
  switch (method) {
    case 'in-place':
      return 10 * MINUTE
    case 'follower':
      return 25 * MINUTE
    case 'plan-change':
      // Essential: Heroku changes it with the app up. Higher: the changeover runs in a window.
      return isEssentialTier(old.tier) ? MINUTE : MINUTE + WINDOW_OVERHEAD_MS
    case 'copy':
      return WINDOW_OVERHEAD_MS + gigabytes * COPY_MS_PER_GB
    case 'backup-restore':
      return WINDOW_OVERHEAD_MS + 2 * gigabytes * COPY_MS_PER_GB
  }
}

/**
 * The window's steps other than the one that moves or upgrades the data, each a share of WINDOW_OVERHEAD_MS
 * (less when a method has fewer of them): Heroku gives a stopped dyno 30 s to exit, and web dynos boot in
 * 10 to 60 s after a release and after the restore.
 */
const WINDOW_STEP_MS: Partial<Record<StepName, number>> = {
  'window-open': 15_000,
  'writers-stop': 30_000,
  'final-catch-up': 30_000,
  promote: 10_000,
  release: 30_000,
  verify: 10_000,
  'window-close': 40_000,
  // The write fence: a few statements on each database, and waiting for the sessions it ended to go.
  fence: 10_000,
  'lift-fence': 5_000,
  // Parity counts each table's rows, up to 60 s on each database.
  parity: 60_000,
}

/** What a person reads beside a step of the plan that runs with the app up: how long Heroku usually takes. */
const APP_UP_NOTES: Partial<Record<StepName, string>> = {
  preflight: 'seconds (read-only)',
  hold: 'seconds',
  provision: 'a few minutes',
  'catch-up': 'until within 200 commits, up to catch-up-timeout',
  'prepare-upgrade': 'hours, up to a day (Heroku prepares it)',
  'prepare-plan-change': 'minutes to hours (Heroku prepares the replacement)',
  'carry-over': 'seconds to minutes',
  'release-hold': 'seconds',
  verify: 'seconds',
}

export type StepEstimate = { inWindow: true; ms: number } | { inWindow: false; note: string }

/**
 * The estimate of each planned step, in order. The window's steps share the method's window estimate
 * (`windowMs`): together they add up to it, so a plan's steps and its headline never disagree. The step that
 * moves the data (the upgrade, the copy, the backup and restore, the changeover) takes what the others leave.
 * verify-command runs the user's command, whose time only they know.
 */
export function estimateSteps(
  method: Method,
  steps: ReadonlyArray<{ name: StepName; phase: Phase }>,
  windowMs: number,
): StepEstimate[] {
  const inWindow = steps.filter((step) => step.phase === 'switch' && step.name !== 'verify-command')
  const fixed = inWindow.filter((step) => WINDOW_STEP_MS[step.name] !== undefined)
  const dataSteps = inWindow.length - fixed.length
  const fixedMs = fixed.reduce((sum, step) => sum + (WINDOW_STEP_MS[step.name] ?? 0), 0)
  const dataMs = dataSteps > 0 ? Math.max(0, windowMs - fixedMs) / dataSteps : 0
  return steps.map((step) => {
    if (step.name === 'verify-command') return { inWindow: false, note: 'your command, up to verify-timeout' }
    if (step.phase === 'switch') return { inWindow: true, ms: WINDOW_STEP_MS[step.name] ?? dataMs }
    // A follower copies the whole database before it can follow: its creation grows with the data.
    if (step.name === 'provision' && method === 'follower')
      return { inWindow: false, note: 'minutes to hours, growing with the data size' }
    return { inWindow: false, note: APP_UP_NOTES[step.name] ?? 'seconds' }
  })
}
