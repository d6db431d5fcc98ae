// A database's pg:info description with every secret in it masked; undefined while Heroku does not know it
// yet (a message-less 404 means "not provisioned yet").
import { maskDatabaseSecrets } from '../heroku/database-info'
import { HerokuApiError } from '../heroku/errors'
import type { DatabaseInfo } from '../heroku/types'
import type { InspectDeps } from './types'

export async function readDatabase(
  context: Pick<InspectDeps, 'api'>,
  id: string,
): Promise<DatabaseInfo | undefined> {
  try {
    const info = await context.api.data.getDatabase(id)
    maskDatabaseSecrets(info)
    return info
  } catch (error) {
    if (error instanceof HerokuApiError && error.status === 404) return undefined
    throw error
  }
}
