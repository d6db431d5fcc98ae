import { colorAttachmentName } from './ids.js'
import { configVarName, urlFor } from './database.js'
import type { Addon, App, Attachment, ReleaseStatus } from './types.js'
import type { World } from './world.js'

export interface AttachRequest {
  addon: Addon
  app: App
  name?: string | null
  namespace?: string | null
  /** Make no release (used while seeding the scenario). */
  quiet?: boolean
}

/** Creates an attachment, replacing an existing one of the same name on the app (that is how promote works). */
export function attach(world: World, request: AttachRequest): Attachment {
  const { addon, app } = request
  const namespace = request.namespace ?? null
  const taken = (name: string) => world.attachmentsOfApp(app.id).some((a) => a.name === name)
  const name = request.name ?? colorAttachmentName(world.ids, (n) => taken(n) || app.config.has(`${n}_URL`))
  const replaced = world.attachmentsOfApp(app.id).find((a) => a.name === name)
  if (replaced) detach(world, replaced, { quiet: request.quiet, superseded: true })
  const attachment: Attachment = {
    id: world.ids.uuid(),
    name,
    namespace,
    appId: app.id,
    addonId: addon.id,
    createdAt: world.now,
    updatedAt: world.now,
  }
  world.attachments.push(attachment)
  world.setConfig(app, { [configVarName(attachment)]: urlFor(addon, namespace) })
  const isDatabase = name === 'DATABASE' && namespace === null
  const serve = () => {
    if (isDatabase) app.servingAddonId = addon.id
  }
  if (request.quiet) serve()
  else {
    let outcome: ReleaseStatus = 'succeeded'
    if (name === 'DATABASE' && namespace === null && replaced) {
      const fault = world.takeBehaviourFault('attach-release-fails', [app.name, addon.name])
      if (fault && app.releasePhase) outcome = 'failed'
      const previous = world.addons.get(replaced.addonId)
      world.event('promote', `${addon.name} promoted to DATABASE_URL (was ${previous?.name ?? 'none'})`, {
        app,
        addon,
      })
    }
    world.release(app, `Attach ${name} (@ref:${addon.name})`, outcome, serve)
  }
  return attachment
}

/** Removes an attachment and its config var. A superseded DATABASE attachment's release fails under a release phase, as on Heroku. */
export function detach(
  world: World,
  attachment: Attachment,
  options: { quiet?: boolean; superseded?: boolean } = {},
): void {
  world.attachments = world.attachments.filter((a) => a.id !== attachment.id)
  const app = world.apps.get(attachment.appId)
  const addon = world.addons.get(attachment.addonId) ?? world.graveyard.get(attachment.addonId)
  if (!app) return
  const key = configVarName(attachment)
  const stillUsed = world.attachmentsOfApp(app.id).some((a) => configVarName(a) === key)
  if (!stillUsed) world.setConfig(app, { [key]: null })
  const isDatabase = attachment.name === 'DATABASE' && attachment.namespace === null
  const unserve = () => {
    if (isDatabase && app.servingAddonId === attachment.addonId) app.servingAddonId = null
  }
  if (options.quiet) {
    if (!options.superseded) unserve()
    return
  }
  const outcome: ReleaseStatus = options.superseded && isDatabase ? 'failed' : 'succeeded'
  world.release(
    app,
    `Detach ${attachment.name} (@ref:${addon?.name ?? attachment.addonId})`,
    outcome,
    options.superseded ? () => {} : unserve,
  )
}
