// Which workflow run this is, and how the database a run creates (or, for in-place and plan-change, the old
// database itself) carries the run's hold, so that a second run against the same database can tell a hold of
// another run (refused) from its own earlier attempt (resumed). The hold lives on Heroku: it is an attachment
// under a fixed name, given in the same request that creates the add-on (or attaches the old one again).
import { createHash } from 'node:crypto'

const MAX_ADDON_NAME = 50

function suffixOf(oldAddonId: string): string {
  return createHash('sha256').update(oldAddonId).digest('hex').slice(0, 6).toUpperCase()
}

/**
 * The attachment name of a run's hold: fixed per old database, so of two runs only one can take it. It is
 * "HOLD", not "FOLLOWER": copy and backup-restore hold with an empty database, in-place and plan-change with
 * the old database itself.
 */
export function holdAttachmentName(oldAddonId: string): string {
  return `UPGRADE_HOLD_${suffixOf(oldAddonId)}`
}

/** The name the previous release gave the hold: a database one of its runs holds under it is still held. */
export function legacyHoldAttachmentName(oldAddonId: string): string {
  return `UPGRADE_FOLLOWER_${suffixOf(oldAddonId)}`
}

/** Every name a hold of this database can have, the current one first. */
export function holdAttachmentNames(oldAddonId: string): string[] {
  return [holdAttachmentName(oldAddonId), legacyHoldAttachmentName(oldAddonId)]
}

/**
 * The hold's name for a run that finds these attachment names on the app: the one an earlier run (of this
 * release or the previous) already took, so it is resumed or refused under its own name; else the current one.
 */
export function holdAttachmentOn(oldAddonId: string, attachmentNames: readonly string[]): string {
  return (
    holdAttachmentNames(oldAddonId).find((name) => attachmentNames.includes(name)) ??
    holdAttachmentName(oldAddonId)
  )
}

export interface RunIdentity {
  /** GITHUB_RUN_ID; a re-run of the same workflow run keeps it. `local` outside GitHub Actions. */
  id: string
  /** The workflow run's page, when known. */
  url?: string
}

export function currentRun(env: NodeJS.ProcessEnv = process.env): RunIdentity {
  const given = env.GITHUB_RUN_ID
  const id = given !== undefined && /^\d+$/.test(given) ? given : 'local'
  return { id, url: runUrl(id, env) }
}

/** The page of a workflow run of this repository. */
export function runUrl(id: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (id === 'local' || !env.GITHUB_REPOSITORY) return undefined
  return `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${id}`
}

/** The name the run's new database gets: `<app>-upgrade-<run id>`. Add-on names are unique on Heroku. */
export function holdName(app: string, run: RunIdentity): string {
  const suffix = `-upgrade-${run.id}`
  return `${app.slice(0, MAX_ADDON_NAME - suffix.length)}${suffix}`.replace(/-+$/, '')
}

/** The run id a hold name carries, if the add-on was named by this action. */
export function runOfHold(addonName: string): string | undefined {
  return /-upgrade-(\d+|local)$/.exec(addonName)?.[1]
}
