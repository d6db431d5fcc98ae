// Step 1, read-only: the token works, the app and the database resolve, the tier allows followers,
// the target is newer (or the plan differs), and nothing left by an earlier run conflicts. A follower
// this action created earlier (found by its deterministic attachment name) is picked up to resume.
import type { RunContext } from '../context'
import {
  behindBy,
  follows,
  isFollowing,
  majorOf,
  maskDatabaseSecrets,
  pgVersion,
} from '../heroku/database-info'
import { HerokuApiError } from '../heroku/errors'
import type { App, Attachment, DatabaseInfo, FormationEntry } from '../heroku/types'
import type { Method } from '../run-record'
import { formatDuration } from '../duration'
import { errorMessage } from '../error-message'
import type { Dyno } from '../heroku/types'
import { currentRun, followerAttachmentName, holdName, runOfHold, runUrl } from '../run-identity'
import { describeFormation, typesLeftRunning } from '../window'
import { chooseMethod } from './choose'
import { collectLeftovers } from './leftovers'
import { planBlockers } from './plan-check'
import { isMovable } from './promote'
import { resolveDatabase } from './resolve'
import { snapshot } from './snapshot'
import { allowsFollowers, tierOf, type Tier } from './tier'

/** Refusal when another workflow run holds the database, with how to clear a hold left by a crashed run. */
export function heldByAnotherRun(
  addonName: string,
  attachment: string,
  oldName: string,
  app: string,
): string {
  const run = runOfHold(addonName)
  const url = run && runUrl(run)
  const holder =
    run === undefined
      ? `an add-on named ${addonName} that this action did not name`
      : run === 'local'
        ? 'a run outside GitHub Actions'
        : `workflow run ${run}${url ? ` (${url})` : ''}`
  return `${oldName} is held by ${holder}: its follower ${addonName} is attached as ${attachment}. Two runs at once would take the app down twice and lose writes, so this run changes nothing. If that run is still going, let it finish. If it crashed, re-run that same workflow run to resume it, or release the hold with heroku addons:destroy ${addonName} -a ${app} --confirm ${app}.`
}

/**
 * The majors Heroku offers as upgrade targets when this version of the action was released. Heroku has
 * no endpoint that lists them, and refusing an unsupported target here keeps the failure out of the
 * maintenance window.
 */
export const SUPPORTED_MAJORS = [15, 16, 17, 18] as const
/** Used when the `version` input is empty. */
export const NEWEST_KNOWN_MAJOR = Math.max(...SUPPORTED_MAJORS)

export interface OldDatabase {
  id: string
  name: string
  plan: string
  info: DatabaseInfo
  version: string
  major: number
}

export interface Preflight {
  method: Method
  app: App
  old: OldDatabase
  tier: Tier
  targetPlan: string
  /** undefined: the newest version Heroku supports. */
  targetVersion?: string
  /** upgrade: upgrade/run on the follower; unfollow: only the plan changes; nothing: already there. */
  mode: 'upgrade' | 'unfollow' | 'nothing'
  followerAttachment: string
  /** The name this run gives its follower; it marks the database as held by this run. */
  followerName: string
  /** Other apps attached to the database: stopped during the window, moved by the switch. */
  otherApps: string[]
  /** A follower of the old database created by an earlier run of this action, to resume with. */
  resumeWith?: Attachment
  formation: FormationEntry[]
}

export async function preflight(context: RunContext): Promise<Preflight> {
  const { settings, api, record } = context
  const { platform, data } = api
  const blockers: string[] = []

  try {
    await platform.getAccount()
  } catch (error) {
    if (error instanceof HerokuApiError && error.status === 401)
      throw new Error(
        `The Heroku API key was refused (GET /account answered 401${error.requestId ? `, Request-Id ${error.requestId}` : ''}). Check the heroku-api-key secret.`,
      )
    throw error
  }
  const app = await platform.getApp(settings.app).catch((error: unknown) => {
    if (error instanceof HerokuApiError && error.status === 404)
      throw new Error(
        `The app "${settings.app}" was not found, or this API key cannot see it (${error.message}).`,
      )
    throw error
  })

  const attachment = await resolveDatabase(platform, settings.app, settings.database)
  const oldPlan = attachment.addon.plan?.name ?? 'unknown'
  const info = await data.getDatabase(attachment.addon.id)
  maskDatabaseSecrets(info)
  const version = pgVersion(info) ?? ''
  const major = majorOf(version)
  if (major === undefined)
    throw new Error(`Could not read the Postgres version of ${attachment.addon.name} from pg:info.`)
  const old: OldDatabase = {
    id: attachment.addon.id,
    name: attachment.addon.name,
    plan: oldPlan,
    info,
    version,
    major,
  }

  const tier = tierOf(oldPlan)
  const method = chooseMethod(settings.method, tier, oldPlan)
  record.method = method
  if (!allowsFollowers(tier))
    blockers.push(
      `The method "follower" needs a Standard, Premium, Private or Shield database; ${old.name} is on ${oldPlan} (${tier}), which cannot have followers.`,
    )
  if (isFollowing(info))
    blockers.push(
      `${old.name} is itself a follower; upgrade its leader instead (followers cannot follow a follower).`,
    )

  const targetPlan = settings.plan ?? oldPlan
  const planChanges = targetPlan !== oldPlan
  if (settings.plan !== undefined)
    blockers.push(...planBlockers(targetPlan, await platform.listPostgresPlans(), app))
  blockers.push(...(await upgradeUnderWay(context, old)))

  let mode: Preflight['mode'] = 'upgrade'
  const targetVersion = settings.version
  if (targetVersion !== undefined) {
    const target = Number(targetVersion)
    if (target < major)
      blockers.push(
        `Input "version" is "${targetVersion}", which is older than ${old.name}'s current version ${version}. Allowed: a version newer than ${major}.`,
      )
    else if (target === major) mode = planChanges ? 'unfollow' : 'nothing'
    else if (!(SUPPORTED_MAJORS as readonly number[]).includes(target))
      blockers.push(
        `Input "version" is "${targetVersion}", which Heroku does not offer as an upgrade target. Allowed: ${SUPPORTED_MAJORS.filter((v) => v > major).join(', ')}.`,
      )
  } else if (major >= NEWEST_KNOWN_MAJOR) {
    mode = planChanges ? 'unfollow' : 'nothing'
  }

  const formation = await platform.getFormation(settings.app)
  if (settings.scaleDown.kind === 'list') {
    const unknown = settings.scaleDown.types.filter((type) => !formation.some((entry) => entry.type === type))
    if (unknown.length > 0)
      blockers.push(
        `Input "scale-down" names process types that app ${settings.app} does not have: ${unknown.join(', ')}. Allowed: all, none, or some of ${formation.map((e) => e.type).join(', ') || '(no process types)'}.`,
      )
  }

  const appAttachments = await platform.listAppAttachments(settings.app)
  const primary = appAttachments.find((a) => a.name === 'DATABASE' && !a.namespace)
  if (primary?.addon.id !== old.id)
    blockers.push(
      primary
        ? `Input "database" is "${settings.database}", which is ${old.name}, but the app's DATABASE is ${primary.addon.name}. This action upgrades the app's own DATABASE: set database to DATABASE_URL.`
        : `Input "database" is "${settings.database}", which is ${old.name}, but ${app.name} has no DATABASE attachment. This action upgrades an app's own DATABASE: set "app" to the app whose DATABASE_URL it is.`,
    )
  const otherApps = await otherWriters(context, old, blockers)
  warnAboutWriters(context, formation, await platform.listDynos(settings.app).catch(() => []))
  const followerAttachment = followerAttachmentName(old.id)
  const followerName = holdName(app.name, currentRun())
  const resumeWith = await findResumableFollower(
    context,
    appAttachments,
    { attachment: followerAttachment, name: followerName },
    old,
    targetPlan,
    blockers,
  )

  record.oldDatabase = snapshot(
    old.id,
    old.name,
    old.plan,
    info,
    appAttachments,
    [{ url: info.resource_url, name: old.name }],
    context.clock,
  )
  if (blockers.length > 0)
    throw new Error(
      blockers.length === 1
        ? blockers[0]
        : `Preflight found ${blockers.length} problems:\n- ${blockers.join('\n- ')}`,
    )
  if (mode !== 'nothing')
    record.leftovers = await collectLeftovers(context, old, appAttachments, resumeWith?.addon.id)
  return {
    method,
    app,
    old,
    tier,
    targetPlan,
    targetVersion,
    mode,
    followerAttachment,
    followerName,
    otherApps,
    resumeWith,
    formation,
  }
}

/** Heroku refuses a second upgrade, and a prepared or running one would race the follower's. */
async function upgradeUnderWay(context: RunContext, old: OldDatabase): Promise<string[]> {
  try {
    const status = await context.api.data.upgradeWaitStatus(old.id)
    const message = (status.message ?? '').replace(/`/g, '')
    if (status['waiting?'] || /scheduled|prepar/i.test(message))
      return [
        `${old.name} already has an upgrade under way on Heroku (${message || 'upgrading'}). Wait for it to finish (heroku pg:upgrade:wait ${old.name} -a ${context.settings.app}) or cancel it (heroku pg:upgrade:cancel ${old.name} -a ${context.settings.app}) first.`,
      ]
  } catch (error) {
    if (!(error instanceof HerokuApiError) || error.status !== 404) throw error
  }
  return []
}

/**
 * Every other app attached to the database writes to it through its own attachment: the window stops it
 * and the switch moves its attachment. A credential attachment cannot move (the new database lacks it).
 */
async function otherWriters(context: RunContext, old: OldDatabase, blockers: string[]): Promise<string[]> {
  const { platform } = context.api
  const ownApp = context.settings.app
  const attachments = (await platform.listAddonAttachments(old.id)).filter(
    (a) => a.app.name !== ownApp && a.app.id !== ownApp,
  )
  const fixed = attachments.filter((a) => !isMovable(a))
  if (fixed.length > 0)
    blockers.push(
      `${old.name} is attached to other apps through credentials that the new database would not have: ${fixed.map((a) => `${a.app.name}::${a.name} (${a.namespace})`).join(', ')}. Those apps would keep writing to the old database. Detach them (heroku addons:detach) or move them by hand before the upgrade.`,
    )
  const apps = [...new Set(attachments.filter(isMovable).map((a) => a.app.name))]
  for (const other of apps) {
    try {
      const formation = await platform.getFormation(other)
      context.log(
        `  ${other} is also attached to ${old.name} (${attachments
          .filter((a) => a.app.name === other)
          .map((a) => a.name)
          .join(
            ', ',
          )}): it is stopped during the window like ${ownApp} (${describeFormation(formation)}) and moved to the new database with it.`,
      )
    } catch (error) {
      blockers.push(
        `${old.name} is also attached to ${other}, which this API key cannot manage (${errorMessage(error)}): its dynos would keep writing to the old database. Give the key access to ${other}, or detach ${old.name} from it.`,
      )
    }
  }
  return apps
}

/** Said before anything changes: writers the chosen settings leave running during the window. */
function warnAboutWriters(context: RunContext, formation: FormationEntry[], dynos: Dyno[]): void {
  const { settings } = context
  const left = typesLeftRunning(formation, settings.scaleDown)
  if (left.length > 0)
    context.warn(
      `scale-down leaves ${describeFormation(left)} running during the window. If they write, the new database never reaches 0 commits behind and the run rolls back after lag-timeout (${formatDuration(settings.lagTimeoutMs)}).`,
    )
  const oneOffs = dynos.filter((d) => d.type !== 'release' && !formation.some((e) => e.type === d.type))
  if (oneOffs.length > 0)
    context.warn(
      `One-off dynos are running now (${oneOffs.map((d) => d.name).join(', ')}): the window waits for them to end, up to lag-timeout (${formatDuration(settings.lagTimeoutMs)}); one-off dynos that start during the window are stopped.`,
    )
}

async function findResumableFollower(
  context: RunContext,
  appAttachments: Attachment[],
  expected: { attachment: string; name: string },
  old: OldDatabase,
  targetPlan: string,
  blockers: string[],
): Promise<Attachment | undefined> {
  const attachmentName = expected.attachment
  const mine = appAttachments.find((attachment) => attachment.name === attachmentName)
  if (!mine) return undefined
  const { app } = context.settings
  const destroy = `heroku addons:destroy ${mine.addon.name} -a ${app} --confirm ${app}`
  if (mine.addon.id === old.id) return undefined
  if (mine.addon.name !== expected.name) {
    blockers.push(heldByAnotherRun(mine.addon.name, attachmentName, old.name, app))
    return undefined
  }
  const plan = mine.addon.plan?.name
  if (plan && plan !== targetPlan) {
    blockers.push(
      `An earlier run left the follower ${mine.addon.name} (${attachmentName}) on plan ${plan}, but the target plan is ${targetPlan}. Remove it (${destroy}) or set "plan" to ${plan}.`,
    )
    return undefined
  }
  let info: DatabaseInfo
  try {
    info = await context.api.data.getDatabase(mine.addon.id)
  } catch (error) {
    if (error instanceof HerokuApiError && error.status === 404) return mine // still provisioning
    throw error
  }
  maskDatabaseSecrets(info)
  if (follows(info, { addonId: old.id, info: old.info })) {
    const lag = behindBy(info)
    context.log(
      `  Found the follower ${mine.addon.name} (${attachmentName}) from an earlier run${lag !== undefined ? `, behind by ${lag} commits` : ''}: resuming with it.`,
    )
    return mine
  }
  blockers.push(
    `An earlier run left ${mine.addon.name} (${attachmentName}), which no longer follows ${old.name} (an upgrade or unfollow had started), so writes made since then are not in it. Remove it with ${destroy} and re-run.`,
  )
  return undefined
}
