// Resolving the `database` input to one Postgres add-on, like the CLI's DatabaseResolver (heroku-api.md 3.1),
// without ever reading config var values.
import type { PlatformApi } from '../heroku/platform-api'
import { HerokuApiError } from '../heroku/errors'
import type { Attachment } from '../heroku/types'
import { isPostgresPlan } from '../domain/tier'

export async function resolveDatabase(
  platform: PlatformApi,
  app: string,
  database: string,
): Promise<Attachment> {
  let candidates: Attachment[]
  try {
    candidates = await platform.resolveAttachments(app, database)
  } catch (error) {
    if (!(error instanceof HerokuApiError) || error.status !== 404 || error.body?.resource === 'app')
      throw error
    candidates = matchByName(await platform.listAppAttachments(app), database)
  }
  let matches = candidates.filter((attachment) => isPostgresPlan(attachment.addon.plan?.name))
  if (matches.length > 1) matches = matches.filter((attachment) => !attachment.namespace)
  const addons = [...new Map(matches.map((attachment) => [attachment.addon.id, attachment])).values()]
  const [only, ...others] = addons
  if (only === undefined)
    throw new Error(
      `Input "database" is "${database}", but no Heroku Postgres database of app ${app} matches it.`,
    )
  if (others.length > 0)
    throw new Error(
      `Input "database" is "${database}", which matches several databases of app ${app}: ${addons.map((a) => a.addon.name).join(', ')}. Name one of them.`,
    )
  return only
}

/** The fallback when the resolver finds nothing: attachment name, its config var, or the add-on name. */
function matchByName(attachments: Attachment[], database: string): Attachment[] {
  const [appPart, namePart] = database.includes('::') ? database.split('::') : [undefined, database]
  const name = namePart ?? database
  return attachments.filter(
    (attachment) =>
      (!appPart || attachment.app.name === appPart) &&
      (attachment.name === name ||
        `${attachment.name}_URL` === name ||
        attachment.config_vars?.includes(name) ||
        attachment.addon.name === name),
  )
}
