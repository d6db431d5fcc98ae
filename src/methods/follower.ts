// The follower method (issue 3): a follower on the target plan, caught up while the app is up; then a
// short window: maintenance on and scale down, final catch-up, upgrade (or unfollow), promote, verify,
// restore. Everything that can happen before the window happens before it.
import type { RunContext } from '../context'
import { pgVersion } from '../heroku/database-info'
import type { FormationEntry } from '../heroku/types'
import { poll, type PollResult } from '../poller'
import type { RunStatus } from '../run-record'
import { describeFormation, typesToScaleDown } from '../window'
import { createFollower } from './follower-create'
import { refreshNewSnapshot, snapshotOf, verify } from './follower-verify'
import {
  CATCH_UP_GATE_COMMITS,
  waitForLag,
  waitForUpgrade,
  waitUntilStandalone,
  withinInput,
} from './follower-waits'
import { preflight, type Preflight } from './preflight'
import { ensureAlternateAlias, promote } from './promote'

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
          const current = addon.state === 'provisioned' ? addon : await api.platform.getAddon(app, addon.name)
          addon.state = current.state
          if (current.state === 'provisioned') return { done: true, value: true }
          if (current.state === 'deprovisioned' || current.state === 'deprovisioning')
            throw new Error(`The follower ${addon.name} could not be created (state ${current.state}).`)
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

  const opened: { maintenanceTurnedOn: boolean; scaled: FormationEntry[] } = {
    maintenanceTurnedOn: false,
    scaled: [],
  }
  await context.step('window-open', 'Opening the window', async (step) => {
    const [formation, appNow] = await Promise.all([api.platform.getFormation(app), api.platform.getApp(app)])
    record.formationBefore = formation.map(({ type, quantity, size }) => ({ type, quantity, size }))
    record.maintenanceBefore = appNow.maintenance
    record.windowOpenedAt = new Date(clock.now()).toISOString()
    context.save()
    const actions: string[] = []
    const toScale = typesToScaleDown(formation, settings.scaleDown, settings.maintenance)
    opened.maintenanceTurnedOn = settings.maintenance && !appNow.maintenance
    opened.scaled = toScale
    await Promise.all([
      opened.maintenanceTurnedOn ? api.platform.setMaintenance(app, true) : undefined,
      toScale.length > 0
        ? api.platform.updateFormation(
            app,
            toScale.map((entry) => ({ type: entry.type, quantity: '0' })),
          )
        : undefined,
    ])
    if (opened.maintenanceTurnedOn) actions.push('Maintenance on')
    if (toScale.length > 0)
      actions.push(
        `scaling ${toScale.map((e) => `${e.type}=0`).join(' ')} (was ${describeFormation(toScale)})`,
      )
    const stillRunning = formation.filter(
      (e) =>
        e.quantity > 0 &&
        e.type !== 'release' &&
        !toScale.includes(e) &&
        !(e.type === 'web' && settings.maintenance),
    )
    if (stillRunning.length > 0)
      context.warn(
        `${stillRunning.map((e) => e.type).join(', ')} kept running during the window: anything they wrote to ${plan.old.name} after the ${plan.mode} started is not in the new database.`,
      )
    step.setTitle(
      actions.length ? actions.join(', ') : 'Window opened (maintenance and formation left as they were)',
    )
  })

  await context.step('final-catch-up', `Waiting for ${follower.name} to be behind by 0 commits`, async () => {
    await withinInput('catch-up-timeout', settings.catchUpTimeoutMs, () =>
      waitForLag(context, follower, 0, settings.catchUpTimeoutMs, 'reach 0 commits behind'),
    )
  })

  if (plan.mode === 'upgrade') {
    await context.step(
      'upgrade',
      `Upgrading ${follower.name} to PG ${plan.targetVersion ?? '(newest)'}`,
      async (step) => {
        const answer = await api.data.runUpgrade(follower.id, plan.targetVersion)
        record.createdAddonDetached = true
        context.save()
        if (answer.message) context.log(`  ${answer.message.replace(/`/g, '')}`)
        const info = await withinInput('upgrade-timeout', settings.upgradeTimeoutMs, () =>
          waitForUpgrade(context, follower, plan),
        )
        record.newDatabase = snapshotOf(context, plan, follower, info, [plan.followerAttachment])
        step.setTitle(`Upgraded ${follower.name} to PG ${pgVersion(info)}`)
      },
    )
  } else {
    await context.step('unfollow', `Unfollowing ${follower.name} (plan change only)`, async () => {
      await api.data.unfollow(follower.id)
      record.createdAddonDetached = true
      context.save()
      const info = await withinInput('upgrade-timeout', settings.upgradeTimeoutMs, () =>
        waitUntilStandalone(context, follower),
      )
      record.newDatabase = snapshotOf(context, plan, follower, info, [plan.followerAttachment])
    })
  }

  await context.step('promote', `Promoting ${follower.name} to DATABASE`, async (step) => {
    step.setDetail(await promote(context, follower))
  })

  await context.step('verify', `Verifying DATABASE_URL is ${follower.name}`, async (step) => {
    step.setDetail(await verify(context, plan, follower))
  })

  await context.step('window-close', 'Restoring formation and maintenance', async (step) => {
    // Exactly what the window changed is put back (quantity and size), in parallel, without reading first.
    const updates = opened.scaled.map((e) => ({ type: e.type, quantity: String(e.quantity), size: e.size }))
    await Promise.all([
      updates.length > 0 ? api.platform.updateFormation(app, updates) : undefined,
      opened.maintenanceTurnedOn ? api.platform.setMaintenance(app, false) : undefined,
    ])
    record.windowClosedAt = new Date(clock.now()).toISOString()
    const changes = [
      ...updates.map((u) => `${u.type}=${u.quantity}:${u.size}`),
      ...(opened.maintenanceTurnedOn ? ['maintenance off'] : []),
    ]
    step.setTitle(
      changes.length ? `Restored ${changes.join(', ')}` : 'Nothing to restore (the window changed nothing)',
    )
  })
  await refreshNewSnapshot(context, plan, follower)
  return 'succeeded'
}
