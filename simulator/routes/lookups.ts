import { addonNotFound, appNotFound, notFound } from '../model/errors.js'
import type { Addon, App } from '../model/types.js'
import type { World } from '../model/world.js'

// The lookups every area's routes share: what a path names, or the 404 Heroku answers.

export function requireApp(world: World, nameOrId: string): App {
  const app = world.store.findApp(nameOrId)
  if (!app) throw appNotFound()
  return app
}

/** An add-on by name or id, optionally limited to those owned by or attached to an app. */
export function requireAddon(world: World, nameOrId: string, app?: App): Addon {
  const addon = world.store.findAddon(nameOrId)
  if (!addon) throw addonNotFound()
  if (
    app &&
    addon.appId !== app.id &&
    !world.store.attachmentsOfAddon(addon.id).some((a) => a.appId === app.id)
  ) {
    throw addonNotFound()
  }
  return addon
}

/** A database by add-on id or name; destroyed add-ons are found too when `includeGone`. */
export function findDatabase(world: World, key: string, includeGone = false): Addon {
  const found = includeGone ? world.store.findAnyAddon(key) : world.store.findAddon(key)
  if (!found) throw notFound("Couldn't find that database.", 'database')
  return found
}
