import { fullVersion, major } from './database.js'
import { ApiError, badRequest, unprocessable } from './errors.js'
import { isEssentialTier, tierOf } from './plans.js'
import type { Addon, WaitStatus } from './types.js'
import type { World } from './world.js'
import { stopFollowing } from './following.js'
import { utcText } from './maintenance-window.js'
import {
  armScheduledUpgrade,
  upgradePreparedAt,
  upgradeRunnableAt,
  upgradeScheduledAt,
} from './upgrade-schedule.js'

/** The steps of a Standard-tier or higher upgrade; Essential databases have no followers to recreate. */
export const UPGRADE_STEPS = [
  'preparing upgrade service',
  'taking a snapshot of the database',
  'stopping writes to the database',
  'running pg_upgrade',
  'analyzing tables',
  'updating extensions',
  'recreating followers',
]
export const ESSENTIAL_UPGRADE_STEPS = UPGRADE_STEPS.filter((step) => step !== 'recreating followers')

export function upgradeSteps(addon: Addon): string[] {
  return isEssentialTier(addon.plan) ? ESSENTIAL_UPGRADE_STEPS : UPGRADE_STEPS
}

/** Heroku's wording while it prepares is not known: only that pg:upgrade:wait waits until it is prepared. */
export const PREPARING_MESSAGE = 'upgrade is being prepared'

const RUN_MESSAGE = 'Started the upgrade. You can monitor the progress with `heroku pg:upgrade:wait`.'
const PREPARE_MESSAGE =
  "Your database is scheduled for upgrade during your next available maintenance window.\nRun heroku pg:upgrade:wait to track its status.\nYou can also run this upgrade manually before the maintenance window with heroku pg:upgrade:run. You can only run the upgrade after it's fully prepared, which can take up to a day."
const IN_PROGRESS =
  'database is in the middle of a version upgrade. To perform this action, wait until the upgrade is complete and try again.'

function refuseLegacy(addon: Addon): void {
  if (tierOf(addon.plan) === 'legacy-essential') {
    throw unprocessable('You can only use pg:upgrade:* commands on Essential-* and higher plans.')
  }
  if (tierOf(addon.plan) === 'advanced') {
    throw unprocessable('Postgres Advanced databases are upgraded with data:pg:upgrade:run.')
  }
}

function refuseNonLeader(addon: Addon, command: string): void {
  refuseLegacy(addon)
  const prefix = `You can only use heroku pg:upgrade:${command} on Standard-tier and higher leader databases.`
  if (isEssentialTier(addon.plan)) {
    throw unprocessable(`${prefix} For Essential-tier databases, use heroku pg:upgrade:run instead.`)
  }
  if (addon.db.leaderId !== null)
    throw unprocessable(`${prefix} For follower databases, use heroku pg:upgrade:run instead.`)
}

/** A plan changeover that is not over yet blocks upgrades (Heroku: "scheduled for maintenance and can't be upgraded"). */
function refusePendingMaintenance(world: World, addon: Addon): void {
  const pending = world.maintenances.open(addon.id)
  if (!pending) return
  throw unprocessable(
    `${addon.name} is scheduled for maintenance and can't be upgraded. Run the maintenance with heroku data:maintenances:run (status: ${pending.status}) and wait until it has completed, then try again.`,
  )
}

function targetVersion(world: World, addon: Addon, requested: string | null): string {
  const target = requested ?? world.scenario.versions.default
  const supported = world.scenario.versions.supported
  if (!supported.includes(target)) {
    throw badRequest(
      `Postgres version ${target} is not available. Supported versions: ${supported.join(', ')}.`,
    )
  }
  if (Number(target) <= Number(major(addon.db.version))) {
    throw badRequest(`Your database is already on Postgres ${addon.db.version}; choose a newer version.`)
  }
  return target
}

export function prepareUpgrade(world: World, addon: Addon, requested: string | null): string {
  refuseNonLeader(addon, 'prepare')
  const current = addon.db.upgrade
  if (current && (current.phase === 'scheduled' || current.phase === 'running')) {
    throw unprocessable(
      'database has an upgrade already scheduled, please check `pg:upgrade:wait` for more information on the status of your upgrade.',
    )
  }
  refusePendingMaintenance(world, addon)
  const target = targetVersion(world, addon, requested)
  addon.db.upgrade = {
    phase: 'scheduled',
    targetVersion: target,
    preparedAt: world.clock.now,
    startedAt: null,
    endsAt: null,
    failStep: null,
    message: '',
  }
  world.journal.record('upgrade-prepared', `${addon.name} upgrade to ${target} scheduled`, {
    app: world.store.appOf(addon),
    addon,
  })
  rearmScheduledUpgrade(world, addon)
  return PREPARE_MESSAGE
}

export function runUpgrade(world: World, addon: Addon, requested: string | null): string {
  refuseLegacy(addon)
  const db = addon.db
  if (addon.state !== 'provisioned') throw badRequest(`${addon.name} is not yet provisioned.`)
  if (db.upgrade?.phase === 'running') throw unprocessable(IN_PROGRESS)
  refusePendingMaintenance(world, addon)
  let target: string
  if (!isEssentialTier(addon.plan) && db.leaderId === null) {
    const scheduled = db.upgrade?.phase === 'scheduled' ? db.upgrade : null
    if (!scheduled) {
      throw badRequest(
        "You haven't scheduled a version upgrade on your database. Run `heroku pg:upgrade:prepare` to schedule an upgrade.",
      )
    }
    if (world.clock.now < upgradeRunnableAt(world, scheduled)) {
      throw badRequest(
        'Your database is not ready for upgrade. Please try running your upgrade later. You can check the status of your upgrade with `heroku pg:upgrade:wait`.',
      )
    }
    target = requested === null ? scheduled.targetVersion : targetVersion(world, addon, requested)
  } else {
    target = targetVersion(world, addon, requested)
  }
  const wasFollower = db.leaderId !== null
  if (wasFollower) stopFollowing(world, addon, 'upgrade')
  startUpgrade(world, addon, target)
  // The fork it becomes is only prepared for new followers once the upgrade is over.
  if (wasFollower && db.upgrade?.endsAt != null)
    db.followableFrom = db.upgrade.endsAt + world.scenario.durations.follow_cooldown
  return RUN_MESSAGE
}

function followersOf(world: World, addon: Addon): Addon[] {
  return world.store.addons().filter((other) => other.db.leaderId === addon.id)
}

/**
 * Once the leader's upgrade is over, Heroku recreates each follower on the leader's version; that takes as
 * long as a new follower takes to catch up.
 */
function recreateFollowers(world: World, leader: Addon, followers: Addon[]): void {
  const until = world.clock.now + world.scenario.durations.follower_catch_up
  for (const follower of followers) follower.db.recreatingUntil = until
  world.clock.schedule(until, () => {
    for (const follower of followers) {
      if (follower.db.recreatingUntil !== until) continue
      follower.db.recreatingUntil = null
      if (follower.db.leaderId !== leader.id || !world.store.isLive(follower.id)) continue
      follower.db.version = leader.db.version
      world.journal.record('follower-recreated', `${follower.name} recreated on ${follower.db.version}`, {
        app: world.store.appOf(follower),
        addon: follower,
      })
    }
  })
}

/** (Re)sets the timer that runs the add-on's prepared upgrade at its window start if nobody ran it first. */
export function rearmScheduledUpgrade(world: World, addon: Addon): void {
  armScheduledUpgrade(world, addon, startUpgrade)
}

function startUpgrade(world: World, addon: Addon, target: string): void {
  const app = world.store.appOf(addon)
  const duration = world.scenario.durations.upgrade
  const fault = world.faults.take('upgrade-fails', [addon.name, app.name])
  const steps = upgradeSteps(addon)
  const failStep = fault ? Math.min(fault.step, steps.length) : null
  // The followers go down with their leader and stay down until Heroku has recreated them.
  const followers = followersOf(world, addon)
  for (const follower of followers) follower.db.recreatingUntil = Number.POSITIVE_INFINITY
  addon.db.upgrade = {
    phase: 'running',
    targetVersion: target,
    preparedAt: addon.db.upgrade?.preparedAt ?? world.clock.now,
    startedAt: world.clock.now,
    endsAt: world.clock.now + duration,
    failStep,
    message: '',
  }
  world.journal.record('upgrade-start', `${addon.name} upgrading from ${addon.db.version} to ${target}`, {
    app,
    addon,
  })
  if (failStep !== null) {
    const at = world.clock.now + (duration * (failStep - 0.5)) / steps.length
    world.clock.schedule(at, () => {
      const upgrade = addon.db.upgrade
      if (!upgrade || upgrade.phase !== 'running') return
      upgrade.phase = 'failed'
      upgrade.message = `The upgrade failed at step ${failStep}/${steps.length} (${steps[failStep - 1]}). Your database is still on Postgres ${addon.db.version}. Contact support or try again.`
      world.journal.record('upgrade-failed', `${addon.name} upgrade failed at step ${failStep}`, {
        app,
        addon,
      })
      recreateFollowers(world, addon, followers)
    })
    return
  }
  world.clock.schedule(world.clock.now + duration, () => {
    const upgrade = addon.db.upgrade
    if (!upgrade || upgrade.phase !== 'running') return
    upgrade.phase = 'done'
    const from = addon.db.version
    addon.db.version = fullVersion(target)
    world.journal.record('upgrade-end', `${addon.name} upgraded from ${from} to ${addon.db.version}`, {
      app,
      addon,
    })
    recreateFollowers(world, addon, followers)
  })
}

export function dryRunUpgrade(world: World, addon: Addon, requested: string | null): string {
  refuseNonLeader(addon, 'dryrun')
  if (addon.db.upgrade?.phase === 'running') throw unprocessable(IN_PROGRESS)
  const target = targetVersion(world, addon, requested)
  world.journal.record('upgrade-dry-run', `${addon.name} test upgrade to ${target}`, {
    app: world.store.appOf(addon),
    addon,
  })
  return "Started test upgrade. We'll notify you via email when it's complete."
}

export function cancelUpgrade(world: World, addon: Addon): string {
  refuseNonLeader(addon, 'cancel')
  const upgrade = addon.db.upgrade
  if (upgrade?.phase === 'running') {
    throw new ApiError(422, 'bad_request', "You can't cancel the upgrade because it's currently in progress.")
  }
  if (upgrade?.phase !== 'scheduled') {
    throw new ApiError(
      422,
      'bad_request',
      "You haven't scheduled an upgrade on your database. Run `pg:upgrade:prepare` to schedule an upgrade.",
    )
  }
  addon.db.upgrade = null
  world.journal.record('upgrade-canceled', `${addon.name} scheduled upgrade canceled`, {
    app: world.store.appOf(addon),
    addon,
  })
  return 'You canceled the upgrade.'
}

export function upgradeWaitStatus(world: World, addon: Addon): WaitStatus {
  const upgrade = addon.db.upgrade
  const steps = upgradeSteps(addon)
  const total = steps.length
  if (!upgrade) return { 'waiting?': false, 'error?': false, message: 'available' }
  if (upgrade.phase === 'scheduled' && world.clock.now < upgradePreparedAt(world, upgrade)) {
    return { 'waiting?': true, 'error?': false, message: PREPARING_MESSAGE }
  }
  if (upgrade.phase === 'scheduled') {
    // The date is when Heroku will run it by itself: the next window start once it can run.
    const when = utcText(
      world,
      upgradeScheduledAt(world, addon, upgrade) ?? upgradeRunnableAt(world, upgrade),
    )
    return {
      'waiting?': false,
      'error?': false,
      message: `upgrade is scheduled on ${when}. You could also run the upgrade immediately using \`heroku pg:upgrade:run\`.`,
    }
  }
  if (upgrade.phase === 'failed') {
    return {
      'waiting?': false,
      'error?': true,
      message: upgrade.message,
      step: `${upgrade.failStep}/${total}`,
    }
  }
  if (upgrade.phase === 'done') {
    return {
      'waiting?': false,
      'error?': false,
      message: steps[total - 1] as string,
      step: `${total}/${total}`,
    }
  }
  const elapsed = world.clock.now - (upgrade.startedAt ?? world.clock.now)
  const duration = world.scenario.durations.upgrade
  const index = duration <= 0 ? total - 1 : Math.min(total - 1, Math.floor((elapsed / duration) * total))
  return {
    'waiting?': true,
    'error?': false,
    message: steps[index] as string,
    step: `${index + 1}/${total}`,
  }
}
