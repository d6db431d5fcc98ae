// What the old database leaves behind, carried over to the new one once the app is back: named credentials
// recreated (their passwords differ), the backup schedule recreated at the same hour, and followers
// recreated on the new database (when recreate-followers is on). Whatever cannot be done is listed for a
// person with the command that does it; the attachments (pooler, other apps) already moved in the switch.
import type { StepDeps } from './deps'
import { changeOnce } from '../heroku/change-once'
import { HerokuApiError } from '../heroku/errors'
import { errorMessage } from '../domain/error-message'
import { formatDuration } from '../domain/duration'
import type { UpgradePlan } from '../plan/upgrade-plan'
import type { Leftovers } from '../record/record'
import type { AddonRef } from '../domain/vocabulary'
import { poll } from '../runtime/poller'
import { waitingIn } from './waits'
import { credentialAttachmentLeftNote, credentialRecreatedWarning } from '../domain/messages/databases'

export interface CarriedOver {
  done: string[]
  left: string[]
}

interface Schedule {
  name?: string
  hour?: number | string
  timezone?: string
}

export async function carryOver(deps: StepDeps, plan: UpgradePlan, target: AddonRef): Promise<CarriedOver> {
  const record = deps.journal.record
  // What is left behind shrinks by what the switch moved; the journal keeps the narrowed copy.
  const leftovers = record.leftovers && structuredClone(record.leftovers)
  const result: CarriedOver = { done: [], left: [] }
  for (const move of record.moves ?? [])
    if (move.name !== 'DATABASE' || move.app !== record.app) {
      const name = `${move.app === record.app ? '' : `${move.app}::`}${move.name}`
      result.done.push(`${name} now points at ${target.name}`)
      if (leftovers) {
        leftovers.otherAppAttachments = leftovers.otherAppAttachments.filter((other) => other !== name)
        leftovers.nonDefaultPoolers = leftovers.nonDefaultPoolers.filter((pooler) => pooler !== name)
      }
    }
  if (leftovers) {
    await recreateCredentials(deps, plan, target, leftovers, result)
    await recreateSchedule(deps, plan, target, leftovers, result)
    await recreateFollowers(deps, plan, target, leftovers, result)
  }
  deps.journal.carriedOver(result, leftovers)
  return result
}

async function recreateCredentials(
  deps: StepDeps,
  plan: UpgradePlan,
  target: AddonRef,
  leftovers: Leftovers,
  result: CarriedOver,
): Promise<void> {
  for (const credential of [...leftovers.credentials]) {
    try {
      await changeOnce({
        send: () => deps.api.data.createCredential(target.name, credential),
        findEffect: async () => undefined,
        clock: deps.clock,
        signal: deps.signal,
        policy: deps.retryPolicyNow(),
      }).catch((error: unknown) => {
        // Heroku refuses a credential name the database has: a lost answer already made it.
        if (error instanceof HerokuApiError && error.status === 422 && /exist/i.test(error.message)) return
        throw error
      })
      leftovers.credentials = leftovers.credentials.filter((name) => name !== credential)
      result.done.push(`credential ${credential} recreated on ${target.name}`)
      // Its attachments could not move in the switch (the credential did not exist yet on the new database).
      const app = deps.journal.record.app
      for (const attachment of plan.facts.databaseAttachments)
        if (attachment.app.name === app && attachment.namespace === `credential:${credential}`)
          result.left.push(
            credentialAttachmentLeftNote({
              attachment: attachment.name,
              credential,
              database: target.name,
              app,
            }),
          )
      deps.warn(credentialRecreatedWarning({ name: credential, database: target.name, app }))
    } catch (error) {
      result.left.push(`credential ${credential}: ${errorMessage(error)}`)
    }
  }
}

async function recreateSchedule(
  deps: StepDeps,
  plan: UpgradePlan,
  target: AddonRef,
  leftovers: Leftovers,
  result: CarriedOver,
): Promise<void> {
  if (!leftovers.backupSchedule) return
  try {
    const schedules = (await deps.api.data.transferSchedules(plan.facts.old.id)) as Schedule[]
    for (const schedule of schedules) {
      await deps.api.data.createTransferSchedule(target.id, {
        hour: schedule.hour ?? 2,
        timezone: schedule.timezone ?? 'UTC',
        schedule_name: 'DATABASE_URL',
      })
      result.done.push(
        `daily backups of ${target.name} scheduled at ${schedule.hour ?? 2}:00 ${schedule.timezone ?? 'UTC'}, as the old database's were`,
      )
    }
    leftovers.backupSchedule = false
  } catch (error) {
    result.left.push(`backup schedule: ${errorMessage(error)}`)
  }
}

/** Heroku refuses to follow a database that just stopped following for a while: that refusal is waited out. */
const NOT_FOLLOWABLE_YET = /not (yet )?(ready|available)|temporarily|cannot be followed|try again/i

async function recreateFollowers(
  deps: StepDeps,
  plan: UpgradePlan,
  target: AddonRef,
  leftovers: Leftovers,
  result: CarriedOver,
): Promise<void> {
  if (leftovers.followers.length === 0) return
  const app = deps.journal.record.app
  if (!plan.policy.recreateFollowers) {
    result.left.push(`followers ${leftovers.followers.join(', ')} (recreate-followers is false)`)
    return
  }
  const plans = new Map(plan.facts.appAttachments.map((a) => [a.addon.name, a.addon.plan?.name]))
  for (const [index, follower] of [...leftovers.followers].entries()) {
    const followerPlan = plans.get(follower) ?? plan.targetPlan
    const attachment = `${plan.facts.hold.attachment}_FOLLOWER_${index + 1}`
    try {
      const created = await poll({
        describe: `Heroku to let ${target.name} be followed`,
        timeoutMs: plan.policy.timeouts.catchUp.ms,
        interval: deps.poll.longWaitMs,
        ...waitingIn(deps),
        check: async () => {
          const existing = (await deps.api.platform.listAppAttachments(app)).find(
            (a) => a.name === attachment,
          )
          if (existing) return { done: true, value: existing.addon.name }
          try {
            const addon = await deps.api.platform.createAddon(app, {
              plan: { name: followerPlan },
              config: { follow: target.name },
              attachment: { name: attachment },
            })
            return { done: true, value: addon.name }
          } catch (error) {
            if (
              error instanceof HerokuApiError &&
              error.status === 422 &&
              NOT_FOLLOWABLE_YET.test(error.message)
            )
              return { done: false, status: `${target.name} cannot be followed yet: ${error.message}` }
            throw error
          }
        },
      })
      leftovers.followers = leftovers.followers.filter((name) => name !== follower)
      result.done.push(
        `follower ${created} of ${target.name} on ${followerPlan} (replaces ${follower}, which still follows the old database: destroy it once ${created} is ready)`,
      )
    } catch (error) {
      result.left.push(
        `follower ${follower}: ${errorMessage(error)} (within catch-up-timeout, ${formatDuration(plan.policy.timeouts.catchUp.ms)})`,
      )
    }
  }
}
