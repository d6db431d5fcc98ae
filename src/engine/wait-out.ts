// Changes Heroku carries out on its own once it accepted them: the recovery cannot stop them, and the
// database refuses writes (or connections) meanwhile, so the app stays in maintenance until they ended,
// within upgrade-timeout. After that the app reopens either way, on whatever Heroku finished. Each returns
// what happened, for the report.
import { errorMessage } from '../domain/error-message'
import { cleanHerokuMessage } from '../domain/heroku-message'
import type { AddonRef } from '../domain/vocabulary'
import type { DataApi } from '../heroku/data-api'
import type { Clock } from '../runtime/clock'
import { poll, windowInterval } from '../runtime/poller'

export interface WaitOutDeps {
  data: DataApi
  clock: Clock
  log: (line: string) => void
  pollIntervalMs: number
}

/** An in-place upgrade: the database refuses connections while it runs. */
export async function waitOutInPlaceUpgrade(
  addon: AddonRef,
  timeoutMs: number,
  deps: WaitOutDeps,
): Promise<string> {
  deps.log(`  Waiting for the in-place upgrade of ${addon.name} to end before the app reopens.`)
  let detail: string
  try {
    const message = await poll<string>({
      describe: `the in-place upgrade of ${addon.name} to end`,
      onStatus: (line) => deps.log(`  ${line}`),
      timeoutMs,
      interval: windowInterval(deps.pollIntervalMs),
      clock: deps.clock,
      check: async () => {
        const status = await deps.data.upgradeWaitStatus(addon.id)
        const text = cleanHerokuMessage(status.message)
        if (status['waiting?']) return { done: false, status: text || 'upgrading' }
        return { done: true, value: status['error?'] ? `it failed: ${text}` : `it ended (${text || 'done'})` }
      },
    })
    detail = `The in-place upgrade of ${addon.name} could not be stopped; the app reopened once ${message}.`
  } catch (error) {
    detail = `The in-place upgrade of ${addon.name} had not ended within upgrade-timeout (${errorMessage(error)}); the app reopened anyway.`
  }
  deps.log(`  ${detail}`)
  return detail
}

/** A plan change's changeover: the database is read-only while it runs. */
export async function waitOutChangeover(
  addon: AddonRef,
  timeoutMs: number,
  deps: WaitOutDeps,
): Promise<string> {
  deps.log(`  Waiting for the changeover of ${addon.name} to end before the app reopens.`)
  let detail: string
  try {
    await poll<true>({
      describe: `the changeover of ${addon.name} to end`,
      onStatus: (line) => deps.log(`  ${line}`),
      timeoutMs,
      interval: windowInterval(deps.pollIntervalMs),
      clock: deps.clock,
      check: async () => {
        const maintenance = await deps.data.maintenance(addon.id)
        return maintenance.status === 'running'
          ? { done: false, status: 'changeover running' }
          : { done: true, value: true }
      },
    })
    detail = `The changeover of ${addon.name} could not be stopped; the app reopened once it ended.`
  } catch (error) {
    detail = `The changeover of ${addon.name} had not ended within upgrade-timeout (${errorMessage(error)}); the app reopened anyway.`
  }
  deps.log(`  ${detail}`)
  return detail
}
