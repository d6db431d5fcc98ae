// Where things stand when a run ends without succeeding, read from Heroku rather than inferred from what
// the run meant to do: the add-on DATABASE names, its version and plan, and whether Heroku is still
// carrying out an upgrade or a plan change on it. A request whose answer was lost is settled here by looking.
import type { Clock } from '../runtime/clock'
import { errorMessage } from '../domain/error-message'
import { cleanHerokuMessage } from '../domain/heroku-message'
import type { DataApi } from '../heroku/data-api'
import type { PlatformApi } from '../heroku/platform-api'
import { maskDatabaseSecrets, majorOf, pgVersion } from '../heroku/database-info'
import type { WaitStatus } from '../heroku/types'
import { snapshot } from '../inspect/snapshot'
import type { Journal } from '../record/journal'
import type { EndState } from '../record/record'

export interface EndStateApis {
  platform: PlatformApi
  data: DataApi
}

/** The wait_status of an upgrade that Heroku is running (a step number and still waiting), in its words. */
function upgradeUnderWay(status: WaitStatus): string | undefined {
  if (!status['waiting?'] || !status.step) return undefined
  return `an upgrade in progress (step ${status.step}: ${cleanHerokuMessage(status.message)})`
}

/**
 * A request that cannot be undone and whose answer never came: decided from what Heroku shows. An upgrade
 * took effect when one is running or the major moved; a plan change when the plan is the target or Heroku is
 * still changing it. Returns true when it is now known to have reached Heroku.
 */
export async function settleSentChange(journal: Journal, apis: EndStateApis): Promise<boolean> {
  const record = journal.record
  const sent = record.irreversibleSent
  if (!sent || record.irreversible) return record.irreversible !== undefined
  let tookEffect = false
  if (sent.step === 'upgrade') {
    const [status, info] = await Promise.all([
      apis.data.upgradeWaitStatus(sent.addon.id),
      apis.data.getDatabase(sent.addon.id),
    ])
    maskDatabaseSecrets(info)
    const before = majorOf(record.oldDatabase?.version)
    const now = majorOf(pgVersion(info))
    tookEffect =
      upgradeUnderWay(status) !== undefined ||
      Boolean(status.step && status['error?']) ||
      (before !== undefined && now !== undefined && now > before)
  } else if (sent.step === 'changeover') {
    const maintenance = await apis.data.maintenance(sent.addon.id)
    tookEffect = maintenance.status === 'running' || maintenance.status === 'completed'
  } else {
    const [status, addon] = await Promise.all([
      apis.data.waitStatus(sent.addon.id),
      apis.platform.getAddon(record.app, sent.addon.name),
    ])
    tookEffect = Boolean(status['waiting?']) || addon.plan.name === record.targetPlan
  }
  if (tookEffect) journal.irreversibleAccepted(sent)
  else journal.irreversibleRefused()
  return tookEffect
}

/**
 * Reads the end state into the record (and the new snapshot, when the database serving the app changed in
 * place). Never throws: what could not be read is said in the record's warnings, and the report then falls
 * back to what the run recorded.
 */
export async function readEndState(journal: Journal, apis: EndStateApis, clock: Clock): Promise<void> {
  const record = journal.record
  // A run that stopped in its read-only preflight changed nothing: what it recorded is the truth.
  if (!record.steps.some((step) => step.name !== 'preflight')) return
  try {
    await settleSentChange(journal, apis)
    const attachments = await apis.platform.listAppAttachments(record.app)
    const database = attachments.find((a) => a.name === 'DATABASE' && !a.namespace)
    if (!database) throw new Error(`${record.app} has no DATABASE attachment`)
    const addon = database.addon
    const [info, upgrade, plan] = await Promise.all([
      apis.data.getDatabase(addon.id),
      apis.data.upgradeWaitStatus(addon.id).catch(() => undefined),
      addon.plan?.name
        ? Promise.resolve(addon.plan.name)
        : apis.platform.getAddon(record.app, addon.name).then((a) => a.plan.name),
    ])
    maskDatabaseSecrets(info)
    let underWay = upgrade && upgradeUnderWay(upgrade)
    if (!underWay && record.irreversible?.step === 'changeover') {
      const maintenance = await apis.data.maintenance(addon.id)
      if (maintenance.status === 'running') underWay = 'a changeover in progress (data maintenance running)'
    }
    if (!underWay && record.irreversible?.step === 'plan-change') {
      const status = await apis.data.waitStatus(addon.id)
      if (status['waiting?']) underWay = `a plan change in progress (${status.message ?? 'changing plan'})`
    }
    const state: EndState = {
      serving: { id: addon.id, name: addon.name },
      version: pgVersion(info) ?? 'unknown',
      plan,
      ...(underWay ? { underWay } : {}),
      readAt: new Date(clock.now()).toISOString(),
    }
    journal.endStateRead(state)
    const old = record.oldDatabase
    const changedInPlace =
      old?.addonId === addon.id && (state.version !== old.version || state.plan !== old.plan)
    if (changedInPlace || (addon.name === record.createdAddon && !record.newDatabase))
      journal.newDatabaseRead(
        snapshot(
          addon.id,
          addon.name,
          plan,
          info,
          attachments,
          [{ url: info.resource_url, name: addon.name }],
          clock,
        ),
      )
  } catch (error) {
    journal.warned(
      `Could not read where ${record.app}'s DATABASE stands at the end of the run (${errorMessage(error)}): the report says what the run recorded. Check with heroku pg:info -a ${record.app}.`,
    )
  }
}
