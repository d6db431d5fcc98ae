// Reads every fact a method needs, in one place, and changes nothing (not even the run record): the app, its space and formation, the
// database (tier, version, size, followers, poolers, credentials, schedules), the apps that share it,
// Heroku's own upgrade lifecycle for it, the plans on offer, and what an earlier run of this action left.
import { dataSizeBytes, majorOf, maskDatabaseSecrets, pgVersion } from '../heroku/database-info'
import { HerokuApiError } from '../heroku/errors'
import { errorMessage } from '../domain/error-message'
import { cleanHerokuMessage } from '../domain/heroku-message'
import { currentRun, holdAttachmentOn, holdName } from '../domain/identity'
import { collectLeftovers } from './leftovers'
import { isMovable } from './attachments'
import { readDatabase } from './read-database'
import { resolveDatabase } from './resolve'
import { tierOf } from '../domain/tier'
import type { HeldDatabase, InspectDeps, Inspection, OldDatabase, OtherApp, UpgradeState } from './types'

export async function inspect(context: InspectDeps): Promise<Inspection> {
  const { api } = context
  const settings = { app: context.app, database: context.database }
  const { platform, data } = api
  await checkToken(context)
  const app = await platform.getApp(settings.app).catch((error: unknown) => {
    if (error instanceof HerokuApiError && error.status === 404)
      throw new Error(
        `The app "${settings.app}" was not found, or this API key cannot see it (${error.message}).`,
      )
    throw error
  })
  const attachment = await resolveDatabase(platform, settings.app, settings.database)
  const plan = attachment.addon.plan?.name ?? 'unknown'
  const info = await data.getDatabase(attachment.addon.id)
  maskDatabaseSecrets(info)
  const version = pgVersion(info) ?? ''
  const major = majorOf(version)
  if (major === undefined)
    throw new Error(`Could not read the Postgres version of ${attachment.addon.name} from pg:info.`)
  const old: OldDatabase = {
    id: attachment.addon.id,
    name: attachment.addon.name,
    plan,
    appName: attachment.addon.app?.name,
    tier: tierOf(plan),
    info,
    version,
    major,
    sizeBytes: dataSizeBytes(info),
  }

  const essential = old.tier === 'essential' || old.tier === 'legacy-essential'
  const [appAttachments, databaseAttachments, formation, dynos, plans, upgrade, maintenance] =
    await Promise.all([
      platform.listAppAttachments(settings.app),
      platform.listAddonAttachments(old.id),
      platform.getFormation(settings.app),
      platform.listDynos(settings.app).catch(() => []),
      platform.listPostgresPlans(),
      upgradeState(context, old.id),
      // Essential databases have no data maintenances; elsewhere a failed read only loses the warning.
      essential ? undefined : context.api.data.maintenance(old.id).catch(() => undefined),
    ])
  const otherApps = await readOtherApps(context, databaseAttachments, old.appName)
  const hold = {
    // A hold an older release took under its former name is found under that name, and kept by it.
    attachment: holdAttachmentOn(
      old.id,
      appAttachments.map((attachment) => attachment.name),
    ),
    name: holdName(app.name, currentRun()),
  }
  const heldAttachment = appAttachments.find((a) => a.name === hold.attachment && a.addon.id !== old.id)
  const found: HeldDatabase | undefined = heldAttachment && {
    attachment: heldAttachment,
    info: await readDatabase(context, heldAttachment.addon.id),
  }
  const notes: string[] = []
  const leftovers = await collectLeftovers(context, old, appAttachments, databaseAttachments, found, notes)
  return {
    app,
    old,
    appAttachments,
    databaseAttachments,
    otherApps,
    formation,
    dynos,
    plans,
    upgrade,
    maintenance,
    leftovers,
    notes,
    hold: {
      ...hold,
      found,
      onOld: appAttachments.find((a) => a.name === hold.attachment && a.addon.id === old.id),
    },
  }
}

async function checkToken(context: Pick<InspectDeps, 'api'>): Promise<void> {
  try {
    await context.api.platform.getAccount()
  } catch (error) {
    if (error instanceof HerokuApiError && error.status === 401)
      throw new Error(
        `The Heroku API key was refused (GET /account answered 401${error.requestId ? `, Request-Id ${error.requestId}` : ''}). Check the heroku-api-key secret.`,
      )
    throw error
  }
}

/**
 * Heroku's upgrade lifecycle for the database. While an upgrade is being prepared, wait_status says it is
 * waiting; once prepared it says the upgrade "is scheduled" and can be run now.
 */
export async function upgradeState(context: Pick<InspectDeps, 'api'>, id: string): Promise<UpgradeState> {
  try {
    const status = await context.api.data.upgradeWaitStatus(id)
    const message = cleanHerokuMessage(status.message)
    if (status['error?']) return { phase: 'failed', message }
    // Only a finished wait ("waiting? false") that says "scheduled" is a prepared upgrade. What Heroku says while
    // it prepares is not documented and may also say "scheduled" (prepare's own answer does): that is still
    // preparing, and taking it for ready would open the window hours early.
    if (status['waiting?']) {
      const preparing = (/prepar/i.test(message) || /scheduled/i.test(message)) && !status.step
      return { phase: preparing ? 'preparing' : 'running', message }
    }
    if (/scheduled/i.test(message)) return { phase: 'prepared', message }
    return { phase: 'none', message }
  } catch (error) {
    if (error instanceof HerokuApiError && error.status === 404) return { phase: 'none', message: '' }
    throw error
  }
}

/** Every other app attached to the database writes to it: the window must stop it and the switch move it. */
async function readOtherApps(
  context: InspectDeps,
  attachments: Inspection['databaseAttachments'],
  ownerName: string | undefined,
): Promise<OtherApp[]> {
  const own = context.app
  const others = attachments.filter((a) => a.app.name !== own && a.app.id !== own && isMovable(a))
  const names = [...new Set(others.map((a) => a.app.name))]
  return Promise.all(
    names.map(async (name): Promise<OtherApp> => {
      const attached = others.filter((a) => a.app.name === name).map((a) => a.name)
      const owner = name === ownerName
      try {
        const [formation, app] = await Promise.all([
          context.api.platform.getFormation(name),
          context.api.platform.getApp(name),
        ])
        return { name, attachments: attached, formation, space: app.space?.name ?? null, owner }
      } catch (error) {
        return { name, attachments: attached, owner, unreachable: errorMessage(error) }
      }
    }),
  )
}
