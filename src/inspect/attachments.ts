// How the old database's attachments are classed: the ones a switch can move to the new database (plain
// attachments and the default pooler), and the ones it cannot (credentials the new database lacks).
import type { Attachment } from '../heroku/types'

export const POOLER_NAMESPACE = 'connection-pooling:default'
export const DEFAULT_POOLER = 'DATABASE_CONNECTION_POOL'

export function isMovable(attachment: Attachment): boolean {
  return !attachment.namespace || attachment.namespace === POOLER_NAMESPACE
}
