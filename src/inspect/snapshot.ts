// What the report shows about one database, with every URL replaced by a database name.
import type { Clock } from '../runtime/clock'
import { pgVersion, sanitizeInfo } from '../heroku/database-info'
import type { Attachment, DatabaseInfo } from '../heroku/types'
import type { DatabaseSnapshot } from '../record/record'

export function snapshot(
  addonId: string,
  addonName: string,
  plan: string,
  info: DatabaseInfo,
  appAttachments: Attachment[],
  known: Array<{ url?: string; name: string }>,
  clock: Clock,
): DatabaseSnapshot {
  return {
    addonId,
    addonName,
    plan,
    version: pgVersion(info) ?? 'unknown',
    attachments: appAttachments.filter((a) => a.addon.id === addonId).map((a) => a.name),
    info: sanitizeInfo(info.info, known),
    capturedAt: new Date(clock.now()).toISOString(),
  }
}
