// What stays behind on the old database and needs a person: other apps' attachments, non-default
// poolers, credentials, followers, backup schedules. Read before the window; best effort.
import type { RunContext } from '../context'
import { follows, maskDatabaseSecrets } from '../heroku/database-info'
import { HerokuApiError } from '../heroku/errors'
import type { Attachment, DatabaseInfo } from '../heroku/types'
import type { Leftovers } from '../run-record'
import { errorMessage } from '../error-message'
import { isPostgresPlan } from './tier'

const DEFAULT_POOLER = 'DATABASE_CONNECTION_POOL'

export async function collectLeftovers(
  context: RunContext,
  old: { id: string; name: string; info: DatabaseInfo },
  appAttachments: Attachment[],
  ownFollowerId: string | undefined,
): Promise<Leftovers> {
  const { platform, data } = context.api
  const { app } = context.settings
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
      context.warn(`Could not check ${what} of ${old.name}: ${errorMessage(error)}`)
    }
  }

  await attempt('the attachments', async () => {
    const attachments = await platform.listAddonAttachments(old.id)
    for (const attachment of attachments) {
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
  })

  await attempt('the followers', async () => {
    const others = new Map<string, string>()
    for (const attachment of appAttachments)
      if (
        isPostgresPlan(attachment.addon.plan?.name) &&
        attachment.addon.id !== old.id &&
        attachment.addon.id !== ownFollowerId
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
