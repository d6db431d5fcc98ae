// Before anything reopens: the releases of the switch confirmed, and verify-command run against the new
// database. Either one failing puts every moved attachment back on the old database first.
import type { StepDeps } from './deps'
import type { DetachedWatch } from './detached-watch'
import { formatDuration } from '../domain/duration'
import { maskedConfigVars } from '../heroku/database-urls'
import type { UpgradePlan } from '../plan/upgrade-plan'
import { switchDependencies } from './promote'
import { settleSwitch, undoSwitch } from './switch'
import { runVerifyCommand } from './verify-command'
import { verifyFailedNothingMovedMessage } from '../domain/messages/switch'

/** Waits for the releases of the switch. Anything but every move live puts the old database back. */
export async function confirmSwitch(
  deps: StepDeps,
  plan: UpgradePlan,
  watch?: DetachedWatch,
): Promise<string> {
  const settle = () => settleSwitch(switchDependencies(deps, plan), deps.journal.record.moves ?? [])
  const settlement = await (watch ? watch.during(settle) : settle())
  deps.journal.switchSettled(settlement.outcome, settlement.detail)
  if (settlement.outcome !== 'live')
    throw new Error(
      settlement.outcome === 'reverted'
        ? `The switch did not reach the dynos and was undone: ${settlement.detail}`
        : `The switch did not reach the dynos and could not be undone: ${settlement.detail}`,
    )
  return `releases succeeded: ${settlement.detail}`
}

/**
 * Runs verify-command against the new database while the app is still down. A failure or a timeout puts
 * every moved attachment back on the old database (and waits for those releases) before anything reopens.
 */
export async function runUserCheck(deps: StepDeps, plan: UpgradePlan, command: string): Promise<string> {
  const record = deps.journal.record
  const env = await databaseUrls(deps)
  deps.log(`  $ ${firstLine(command)}`)
  deps.journal.verifyStarted()
  const timeoutMs = plan.policy.timeouts.verify.ms
  const result = await runVerifyCommand(command, env, timeoutMs, deps.clock, deps.signal)
  deps.journal.verifyEnded(result)
  const took = formatDuration(result.durationMs)
  if (result.verdict === 'passed') return `verify-command passed in ${took}`
  const why =
    result.verdict === 'timed-out'
      ? `verify-command did not finish within verify-timeout (${formatDuration(timeoutMs)})`
      : `verify-command exited with code ${result.exitCode} after ${took}`
  if (!record.moves?.length)
    throw new Error(verifyFailedNothingMovedMessage({ why, irreversible: record.irreversible?.what }))
  const settlement = await undoSwitch(switchDependencies(deps, plan), record.moves, why)
  deps.journal.switchSettled(settlement.outcome, settlement.detail)
  throw new Error(
    settlement.outcome === 'reverted'
      ? `${why}, so the switch was undone: ${settlement.detail}`
      : `${why}, and the switch could not be undone: ${settlement.detail}`,
  )
}

/**
 * DATABASE_URL (the new database now), the old database's URL through its alias, and the app. Every secret
 * part of every database URL of the app is masked before the check can print it.
 */
async function databaseUrls(deps: StepDeps): Promise<Record<string, string>> {
  const { platform } = deps.api
  const app = deps.journal.record.app
  const [config, attachments] = await Promise.all([
    maskedConfigVars(platform, app),
    platform.listAppAttachments(app),
  ])
  const oldId = deps.journal.record.oldDatabase?.addonId
  const alias = attachments.find((a) => a.addon.id === oldId && !a.namespace && a.name !== 'DATABASE')
  const env: Record<string, string> = { HEROKU_APP: app, DATABASE_URL: config.DATABASE_URL ?? '' }
  const old = alias && config[`${alias.name}_URL`]
  if (old) env.OLD_DATABASE_URL = old
  return env
}

const firstLine = (text: string): string => {
  const line = text.split('\n', 1)[0] ?? ''
  return line.length > 120 || text.includes('\n') ? `${line.slice(0, 120)} …` : line
}
