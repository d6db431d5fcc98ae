// Step 1, read-only: the token works, the app and the database resolve, the tier allows followers,
// the target is newer (or the plan differs), and nothing left by an earlier run conflicts. A follower
// this action created earlier (found by its deterministic attachment name) is picked up to resume.
import { createHash } from 'node:crypto'
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
import { chooseMethod } from './choose'
import { collectLeftovers } from './leftovers'
import { resolveDatabase } from './resolve'
import { snapshot } from './snapshot'
import { allowsFollowers, tierOf, type Tier } from './tier'

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
  /** A follower of the old database created by an earlier run of this action, to resume with. */
  resumeWith?: Attachment
  formation: FormationEntry[]
}

/** Deterministic per old database, so a re-run finds the follower it created. */
export function followerAttachmentName(oldAddonId: string): string {
  return `UPGRADE_FOLLOWER_${createHash('sha256').update(oldAddonId).digest('hex').slice(0, 6).toUpperCase()}`
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
  if (planChanges && tierOf(targetPlan) !== 'unknown' && !allowsFollowers(tierOf(targetPlan)))
    blockers.push(
      `Input "plan" is "${targetPlan}", but a follower must be on a Standard, Premium, Private or Shield plan.`,
    )

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
  if (primary && primary.addon.id !== old.id)
    blockers.push(
      `Input "database" is "${settings.database}", which is ${old.name}, but the app's DATABASE is ${primary.addon.name}. This action upgrades the primary database: set database to DATABASE_URL.`,
    )
  const followerAttachment = followerAttachmentName(old.id)
  const resumeWith = await findResumableFollower(
    context,
    appAttachments,
    followerAttachment,
    old,
    targetPlan,
    blockers,
  )

  if (blockers.length > 0)
    throw new Error(
      blockers.length === 1
        ? blockers[0]
        : `Preflight found ${blockers.length} problems:\n- ${blockers.join('\n- ')}`,
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
    resumeWith,
    formation,
  }
}

async function findResumableFollower(
  context: RunContext,
  appAttachments: Attachment[],
  attachmentName: string,
  old: OldDatabase,
  targetPlan: string,
  blockers: string[],
): Promise<Attachment | undefined> {
  const mine = appAttachments.find((attachment) => attachment.name === attachmentName)
  if (!mine) return undefined
  const { app } = context.settings
  const destroy = `heroku addons:destroy ${mine.addon.name} -a ${app} --confirm ${app}`
  if (mine.addon.id === old.id) return undefined
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
