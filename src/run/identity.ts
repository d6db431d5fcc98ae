// Which workflow run this is, and how the follower a run creates carries that, so that a second run against
// the same database can tell a hold of another run (refused) from its own earlier attempt (resumed). The
// hold lives on Heroku: it is the add-on's name, given when the follower is created in one request.
import { createHash } from 'node:crypto'

const MAX_ADDON_NAME = 50

/** The attachment name of a run's follower: fixed per old database, so of two runs only one can take it. */
export function followerAttachmentName(oldAddonId: string): string {
  return `UPGRADE_FOLLOWER_${createHash('sha256').update(oldAddonId).digest('hex').slice(0, 6).toUpperCase()}`
}

export interface RunIdentity {
  /** GITHUB_RUN_ID; a re-run of the same workflow run keeps it. `local` outside GitHub Actions. */
  id: string
  /** The workflow run's page, when known. */
  url?: string
}

export function currentRun(env: NodeJS.ProcessEnv = process.env): RunIdentity {
  const id = /^\d+$/.test(env.GITHUB_RUN_ID ?? '') ? env.GITHUB_RUN_ID! : 'local'
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
