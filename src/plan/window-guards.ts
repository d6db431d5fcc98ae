// The guards of the maintenance window: max-downtime and window-end, checked against the estimate in
// preflight and again right before the window opens (preparing can take hours).
import { CancelledError, type Clock } from '../runtime/clock'
import { formatDuration } from '../domain/duration'
import { overMaxDowntimeRefusal, pastWindowEndRefusal } from '../domain/messages/window'
import { readOnlyWindowFenceRefusal, readOnlyWindowMethodRefusal } from '../domain/messages/fence'
import type { UpgradePlan } from './upgrade-plan'
import type { Settings, WindowEnd } from '../inputs/types'
import { isWindowOpen, type RunRecord } from '../record/record'

const DAY_MS = 24 * 3_600_000

/**
 * The instant `window-end` names. HH:MM is the nearest such time at most 12 hours after now, or the one
 * less than 12 hours ago (a window that ended at 04:00 does not reopen at 04:00 tomorrow for a run
 * started at 05:00).
 */
export function windowEndAt(end: WindowEnd, now: number): number {
  if ('at' in end) return end.at
  const day = new Date(now)
  const today = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), end.hour, end.minute)
  const candidates = [today - DAY_MS, today, today + DAY_MS]
  return candidates.find((at) => at > now - DAY_MS / 2 && at <= now + DAY_MS / 2) ?? today
}

/** Why the window must not open now, or undefined. */
export function windowTooLong(
  settings: Readonly<Pick<Settings, 'maxDowntimeMs' | 'windowEnd'>>,
  estimateMs: number,
  now: number,
): string | undefined {
  if (settings.maxDowntimeMs !== undefined && estimateMs > settings.maxDowntimeMs)
    return overMaxDowntimeRefusal(estimateMs, settings.maxDowntimeMs)
  if (settings.windowEnd) {
    const end = windowEndAt(settings.windowEnd, now)
    if (now + estimateMs > end) return pastWindowEndRefusal(estimateMs, settings.windowEnd.text, end - now)
  }
  return undefined
}

const WATCH_EVERY_MS = 250

/**
 * The switchover timeout: once the window has lasted max-downtime and nothing that cannot be undone has
 * happened yet (no attachment moved, no in-place upgrade or plan change sent), the run is stopped the way a
 * cancellation stops it, and the rollback puts the app back. Past that point it finishes instead.
 */
export function watchDowntime(
  settings: Readonly<Settings>,
  record: RunRecord,
  clock: Clock,
  stop: (reason: CancelledError) => void,
): () => void {
  const limit = settings.maxDowntimeMs
  if (limit === undefined) return () => {}
  const timer = setInterval(() => {
    const openedAt = record.windowOpenedAt
    if (
      !isWindowOpen(record) ||
      openedAt === undefined ||
      record.irreversible ||
      record.irreversibleSent ||
      (record.moves?.length ?? 0) > 0
    )
      return
    if (clock.now() - Date.parse(openedAt) < limit) return
    clearInterval(timer)
    stop(
      new CancelledError(
        `The window reached max-downtime (${formatDuration(limit)}) before the point of no return, so it was rolled back`,
      ),
    )
  }, WATCH_EVERY_MS)
  return () => clearInterval(timer)
}

/**
 * window: read-only serves reads from the old database while the new one is made ready: a method that makes
 * that database unreadable (in place, a plan change) or a fence that cannot be raised rules it out.
 */
export function readOnlyWindowRefusal(plan: UpgradePlan): string | undefined {
  if (!plan.policy.window.readOnly) return undefined
  const { old, app } = plan.facts
  if (plan.method === 'in-place' || plan.method === 'plan-change')
    return readOnlyWindowMethodRefusal(plan.method, old.name)
  if (!plan.fence.use) return readOnlyWindowFenceRefusal(old.name, plan.fence.why, app.space?.name)
  return undefined
}
