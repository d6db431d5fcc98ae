/**
 * Rotating a database's default credential, as Heroku does at the end of a plan changeover: the database may
 * move to a new server (new host) and its default credential gets a new password. Every config var of every
 * attachment of the add-on then holds a new URL, which is a config change: one release on each attached app,
 * and a release that succeeds restarts that app's formation dynos.
 */
import { configVarName, credential, urlFor } from './database.js'
import { SERVICE } from './plans.js'
import { release, setConfig } from './releases.js'
import type { Addon } from './types.js'
import type { World } from './world.js'

/** A host name in the simulator's style for the server a database moves to. */
function newHost(world: World): string {
  const n = () => world.ids.int(250)
  return `ec2-${n() + 3}-${n()}-${n()}-${n()}.compute-1.sim.invalid`
}

/**
 * Gives the default credential a new password (and the database a new host when `newServer`), then sets the
 * new URLs on every attached app, one release per app. Returns the names of the apps that got a release.
 */
export function rotateDefaultCredential(world: World, addon: Addon, newServer: boolean): string[] {
  const owner = credential(addon.db, 'default')
  if (owner) owner.password = `p${world.ids.hex(63)}`
  // On the data plane the database stays behind the same loopback endpoint (its URL names no server).
  if (newServer && !world.endpoint) addon.db.host = newHost(world)
  const released: string[] = []
  // Attachments grouped by app, in the order the app lists them (DATABASE first).
  const appIds = [...new Set(world.store.attachmentsOfAddon(addon.id).map((a) => a.appId))]
  for (const appId of appIds) {
    const app = world.store.app(appId)
    if (!app) continue
    const attachments = world.store.attachmentsOfApp(appId).filter((a) => a.addonId === addon.id)
    const changes: Record<string, string> = {}
    const names: string[] = []
    for (const attachment of attachments) {
      const key = configVarName(attachment)
      const value = urlFor(addon, attachment.namespace)
      if (app.config.get(key) === value) continue
      changes[key] = value
      names.push(attachment.name)
    }
    if (names.length === 0) continue
    setConfig(world, app, changes)
    // A provider's config change is one release naming the attachments, as when a database is provisioned.
    release(world, app, `Update ${names.join(', ')} by ${SERVICE}`)
    released.push(app.name)
  }
  world.journal.record(
    'credentials-rotated',
    `${addon.name} default credential rotated${newServer ? ' on a new server' : ''}; new URLs released on ${released.join(', ') || 'no app'}`,
    { app: world.store.appOf(addon), addon },
  )
  return released
}
