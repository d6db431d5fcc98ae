// Heroku's two APIs as the run uses them: the steps' calls, retried while the run lasts and cancelled with
// it (shorter retries while the window is open), and the recovery's calls, which put the app back after a
// cancellation and so are never cancelled themselves, and retry only briefly.
import * as core from '@actions/core'
import type { HerokuApis } from '../heroku/api'
import { DataApi } from '../heroku/data-api'
import { PlatformApi } from '../heroku/platform-api'
import type { HerokuApiError } from '../heroku/errors'
import { WINDOW_RETRY_POLICY, type RetryPolicy } from '../heroku/retry'
import { createTransport } from '../heroku/transport'
import type { Settings } from '../inputs/settings'
import { isWindowOpen, type RunRecord } from '../record/record'
import type { Clock } from '../runtime/clock'

const RECOVERY_RETRY = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 1000,
  maxTotalMs: 4000,
} as const satisfies Partial<RetryPolicy>

type Endpoints = Pick<Settings, 'apiKey' | 'herokuApiUrl' | 'herokuDataApiUrl'>

export function createApis(
  settings: Readonly<Endpoints>,
  clock: Clock,
  signal: AbortSignal | undefined,
  retryPolicy?: Partial<RetryPolicy>,
  record?: Readonly<RunRecord>,
): HerokuApis {
  const onRetry = (error: HerokuApiError, attempt: number, delayMs: number): void =>
    core.info(`  ${error.message}; retrying in ${Math.round(delayMs / 100) / 10}s (attempt ${attempt + 1})`)
  const policy = (): Partial<RetryPolicy> => retryPolicyFor(record, retryPolicy)
  const common = { token: settings.apiKey, clock, signal, retryPolicy: policy, onRetry }
  return {
    platform: new PlatformApi(createTransport({ ...common, baseUrl: settings.herokuApiUrl })),
    data: new DataApi(createTransport({ ...common, baseUrl: settings.herokuDataApiUrl })),
  }
}

/** The APIs the recovery calls with: short retries, never cancelled (they put the app back). */
export function createRecoveryApis(
  settings: Readonly<Endpoints>,
  clock: Clock,
  retryPolicy?: Partial<RetryPolicy>,
): HerokuApis {
  return createApis(settings, clock, undefined, { ...RECOVERY_RETRY, ...pickDelays(retryPolicy) })
}

export function retryPolicyFor(
  record: Readonly<RunRecord> | undefined,
  override?: Partial<RetryPolicy>,
): Partial<RetryPolicy> {
  return record && isWindowOpen(record) ? { ...WINDOW_RETRY_POLICY, ...override } : { ...override }
}

/** Keeps test-speed delays for recovery calls without inheriting long total budgets. */
function pickDelays(policy: Partial<RetryPolicy> | undefined): Partial<RetryPolicy> {
  if (!policy) return {}
  const picked: Partial<RetryPolicy> = {}
  if (policy.baseDelayMs !== undefined)
    picked.baseDelayMs = Math.min(policy.baseDelayMs, RECOVERY_RETRY.baseDelayMs)
  if (policy.maxDelayMs !== undefined)
    picked.maxDelayMs = Math.min(policy.maxDelayMs, RECOVERY_RETRY.maxDelayMs)
  return picked
}
