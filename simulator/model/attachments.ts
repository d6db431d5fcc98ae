import { colorAttachmentName } from './ids.js'
import { configVarName, urlFor } from './database.js'
import { ApiError } from './errors.js'
import { SERVICE } from './plans.js'
import { release, setConfig } from './releases.js'
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

/**
 * Heroku never leaves an add-on without an attachment on the app that owns it: removing or replacing the last
 * one is refused (so `pg:promote` first gives the old database an alias). Replacing it with an attachment of the
 * same add-on is fine.
 */
export function assertRemovable(world: World, attachment: Attachment, replacementAddonId?: string): void {
  if (attachment.addonId === replacementAddonId) return
  const app = world.store.app(attachment.appId)
  const addon = world.store.addon(attachment.addonId)
  // The add-on stays attached to the app that owns (is billed for) it: an attachment elsewhere does not
  // count. Heroku's message names the billing attachment; that it also binds when other apps hold
  // attachments is the harsher reading, modelled because guessing wrong would leave an add-on unbilled.
  const others = world.store.attachmentsOfAddon(attachment.addonId).filter((a) => a.id !== attachment.id)
  const ownerKeepsOne =
    addon === undefined || attachment.appId !== addon.appId || others.some((a) => a.appId === addon.appId)
  if (others.length > 0 && ownerKeepsOne) return
  throw new ApiError(
    422,
    'unprocessable_entity',
    `${attachment.name} on ${app?.name ?? attachment.appId} is the last billing attachment to ${addon?.name ?? attachment.addonId}; either remove the add-on entirely or add a new attachment`,
  )
}

/** The attachment a new attachment named `name` on the app would replace. */
export function attachmentNamed(world: World, app: App, name: string): Attachment | undefined {
  return world.store.attachmentsOfApp(app.id).find((a) => a.name === name)
}

/**
 * Sets the config var of each attachment of the add-on; Heroku sets them only once it is provisioned. A config
 * change is a release: each app that gets a var gets one (`Update NAME by heroku-postgresql`, our wording), which
 * with a release phase stays pending for release_phase and, once it succeeds, restarts the app's dynos.
 */
export function exposeConfigVars(world: World, addon: Addon): void {
  const byApp = new Map<App, string[]>()
  for (const attachment of world.store.attachmentsOfAddon(addon.id)) {
    const app = world.store.app(attachment.appId)
    if (!app) continue
    setConfig(world, app, { [configVarName(attachment)]: urlFor(addon, attachment.namespace) })
    byApp.set(app, [...(byApp.get(app) ?? []), attachment.name])
  }
  for (const [app, names] of byApp) release(world, app, `Update ${names.join(', ')} by ${SERVICE}`)
}

/** Creates an attachment, replacing an existing one of the same name on the app (that is how promote works). */
export function attach(world: World, request: AttachRequest): Attachment {
  const { addon, app } = request
  const namespace = request.namespace ?? null
  const taken = (name: string) => world.store.attachmentsOfApp(app.id).some((a) => a.name === name)
  const name = request.name ?? colorAttachmentName(world.ids, (n) => taken(n) || app.config.has(`${n}_URL`))
  const replaced = attachmentNamed(world, app, name)
  if (replaced) {
    assertRemovable(world, replaced, addon.id)
    detach(world, replaced, { quiet: request.quiet, superseded: true })
  }
  const attachment: Attachment = {
    id: world.ids.uuid(),
    name,
    namespace,
    appId: app.id,
    addonId: addon.id,
    createdAt: world.clock.now,
    updatedAt: world.clock.now,
  }
  world.store.addAttachment(attachment)
  if (addon.state !== 'provisioning')
    setConfig(world, app, { [configVarName(attachment)]: urlFor(addon, namespace) })
  const serve = () => app.servingAddonIds.set(name, addon.id)
  if (request.quiet) serve()
  else {
    let outcome: ReleaseStatus = 'succeeded'
    if (name === 'DATABASE' && namespace === null && replaced) {
      const fault = world.faults.take('attach-release-fails', [app.name, addon.name])
      if (fault && app.releasePhase) outcome = 'failed'
      const previous = world.store.addon(replaced.addonId)
      world.journal.record(
        'promote',
        `${addon.name} promoted to DATABASE_URL (was ${previous?.name ?? 'none'})`,
        {
          app,
          addon,
        },
      )
    }
    release(world, app, `Attach ${name} (@ref:${addon.name})`, outcome, serve)
  }
  return attachment
}

/** Removes an attachment and its config var. A superseded DATABASE attachment's release fails under a release phase, as on Heroku. */
export function detach(
  world: World,
  attachment: Attachment,
  options: { quiet?: boolean; superseded?: boolean } = {},
): void {
  world.store.removeAttachment(attachment)
  const app = world.store.app(attachment.appId)
  const addon = world.store.anyAddon(attachment.addonId)
  if (!app) return
  const key = configVarName(attachment)
  const stillUsed = world.store.attachmentsOfApp(app.id).some((a) => configVarName(a) === key)
  if (!stillUsed) setConfig(world, app, { [key]: null })
  const isDatabase = attachment.name === 'DATABASE' && attachment.namespace === null
  const unserve = () => {
    if (app.servingAddonIds.get(attachment.name) === attachment.addonId)
      app.servingAddonIds.delete(attachment.name)
  }
  if (options.quiet) {
    if (!options.superseded) unserve()
    return
  }
  const outcome: ReleaseStatus = options.superseded && isDatabase ? 'failed' : 'succeeded'
  release(
    world,
    app,
    `Detach ${attachment.name} (@ref:${addon?.name ?? attachment.addonId})`,
    outcome,
    options.superseded ? () => {} : unserve,
  )
}
