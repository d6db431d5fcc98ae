import { credential, newCredential } from './database.js'
import { unprocessable } from './errors.js'
import { isEssentialTier } from './plans.js'
import type { Addon, Credential } from './types.js'
import type { World } from './world.js'

// Named credentials of a database (`pg:credentials:create`); the default one is rotated by credential-rotation.ts.

const CREDENTIAL_NAME = /^[a-z][a-z0-9_-]{0,62}$/

/** Whether a credential can be used yet (one made by `pg:credentials:create` provisions first). */
export function isActive(world: World, c: Credential): boolean {
  return c.activeAt === undefined || c.activeAt <= world.clock.now
}

/** A new named credential on a Standard-or-higher leader; `provisioning` for durations.credential_create. */
export function createCredential(world: World, addon: Addon, name: string): Credential {
  if (isEssentialTier(addon.plan))
    throw unprocessable(`${addon.name} is an Essential-tier database: it has only its default credential.`)
  if (addon.db.leaderId !== null)
    throw unprocessable(`${addon.name} is a follower: create the credential on its leader.`)
  if (addon.state === 'provisioning' || addon.db.availableAt > world.clock.now)
    throw unprocessable(`${addon.name} is not available yet.`)
  if (!CREDENTIAL_NAME.test(name))
    throw unprocessable(
      `Invalid credential name ${name}: use up to 63 lowercase letters, digits, "_" and "-", starting with a letter.`,
      'invalid_params',
    )
  if (credential(addon.db, name))
    throw unprocessable(`The credential ${name} already exists on ${addon.name}.`)
  const created: Credential = {
    ...newCredential(world.ids, name),
    activeAt: world.clock.now + world.scenario.durations.credential_create,
  }
  addon.db.credentials.push(created)
  world.journal.record('credential-created', `${addon.name} credential ${name}`, {
    app: world.store.appOf(addon),
    addon,
  })
  return created
}
