// The hold of a method that creates nothing (in-place, plan-change): the old database attached to the app
// once more, under the same fixed name that a follower or copy run gives the database it creates. Heroku
// keeps attachment names unique per app, so of two runs of any methods on one database only one takes it;
// the other is refused before it changes anything. Released when the run ends, unless it leaves Heroku a
// prepared change (the hold then waits for the phase switch that runs it).
import type { StepDeps } from './deps'
import { changeOnce } from '../heroku/change-once'
import { HerokuApiError } from '../heroku/errors'
import type { PlatformApi } from '../heroku/platform-api'
import type { Attachment } from '../heroku/types'
import { heldByAnotherRun, heldInPlace } from '../plan/checks'
import type { UpgradePlan } from '../plan/upgrade-plan'
import type { Journal } from '../record/journal'
import type { Clock } from '../runtime/clock'

async function holdAttachment(
  platform: PlatformApi,
  app: string,
  name: string,
): Promise<Attachment | undefined> {
  return (await platform.listAppAttachments(app)).find((a) => a.name === name && !a.namespace)
}

/** Takes the hold (or keeps the one phase prepare took); refuses, naming the holder, when another run has it. */
export async function takeHold(deps: StepDeps, plan: UpgradePlan): Promise<string> {
  const { platform } = deps.api
  const app = deps.journal.record.app
  const { hold, old } = plan.facts
  const record = (): void => deps.journal.holdTaken(hold.attachment)
  if (plan.facts.hold.onOld && plan.switchOnly) {
    record()
    return `${hold.attachment} was taken by the prepare phase; kept until the change is done`
  }
  try {
    await changeOnce({
      send: () =>
        platform.createAttachment({
          addon: { name: old.name },
          app: { name: app },
          confirm: app,
          name: hold.attachment,
          namespace: null,
        }),
      findEffect: async () => {
        const found = await holdAttachment(platform, app, hold.attachment)
        return found?.addon.id === old.id ? found : undefined
      },
      clock: deps.clock,
      signal: deps.signal,
      policy: deps.retryPolicyNow(),
    })
  } catch (error) {
    if (!(error instanceof HerokuApiError) || error.status !== 422) throw error
    // The name is taken: another run holds the database, now or since this run's preflight.
    const holder = await holdAttachment(platform, app, hold.attachment)
    if (!holder) throw error
    throw new Error(
      holder.addon.id === old.id
        ? heldInPlace(hold.attachment, old.name, app)
        : heldByAnotherRun(holder.addon.name, hold.attachment, old.name, app),
      { cause: error },
    )
  }
  record()
  return `${old.name} is held as ${hold.attachment}: no other run of this action starts on it meanwhile`
}

/** Detaches the hold; a lost answer is settled by looking. Idempotent. */
export async function releaseHold(
  platform: PlatformApi,
  journal: Journal,
  options: { clock: Clock; signal?: AbortSignal },
): Promise<string> {
  const record = journal.record
  const taken = record.hold
  if (!taken || taken.released) return 'no hold to release'
  const found = await holdAttachment(platform, record.app, taken.attachment)
  if (found && found.addon.id === record.oldDatabase?.addonId)
    await changeOnce<true>({
      send: async () => {
        await platform.deleteAttachment(found.id)
        return true
      },
      findEffect: async () =>
        (await holdAttachment(platform, record.app, taken.attachment)) ? undefined : true,
      clock: options.clock,
      signal: options.signal,
    })
  journal.holdReleased()
  return `${taken.attachment} detached: the database is free for the next run`
}
