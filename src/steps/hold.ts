// The hold of a method that creates nothing (in-place, plan-change): the old database attached to the app
// once more, under the same fixed name that a follower or copy run gives the database it creates. Heroku
// keeps attachment names unique per app, so of two runs of any methods on one database only one takes it;
// the other is refused before it changes anything. Released when the run ends, unless it leaves Heroku a
// prepared change (the hold then waits for the phase switch that runs it).
import type { RunContext } from './context'
import { changeOnce } from '../heroku/change-once'
import { HerokuApiError } from '../heroku/errors'
import type { PlatformApi } from '../heroku/api'
import type { Attachment } from '../heroku/types'
import { heldByAnotherRun, heldInPlace } from '../plan/checks'
import type { UpgradePlan } from '../inspect/types'
import type { RunRecord } from '../record/record'

async function holdAttachment(
  platform: PlatformApi,
  app: string,
  name: string,
): Promise<Attachment | undefined> {
  return (await platform.listAppAttachments(app)).find((a) => a.name === name && !a.namespace)
}

/** Takes the hold (or keeps the one phase prepare took); refuses, naming the holder, when another run has it. */
export async function takeHold(context: RunContext, plan: UpgradePlan): Promise<string> {
  const { platform } = context.api
  const app = context.settings.app
  const { hold, old } = plan.facts
  const record = (): void => {
    context.record.hold = { attachment: hold.attachment }
    context.save()
  }
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
      clock: context.clock,
      signal: context.signal,
      policy: context.retryPolicyNow(),
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
  record: RunRecord,
  options: Pick<RunContext, 'clock'> & { signal?: AbortSignal; save: () => void },
): Promise<string> {
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
  taken.released = true
  options.save()
  return `${taken.attachment} detached: the database is free for the next run`
}
