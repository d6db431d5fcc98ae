// One HTTP client per Heroku API (Platform or data), built on heroku-client, with the action's retries
// and error shape. heroku-client only exposes response headers through its middleware option, which is
// where Request-Id, Retry-After and RateLimit-Remaining are captured.
import type { IncomingHttpHeaders } from 'node:http'
import Heroku from 'heroku-client'
import { abandonOnAbort, systemClock, type Clock } from '../runtime/clock'
import { HerokuApiError } from './errors'
import { disableHiddenResends } from './no-hidden-resends'
import { rateBudgetFor } from '../runtime/rate-budget'
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry'

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

export interface ApiRequest {
  method: HttpMethod
  path: string
  body?: unknown
  headers?: Record<string, string>
  /** Do not follow Next-Range (used with an explicit Range header). */
  partial?: boolean
  /** Set to false for calls that must not be repeated blindly (the caller reconciles instead). */
  retry?: boolean
}

export interface Transport {
  request<T>(request: ApiRequest): Promise<T>
  /** Heroku's time (ms) as its latest answer gave it in its Date header; undefined before any answer. */
  serverTime(): number | undefined
}

export interface TransportOptions {
  baseUrl: string
  token: string
  clock?: Clock
  signal?: AbortSignal
  /** Read before every call, so a call made inside the maintenance window gets the window's shorter budget. */
  retryPolicy?: Partial<RetryPolicy> | (() => Partial<RetryPolicy>)
  onRetry?: (error: HerokuApiError, attempt: number, delayMs: number) => void
}

export const USER_AGENT = 'heroku-postgres-upgrade-action'

export function createTransport(options: TransportOptions): Transport {
  disableHiddenResends()
  const client = new Heroku({ host: options.baseUrl, token: options.token, userAgent: USER_AGENT })
  const clock = options.clock ?? systemClock
  const budget = rateBudgetFor(options.baseUrl, options.token)
  const policyNow = (): RetryPolicy => ({
    ...DEFAULT_RETRY_POLICY,
    ...(typeof options.retryPolicy === 'function' ? options.retryPolicy() : options.retryPolicy),
  })

  let serverTime: number | undefined
  async function once<T>(request: ApiRequest, timeoutMs: number): Promise<T> {
    let headers: IncomingHttpHeaders = {}
    const call = client
      .request<T>({
        method: request.method,
        path: request.path,
        body: request.body,
        headers: request.headers,
        // heroku-client follows Next-Range on any 2xx; following it on a change would send the change again.
        partial: request.partial || request.method !== 'GET',
        timeout: timeoutMs,
        middleware: (response, next) => {
          headers = response.headers
          const date = Date.parse(firstHeader(headers.date) ?? '')
          if (Number.isFinite(date)) serverTime = Math.max(serverTime ?? date, date)
          budget.record(firstHeader(headers['ratelimit-remaining']), clock.now())
          next()
        },
      })
      .catch((error: unknown) => {
        throw toApiError(request, error, headers)
      })
    // A cancelled run must not wait for a slow read. Changes are left to finish, so that a late answer
    // cannot undo what the recovery then puts back.
    return request.method === 'GET' && options.signal ? abandonOnAbort(call, options.signal) : call
  }

  return {
    serverTime: () => serverTime,
    request: <T>(request: ApiRequest) => {
      const policy = policyNow()
      return request.retry === false
        ? once<T>(request, policy.attemptTimeoutMs)
        : withRetry((remainingMs) => once<T>(request, Math.min(policy.attemptTimeoutMs, remainingMs)), {
            policy,
            clock: options.clock,
            signal: options.signal,
            onRetry: options.onRetry,
          })
    },
  }
}

function toApiError(request: ApiRequest, error: unknown, headers: IncomingHttpHeaders): HerokuApiError {
  const failure = error as { statusCode?: number; body?: unknown; code?: string; message?: string }
  return new HerokuApiError({
    method: request.method,
    path: request.path,
    status: typeof failure.statusCode === 'number' ? failure.statusCode : undefined,
    body: failure.body,
    requestId: firstHeader(headers['request-id']),
    retryAfterSeconds: parseRetryAfter(firstHeader(headers['retry-after'])),
    networkCode: failure.statusCode === undefined ? (failure.code ?? 'ETIMEDOUT') : undefined,
    cause: error,
  })
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000)
}
