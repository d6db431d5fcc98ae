// Checking what the app's DATABASE is after the switch, and the report's view of the new database.
import type { StepDeps } from './deps'
import { errorMessage } from '../domain/error-message'
import { isFollowing, majorOf, pgVersion } from '../heroku/database-info'
import type { DatabaseInfo } from '../heroku/types'
import type { UpgradePlan } from '../plan/upgrade-plan'
import type { DatabaseSnapshot } from '../record/record'
import type { AddonRef } from '../domain/vocabulary'
import { readDatabase } from '../inspect/read-database'
import { resolveDatabase } from '../inspect/resolve'
import { snapshot } from '../inspect/snapshot'

/** The major the database must report once the method is done, or "newer than" when none was asked for. */
function expectedMajor(plan: UpgradePlan): { exactly?: number; above?: number } {
  if (!plan.versionChanges) return { exactly: plan.facts.old.major }
  return plan.targetVersion ? { exactly: Number(plan.targetVersion) } : { above: plan.facts.old.major }
}

/** DATABASE_URL resolves to `database`, which is writable and on the target version. */
export async function verify(deps: StepDeps, plan: UpgradePlan, database: AddonRef): Promise<string> {
  const { api } = deps
  const record = deps.journal.record
  const resolved = await resolveDatabase(api.platform, deps.journal.record.app, 'DATABASE_URL')
  if (resolved.addon.id !== database.id)
    throw new Error(`DATABASE_URL resolves to ${resolved.addon.name}, not to ${database.name}.`)
  const info = await readDatabase(deps, database.id)
  if (!info) throw new Error(`The data API does not know ${database.name}.`)
  if (isFollowing(info))
    throw new Error(`${database.name} is DATABASE but still follows another database (read-only).`)
  const version = pgVersion(info) ?? 'unknown'
  const major = majorOf(version)
  const expected = expectedMajor(plan)
  const ok =
    major !== undefined &&
    (expected.exactly !== undefined ? major === expected.exactly : major > (expected.above ?? 0))
  if (!ok)
    throw new Error(
      `${database.name} reports PG ${version}, expected ${expected.exactly ?? `newer than ${expected.above}`}.`,
    )
  deps.journal.newDatabaseRead(snapshotOf(deps, plan, database, info, record.newDatabase?.attachments ?? []))
  return `DATABASE_URL → ${database.name}, PG ${version}, writable`
}

export function snapshotOf(
  deps: StepDeps,
  plan: UpgradePlan,
  database: AddonRef,
  info: DatabaseInfo,
  attachmentNames: string[],
): DatabaseSnapshot {
  const { old, app } = plan.facts
  const known = [
    { url: info.resource_url, name: database.name },
    { url: old.info.resource_url, name: old.name },
  ]
  const attachments = attachmentNames.map((name) => ({ id: name, name, app, addon: database }))
  return snapshot(database.id, database.name, plan.targetPlan, info, attachments, known, deps.clock)
}

/** After the window: the new database's attachments and pg:info for the report (best effort). */
export async function refreshNewSnapshot(
  deps: StepDeps,
  plan: UpgradePlan,
  database: AddonRef,
): Promise<void> {
  try {
    const [info, attachments] = await Promise.all([
      readDatabase(deps, database.id),
      deps.api.platform.listAppAttachments(deps.journal.record.app),
    ])
    if (!info) return
    const names = attachments.filter((a) => a.addon.id === database.id).map((a) => a.name)
    deps.journal.newDatabaseRead(snapshotOf(deps, plan, database, info, names))
  } catch (error) {
    deps.log(`  Could not refresh the description of ${database.name} for the report: ${errorMessage(error)}`)
  }
}
