// addons:upgrade on the database itself (heroku-api.md 8.5). Heroku prepares the replacement while the app
// is up and changes over on its own, keeping the add-on, its attachments and its followers; the action
// sends the change once and follows wait_status until the database is available on the new plan.
import type { RunContext } from '../run/context'
import { changeOnce } from '../heroku/change-once'
import { poll } from '../poller'
import type { AddonRef } from '../run/record'

export async function changePlan(context: RunContext, addon: AddonRef, targetPlan: string): Promise<void> {
  const { platform } = context.api
  const app = context.settings.app
  await changeOnce({
    send: () => platform.changePlan(app, addon.name, targetPlan),
    findEffect: async () => {
      const current = await platform.getAddon(app, addon.name)
      return current.plan.name === targetPlan ? current : undefined
    },
    clock: context.clock,
    signal: context.signal,
    policy: context.retryPolicyNow(),
  })
}

/** Until wait_status stops waiting and the add-on reports the new plan. */
export async function waitForPlanChange(
  context: RunContext,
  addon: AddonRef,
  targetPlan: string,
): Promise<void> {
  const { api, settings } = context
  await poll<true>({
    describe: `the plan change of ${addon.name} to ${targetPlan}`,
    timeoutMs: settings.upgradeTimeoutMs,
    // The app stays up: noticing the end a few seconds later costs no downtime, only the run's length.
    interval: settings.pollIntervalMs,
    signal: context.signal,
    clock: context.clock,
    onStatus: (status) => context.log(`  ${addon.name}: ${status}`),
    check: async () => {
      const status = await api.data.waitStatus(addon.id)
      if (status['error?'])
        throw new Error(`The plan change of ${addon.name} failed: ${status.message ?? 'no details given'}`)
      if (status['waiting?']) return { done: false, status: status.message ?? 'changing plan' }
      const current = await api.platform.getAddon(context.settings.app, addon.name)
      if (current.plan.name !== targetPlan)
        return { done: false, status: `still on ${current.plan.name}`, nearlyDone: true }
      return { done: true, value: true }
    },
  })
}
