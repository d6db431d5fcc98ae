// The write fence as steps of the window. Up on the database the app is leaving (or upgraded in place) as the
// window opens; off the database that will serve before the app reopens: a physical follower carries the
// setting to its promote, an in-place upgrade keeps it, a copy may. The recovery lifts it from whichever
// database serves once a switch was settled or undone (`lift-fence`).
import type { AddonRef } from '../domain/vocabulary'
import { attachmentUrls } from '../heroku/database-urls'
import type { UpgradePlan } from '../plan/upgrade-plan'
import { liftFence, raiseFence } from '../postgres/fence'
import { compareInventories, readInventory } from '../postgres/parity'
import { parityRefusal } from '../domain/messages/fence'
import type { StepDeps } from './deps'

/** How long the fence may take to confirm that no session left can write. */
const CONFIRM_MS = 30_000

async function urlOf(deps: StepDeps, attachment: string): Promise<string> {
  const [url = ''] = await attachmentUrls(deps.api.platform, deps.journal.record.app, [attachment])
  return url
}

export async function putUpFence(deps: StepDeps, plan: UpgradePlan): Promise<string> {
  const { fence } = plan
  if (!fence.use) throw new Error(`The fence step ran without a fence: ${fence.why}`)
  const old = plan.facts.old.name
  deps.journal.fenceRaising(deps.journal.record.app, fence.attachment)
  const raised = await raiseFence(await urlOf(deps, fence.attachment), { confirmMs: CONFIRM_MS })
  deps.journal.fenceRaised(old)
  const ended = raised.ended === 1 ? '1 session' : `${raised.ended} sessions`
  return `${old} is read-only for every new session; ${ended} opened before ended; none left can write`
}

/** How long counting rows may take on each database; beyond it, estimates stand in and are said to. */
const PARITY_BUDGET_MS = 60_000

/**
 * The new database against the fenced old one, before the promote (while undoing is still free): a missing
 * table, sequence or extension, a row count that differs, or a sequence behind stops the run.
 */
export async function checkParity(deps: StepDeps, plan: UpgradePlan, target: AddonRef): Promise<string> {
  const { fence } = plan
  if (!fence.use) throw new Error(`The parity step ran without a fence: ${fence.why}`)
  const [oldUrl = '', newUrl = ''] = await attachmentUrls(deps.api.platform, deps.journal.record.app, [
    fence.attachment,
    plan.facts.hold.attachment,
  ])
  const [old, fresh] = await Promise.all([
    readInventory(oldUrl, PARITY_BUDGET_MS),
    readInventory(newUrl, PARITY_BUDGET_MS),
  ])
  const verdict = compareInventories(old, fresh)
  for (const note of verdict.notes) deps.log(`  ${note}`)
  if (verdict.problems.length > 0)
    throw new Error(parityRefusal(target.name, plan.facts.old.name, verdict.problems))
  return [verdict.summary, ...verdict.notes].join('; ')
}

/** Lifts the fence from the database reached through `attachment` and confirms it from a fresh session. */
export async function takeDownFence(deps: StepDeps, target: AddonRef, attachment: string): Promise<string> {
  await liftFence(await urlOf(deps, attachment))
  deps.journal.fenceLifted(target.name)
  return `${target.name} takes writes: a new session is not read-only`
}
