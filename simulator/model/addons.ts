import { assertRemovable, attach, attachmentNamed, detach, exposeConfigVars } from './attachments.js'
import { fullVersion, major, newDatabase, onEndpoint } from './database.js'
import { addonName } from './ids.js'
import { ApiError, unprocessable } from './errors.js'
import { coolingDown } from './following.js'
import { dataSizeBytes, formatBytes } from './info.js'
import { startPlanChange } from './maintenances.js'
import {
  followerLevelAllowed,
  formatStorageGb,
  isEssentialTier,
  maxFollowerLevelsBelow,
  needsSpace,
  overCapacityRefusal,
  requirePlan,
  SERVICE,
  smallestPlanFor,
  storageLimitGb,
  tierOf,
} from './plans.js'
import type { Addon, App } from './types.js'
import type { World } from './world.js'

export interface CreateAddonRequest {
  plan: string
  config: Record<string, unknown>
  attachmentName: string | null
  name: string | null
}

/** Finds the add-on a `--follow`/`--fork` value names, as seen from `app`. */
export function resolveDatabaseRef(world: World, app: App, ref: string): Addon | undefined {
  let scope = app
  let value = ref
  const split = /^(.+?)::(.+)$/.exec(ref)
  if (split) {
    const other = world.store.findApp(split[1] as string)
    if (!other) return undefined
    scope = other
    value = split[2] as string
  }
  const byName = world.store.findAddon(value)
  if (byName) return byName
  const attachmentName = value.replace(/_URL$/, '')
  const attachment = world.store.attachmentsOfApp(scope.id).find((a) => a.name === attachmentName)
  return attachment ? world.store.addon(attachment.addonId) : undefined
}

/**
 * Creates an add-on. `attachmentName` may name an existing attachment of the app (the caller has checked the
 * confirmation): it is replaced, unless it is the last attachment of its add-on.
 */
export function createAddon(world: World, app: App, request: CreateAddonRequest): Addon {
  const plan = requirePlan(request.plan)
  if (needsSpace(plan) && app.space === null) {
    throw unprocessable(
      `The ${plan} plan is only available to apps in a Private Space. ${app.name} is in the Common Runtime.`,
    )
  }
  if (request.name !== null && world.store.isTakenAddonName(request.name)) {
    throw unprocessable(`Name ${request.name} is already taken by another add-on.`)
  }
  const replaced = request.attachmentName ? attachmentNamed(world, app, request.attachmentName) : undefined
  if (replaced) assertRemovable(world, replaced)
  const followRef = stringConfig(request.config, 'follow')
  const forkRef = stringConfig(request.config, 'fork')
  const source = followRef ?? forkRef
  let sourceAddon: Addon | undefined
  if (source !== null) {
    sourceAddon = resolveDatabaseRef(world, app, source)
    if (!sourceAddon)
      throw unprocessable(`Could not find database "${source}" to ${followRef ? 'follow' : 'fork'}.`)
    if (isEssentialTier(plan) || isEssentialTier(sourceAddon.plan)) {
      throw unprocessable('Followers and forks are only available on Standard-tier and higher plans.')
    }
    if (sourceAddon.state !== 'provisioned')
      throw unprocessable(`${sourceAddon.name} is not yet provisioned.`)
    if (followRef && sourceAddon.db.leaderId !== null) {
      throw unprocessable(
        `${sourceAddon.name} is a follower; followers cannot be followed (no follower chains).`,
      )
    }
    if (sourceAddon.db.leaderId !== null) {
      throw unprocessable(
        `${sourceAddon.name} is a follower; forks can only be made of databases that are not followers.`,
      )
    }
    checkSource(world, plan, sourceAddon, followRef !== null)
  }
  const requested = stringConfig(request.config, 'version')
  let version: string
  if (sourceAddon) {
    if (requested !== null && requested !== major(sourceAddon.db.version)) {
      throw unprocessable(
        `A ${followRef ? 'follower' : 'fork'} must run the same major version as its source (${major(sourceAddon.db.version)}).`,
      )
    }
    version = sourceAddon.db.version
  } else {
    const wanted = requested ?? world.scenario.versions.default
    if (!world.scenario.versions.supported.includes(wanted)) {
      // Heroku relays the Postgres provider's refusal inside its generic provider-error sentence.
      throw unprocessable(
        `We tried to create ${SERVICE}:${plan}, but received an error from the add-on provider. Try the request again, or log a support ticket and include this message: Unsupported version: ${wanted}. We support the following versions: ${world.scenario.versions.supported.join(', ')}`,
      )
    }
    version = fullVersion(wanted)
  }

  const id = world.ids.uuid()
  const db = onEndpoint(
    newDatabase(
      world.ids,
      version,
      sourceAddon?.db.dataSizeMb ?? 8,
      sourceAddon?.db.tables ?? 0,
      world.clock.now + world.scenario.durations.provision,
    ),
    world.endpoint,
  )
  db.origin = world.writes.newOrigin(id)
  const addon: Addon = {
    id,
    name: request.name ?? addonName(world.ids, (n) => world.store.isTakenAddonName(n)),
    appId: app.id,
    plan,
    state: 'provisioning',
    createdAt: world.clock.now,
    updatedAt: world.clock.now,
    db,
  }
  if (sourceAddon && followRef) {
    db.leaderId = sourceAddon.id
    db.neverCatchesUp = !!world.faults.take('follower-never-catches-up', [addon.name, app.name])
  } else if (sourceAddon) {
    db.forkedFromId = sourceAddon.id
    db.base = world.writes.holdings(sourceAddon.id)
    db.followableFrom = db.availableAt + world.scenario.durations.follow_cooldown
  }
  world.store.addAddon(addon)
  const hasDatabase = world.store.attachmentsOfApp(app.id).some((a) => a.name === 'DATABASE')
  if (request.attachmentName) attach(world, { addon, app, name: request.attachmentName })
  else {
    if (!hasDatabase) attach(world, { addon, app, name: 'DATABASE' })
    attach(world, { addon, app })
  }
  world.journal.record(
    'provisioning',
    `${addon.name} (${plan}, PG ${version}) provisioning${sourceAddon ? `, ${followRef ? 'following' : 'forked from'} ${sourceAddon.name}` : ''}`,
    { app, addon },
  )
  const fails = world.faults.take('provision-fails', [addon.name, app.name])
  world.clock.schedule(world.clock.now + world.scenario.durations.provision, () =>
    finishProvisioning(world, addon, !!fails),
  )
  return addon
}

/**
 * What Heroku checks of the database to follow or fork: that it is not mid-upgrade or a fresh fork, that a
 * follower's plan is close enough to its leader's, and that the new plan can hold the data.
 */
function checkSource(world: World, plan: string, source: Addon, following: boolean): void {
  const what = following ? 'followed' : 'forked'
  if (source.db.upgrade?.phase === 'running') {
    throw unprocessable(
      `${source.name} is in the middle of a version upgrade and cannot be ${what} until the upgrade is complete.`,
    )
  }
  if (coolingDown(world, source.db)) {
    throw unprocessable(
      `${source.name} is not ready to be followed or forked yet: it became a fork (forked, unfollowed, or upgraded from a follower) a short while ago. Wait until heroku pg:info shows "Fork/Follow: Available" for it, then try again.`,
    )
  }
  const bytes = dataSizeBytes(world, source)
  const smallest = smallestPlanFor(tierOf(plan), bytes, following ? source.plan : null)
  const instead = smallest
    ? `The smallest plan that can ${following ? 'follow' : 'hold'} it is ${SERVICE}:${smallest}.`
    : `No ${tierOf(plan)}-tier plan can ${following ? 'follow' : 'hold'} it.`
  if (following && !followerLevelAllowed(source.plan, plan)) {
    // Heroku's wording; the plan it names is the smallest of the requested tier that can follow and hold the data.
    throw unprocessable(
      `Database followers are not supported more than ${maxFollowerLevelsBelow(plan)} levels below this leader's plan. Please provision at least a ${smallest ?? source.plan} plan.`,
    )
  }
  const limitGb = storageLimitGb(plan)
  if (limitGb * 1024 ** 3 < bytes) {
    throw unprocessable(
      `${SERVICE}:${plan} is too small for the data of ${source.name}: it holds ${formatBytes(bytes)}, more than the ${formatStorageGb(limitGb)} that ${SERVICE}:${plan} can store. ${instead}`,
    )
  }
}

function finishProvisioning(world: World, addon: Addon, fails: boolean): void {
  const app = world.store.appOf(addon)
  if (fails) {
    for (const attachment of world.store.attachmentsOfAddon(addon.id)) detach(world, attachment)
    addon.state = 'deprovisioned'
    addon.updatedAt = world.clock.now
    world.store.retireAddon(addon)
    world.journal.record('provisioning-failed', `${addon.name} ended deprovisioned`, { app, addon })
    return
  }
  addon.state = 'provisioned'
  addon.updatedAt = world.clock.now
  addon.db.availableAt = world.clock.now
  exposeConfigVars(world, addon)
  world.journal.record('provisioned', `${addon.name} provisioned`, { app, addon })
  if (addon.db.leaderId !== null) {
    addon.db.followSince = world.clock.now
    if (!addon.db.neverCatchesUp) {
      const caughtUp = world.clock.now + world.scenario.durations.follower_catch_up
      addon.db.caughtUpAt = caughtUp
      world.clock.schedule(caughtUp, () => {
        if (addon.db.leaderId !== null)
          world.journal.record('caught-up', `${addon.name} caught up with its leader`, { app, addon })
      })
    }
  }
}

export function destroyAddon(world: World, addon: Addon): void {
  const app = world.store.appOf(addon)
  for (const attachment of world.store.attachmentsOfAddon(addon.id)) detach(world, attachment)
  addon.state = 'deprovisioned'
  addon.updatedAt = world.clock.now
  world.store.retireAddon(addon)
  world.journal.record('destroy', `${addon.name} destroyed`, { app, addon })
}

/**
 * `addons:upgrade`. On Essential the plan changes at once and the database is briefly `changing plan`. On
 * Standard and higher it is a data maintenance (maintenances.ts): the plan shown stays until the changeover.
 */
export function changePlan(world: World, addon: Addon, requestedPlan: string): Addon {
  const plan = requirePlan(requestedPlan)
  const app = world.store.appOf(addon)
  if (plan === addon.plan) throw unprocessable(`${addon.name} is already on the ${addon.plan} plan.`)
  if (isEssentialTier(plan) !== isEssentialTier(addon.plan)) {
    throw unprocessable(
      'Changing between the Essential tier and other tiers is not supported with addons:upgrade. Use pg:copy to migrate your data.',
    )
  }
  if (needsSpace(plan) && app.space === null) {
    throw unprocessable(`The ${plan} plan is only available to apps in a Private Space.`)
  }
  if (addon.state !== 'provisioned')
    throw new ApiError(422, 'unprocessable_entity', `${addon.name} is not provisioned.`)
  const tooSmall = overCapacityRefusal(plan, dataSizeBytes(world, addon))
  if (tooSmall) throw unprocessable(tooSmall)
  if (!isEssentialTier(addon.plan)) {
    const pending = world.maintenances.open(addon.id)
    if (pending) {
      throw unprocessable(
        `${addon.name} already has a plan change to ${SERVICE}:${pending.targetPlan} under way (maintenance ${pending.status}). Run it with heroku data:maintenances:run or wait until it has completed before changing the plan again.`,
      )
    }
    const upgrade = addon.db.upgrade?.phase
    if (upgrade === 'scheduled' || upgrade === 'running') {
      throw unprocessable(
        `${addon.name} has a version upgrade ${upgrade === 'running' ? 'in progress' : 'scheduled'}; its plan cannot be changed until the upgrade is complete or canceled.`,
      )
    }
    startPlanChange(world, addon, plan)
    return addon
  }
  const from = addon.plan
  addon.plan = plan
  addon.updatedAt = world.clock.now
  const until = world.clock.now + world.scenario.durations.plan_change
  addon.db.planChangeUntil = until
  world.journal.record('plan-change-start', `${addon.name} ${from} → ${addon.plan}`, { app, addon })
  world.clock.schedule(until, () => {
    addon.db.planChangeUntil = null
    world.journal.record('plan-change-end', `${addon.name} now on ${addon.plan}`, { app, addon })
  })
  return addon
}

function stringConfig(config: Record<string, unknown>, key: string): string | null {
  const value = config[key]
  if (value === undefined || value === null || value === false) return null
  if (typeof value !== 'string') throw unprocessable(`Option --${key} needs a value.`)
  return value
}
