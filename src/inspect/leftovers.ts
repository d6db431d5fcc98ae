// What stays behind on the old database and needs a person: other apps' attachments, non-default
// poolers, credentials, followers, backup schedules. Read before the window; best effort.
import { follows, maskDatabaseSecrets } from '../heroku/database-info'
import { HerokuApiError } from '../heroku/errors'
import type { Attachment, DatabaseInfo } from '../heroku/types'
import type { Leftovers } from '../record/record'
import { errorMessage } from '../domain/error-message'
import { isPostgresPlan } from '../domain/tier'

import { DEFAULT_POOLER } from './attachments'
import type { HeldDatabase, InspectDeps } from './types'

export async function collectLeftovers(
  context: InspectDeps,
  old: { id: string; name: string; info: DatabaseInfo },
  appAttachments: Attachment[],
  databaseAttachments: Attachment[],
  held: HeldDatabase | undefined,
  /** What could not be checked, for the caller to say. */
  notes: string[],
): Promise<Leftovers> {
  const { data } = context.api
  const { app } = context
  const leftovers: Leftovers = {
    otherAppAttachments: [],
    nonDefaultPoolers: [],
    credentials: [],
    followers: [],
    backupSchedule: false,
  }
  const attempt = async (what: string, work: () => Promise<void>): Promise<void> => {
    try {
      await work()
    } catch (error) {
      notes.push(`Could not check ${what} of ${old.name}: ${errorMessage(error)}`)
    }
  }

  for (const attachment of databaseAttachments) {
    const namespace = attachment.namespace ?? ''
    if (attachment.app.name !== app)
      leftovers.otherAppAttachments.push(`${attachment.app.name}::${attachment.name}`)
    else if (namespace.startsWith('connection-pooling:') && attachment.name !== DEFAULT_POOLER)
      leftovers.nonDefaultPoolers.push(attachment.name)
    if (namespace.startsWith('credential:')) {
      const credential = namespace.slice('credential:'.length)
      if (!leftovers.credentials.includes(credential)) leftovers.credentials.push(credential)
    }
  }

  await attempt('the followers', async () => {
    const others = new Map<string, string>()
    for (const attachment of appAttachments)
      if (
        isPostgresPlan(attachment.addon.plan?.name) &&
        attachment.addon.id !== old.id &&
        attachment.addon.id !== held?.attachment.addon.id
      )
        others.set(attachment.addon.id, attachment.addon.name)
    for (const [id, name] of others) {
      const info = await data.getDatabase(id).catch(() => undefined)
      if (!info) continue
      maskDatabaseSecrets(info)
      if (follows(info, { addonId: old.id, info: old.info })) leftovers.followers.push(name)
    }
  })

  await attempt('the backup schedule', async () => {
    const schedules = await data.transferSchedules(old.id).catch((error: unknown) => {
      if (error instanceof HerokuApiError && error.status === 404) return []
      throw error
    })
    leftovers.backupSchedule = Array.isArray(schedules) && schedules.length > 0
  })
  return leftovers
}
