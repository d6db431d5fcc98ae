// The downtime each method costs a database, from Heroku's published figures (Dev Center, "Upgrading the
// Version of a Heroku Postgres Database", 2025-10): in place about 10 minutes, follower 20 to 30 minutes,
// pg:copy about 3 minutes per GB, a plan change's changeover under a minute. Backup and restore moves the
// data twice.
import type { OldDatabase } from '../inspect/types'
import type { Method } from '../run/record'

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
      return old.tier === 'essential' || old.tier === 'legacy-essential'
        ? MINUTE
        : MINUTE + WINDOW_OVERHEAD_MS
    case 'copy':
      return WINDOW_OVERHEAD_MS + gigabytes * COPY_MS_PER_GB
    case 'backup-restore':
      return WINDOW_OVERHEAD_MS + 2 * gigabytes * COPY_MS_PER_GB
  }
}
