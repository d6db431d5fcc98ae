// The follower method: a follower on the target plan, caught up while the app is up; then a short window:
// every writer stopped, 0 commits behind, upgrade (or unfollow), promote, releases confirmed, verify,
// restore. Everything that can happen before the window happens before it.
import type { RunContext } from '../context'
import type { PlatformApi } from '../heroku/api'
import { HerokuApiError } from '../heroku/errors'
import type { Addon } from '../heroku/types'
import { pgVersion } from '../heroku/database-info'
import { poll, type PollResult } from '../poller'
import type { RunStatus } from '../run-record'
import { closeWindow } from '../window'
import { createFollower } from './follower-create'
import { refreshNewSnapshot, snapshotOf, verify } from './follower-verify'
import {
  CATCH_UP_GATE_COMMITS,
  readLag,
  startUpgrade,
  stopFollowing,
  waitForLag,
  waitForUpgrade,
  waitUntilStandalone,
  withinInput,
} from './follower-waits'
import { preflight, type Preflight } from './preflight'
import { ensureAlternateAlias, promote } from './promote'
import { confirmSwitch, DetachedWatch, openTheWindow, runUserCheck, waitForQuiet } from './window-steps'

/** A failed provisioning ends with the add-on gone: Heroku answers 404 for it. */
async function getAddonOrGone(
  platform: PlatformApi,
  app: string,
  name: string,
): Promise<Pick<Addon, 'state'>> {
  try {
    return await platform.getAddon(app, name)
  } catch (error) {
    if (error instanceof HerokuApiError && error.status === 404) return { state: 'deprovisioned' }
    throw error
  }
}

export async function runFollowerMethod(
  context: RunContext,
): Promise<Extract<RunStatus, 'succeeded' | 'skipped'>> {
  const { settings } = context
  const plan = await context.step(
    'preflight',
    `Preflight (read-only): ${settings.app}, database ${settings.database}`,
    async (step) => {
      const result = await preflight(context)
      step.setTitle(preflightTitle(result))
      return result
    },
  )
  if (plan.mode === 'nothing') {
    context.log(
      `${plan.old.name} is already on PG ${plan.old.version} and plan ${plan.old.plan}: nothing to do.`,
    )
    return 'skipped'
  }
  return runFollower(context, plan)
}

function preflightTitle(plan: Preflight): string {
  const version =
    plan.mode === 'upgrade'
      ? `PG ${plan.old.major} → ${plan.targetVersion ?? 'newest'}`
      : `PG ${plan.old.major} kept`
  const planChange = plan.targetPlan === plan.old.plan ? 'plan unchanged' : `plan → ${plan.targetPlan}`
  const target = plan.mode === 'nothing' ? 'already at the target' : `${version}, ${planChange}`
  return `Preflight (read-only): ${plan.old.name} on ${plan.old.plan}, PG ${plan.old.version}; ${target}`
}

async function runFollower(context: RunContext, plan: Preflight): Promise<'succeeded'> {
  const { settings, record, api, clock } = context
  const app = settings.app
  const catchUpDeadline = clock.now() + settings.catchUpTimeoutMs
  const remaining = (): number => Math.max(1, catchUpDeadline - clock.now())

  const follower = await context.step(
    'provision',
    `Creating a follower of ${plan.old.name} on ${plan.targetPlan}`,
    async (step) => {
      if (plan.resumeWith) {
        step.setTitle(
          `Resuming with follower ${plan.resumeWith.addon.name} (${plan.followerAttachment}), created by an earlier run`,
        )
        record.createdAddon = plan.resumeWith.addon.name
      }
      const addon = plan.resumeWith
        ? await api.platform.getAddon(app, plan.resumeWith.addon.name)
        : await createFollower(context, plan)
      record.createdAddon = addon.name
      context.save()
      if (!plan.resumeWith)
        step.setTitle(
          `Created follower ${addon.name} of ${plan.old.name} on ${plan.targetPlan} as ${plan.followerAttachment}`,
        )
      await poll({
        describe: `the follower ${addon.name} to be provisioned`,
        timeoutMs: remaining(),
        interval: settings.pollIntervalMs,
        signal: context.signal,
        clock,
        check: async (): Promise<PollResult<true>> => {
          const current =
            addon.state === 'provisioned' ? addon : await getAddonOrGone(api.platform, app, addon.name)
          addon.state = current.state
          if (current.state === 'provisioned') return { done: true, value: true }
          if (current.state === 'deprovisioned' || current.state === 'deprovisioning') {
            record.createdAddonFailed = true
            throw new Error(`The follower ${addon.name} could not be created (state ${current.state}).`)
          }
          return { done: false, status: current.state }
        },
      })
      return { id: addon.id, name: addon.name }
    },
  )

  await context.step('catch-up', `Waiting for ${follower.name} to catch up (app still up)`, async (step) => {
    const lag = await withinInput('catch-up-timeout', settings.catchUpTimeoutMs, () =>
      waitForLag(context, follower, CATCH_UP_GATE_COMMITS, remaining(), 'catch up with the old database'),
    )
    const alias = await ensureAlternateAlias(context, plan.old)
    step.setDetail(
      `behind by ${lag} commits; ${plan.old.name} ${alias.created ? 'now also' : 'also'} attached as ${alias.name}`,
    )
  })

  await context.step('window-open', 'Opening the window', async (step) => {
    step.setTitle(await openTheWindow(context, plan.otherApps))
  })

  await context.step(
    'final-catch-up',
    `Waiting for every writer to stop and ${follower.name} to be behind by 0 commits`,
    async (step) => {
      step.setDetail(await waitForQuiet(context, () => readLag(context, follower)))
    },
  )

  const watch = new DetachedWatch(context)
  if (plan.mode === 'upgrade') {
    await context.step(
      'upgrade',
      `Upgrading ${follower.name} to PG ${plan.targetVersion ?? '(newest)'}`,
      async (step) => {
        record.createdAddonDetached = true
        context.save()
        const answer = await startUpgrade(context, follower, plan.targetVersion)
        if (answer.message) context.log(`  ${answer.message.replace(/`/g, '')}`)
        const info = await withinInput('upgrade-timeout', settings.upgradeTimeoutMs, () =>
          waitForUpgrade(context, follower, plan.old.major, () => watch.check()),
        )
        record.newDatabase = snapshotOf(context, plan, follower, info, [plan.followerAttachment])
        step.setTitle(`Upgraded ${follower.name} to PG ${pgVersion(info)}`)
      },
    )
  } else {
    await context.step('unfollow', `Unfollowing ${follower.name} (plan change only)`, async () => {
      record.createdAddonDetached = true
      context.save()
      await stopFollowing(context, follower)
      const info = await withinInput('upgrade-timeout', settings.upgradeTimeoutMs, () =>
        waitUntilStandalone(context, follower, () => watch.check()),
      )
      record.newDatabase = snapshotOf(context, plan, follower, info, [plan.followerAttachment])
    })
  }

  await context.step('promote', `Promoting ${follower.name} to DATABASE`, async (step) => {
    await watch.assertNothingWrote()
    step.setDetail(await promote(context, follower))
  })

  await context.step(
    'release',
    'Waiting for the release phase to put the dynos on the new database',
    async (step) => {
      step.setDetail(await confirmSwitch(context))
    },
  )

  await context.step('verify', `Verifying DATABASE_URL is ${follower.name}`, async (step) => {
    step.setDetail(await verify(context, plan, follower))
  })

  const command = settings.verifyCommand
  if (command)
    await context.step('verify-command', 'Running verify-command against the new database', async (step) => {
      step.setDetail(await runUserCheck(context, command))
    })

  await context.step('window-close', 'Restoring formation and maintenance', async (step) => {
    const changes = await closeWindow(context.record, {
      platform: api.platform,
      clock,
      signal: context.signal,
      log: context.log,
    })
    record.windowClosedAt = new Date(clock.now()).toISOString()
    step.setTitle(
      changes.length ? `Restored ${changes.join(', ')}` : 'Nothing to restore (the window changed nothing)',
    )
  })
  await refreshNewSnapshot(context, plan, follower)
  return 'succeeded'
}
