// The GitHub REST client of the action: Octokit from @actions/github, with bounded retries of 5xx
// answers and dropped connections (plugin-retry) and bounded waits on rate limits (plugin-throttling).
// Only requests that change nothing are retried that way: a POST is sent once, since GitHub may have
// acted on it before the answer was lost; its caller looks before sending it again.

import { randomUUID } from 'node:crypto'
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'

export type GitHubClient = ReturnType<typeof getOctokit>

/** Retries of a read that failed with a 5xx answer or a dropped connection, the first attempt not counted. */
export const MAX_RETRIES = 3

/** Times a request is repeated after a rate limit, the first attempt not counted. */
export const MAX_RATE_LIMIT_RETRIES = 2

/** The longest rate-limit wait, in seconds, worth sitting through: beyond it the issue is not opened. */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 60

export interface GitHubClientOptions {
  token: string
  /** e.g. https://api.github.com, or a GitHub Enterprise Server's API URL (GITHUB_API_URL). */
  baseUrl: string
  /**
   * Milliseconds per unit of backoff (default 1000). Retry n of a 5xx waits n² units; a rate limit waits
   * the seconds GitHub asks for, one unit each. Tests make it short.
   */
  retryDelayMs?: number
  /** Told about every rate-limit wait, whether it is sat through or not. */
  onRateLimit?: (message: string) => void
}

/** Whether a request GitHub rate-limited should be repeated after `retryAfterSeconds`. */
export function shouldRetryAfterRateLimit(retryAfterSeconds: number, retryCount: number): boolean {
  return retryCount < MAX_RATE_LIMIT_RETRIES && retryAfterSeconds <= MAX_RATE_LIMIT_WAIT_SECONDS
}

/** Methods plugin-retry may send again: those that change nothing on GitHub. */
const RETRIED_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

const backoffUnits = new WeakMap<GitHubClient, number>()

/** Milliseconds per unit of backoff of a client made here: retry n of a request waits n² units. */
export function backoffUnitMs(github: GitHubClient): number {
  return backoffUnits.get(github) ?? 1000
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const unit = options.retryDelayMs ?? 1000
  const notify = options.onRateLimit ?? ((): void => {})
  const handler =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const retrying = shouldRetryAfterRateLimit(retryAfter, retryCount)
      const what = `GitHub's ${kind} rate limit on ${request.method} ${request.url}: it asks to wait ${retryAfter} s`
      notify(
        retrying
          ? `${what}; retrying then (retry ${retryCount + 1} of ${MAX_RATE_LIMIT_RETRIES}).`
          : retryCount >= MAX_RATE_LIMIT_RETRIES
            ? `${what}; not retrying again after ${retryCount} retries.`
            : `${what}, longer than the ${MAX_RATE_LIMIT_WAIT_SECONDS} s this action waits; not retrying.`,
      )
      return retrying
    }
  const github = getOctokit(
    options.token,
    {
      // Always explicit: without it Octokit takes GITHUB_API_URL as the process had it when loaded.
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      userAgent: 'heroku-postgres-upgrade-action',
      retry: {
        retries: MAX_RETRIES,
        retryAfterBaseValue: unit,
        // Rate limits (403 and 429) are the throttling plugin's: it waits as long as GitHub asks, or gives up.
        doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      },
      throttle: {
        // The plugin spaces writes (1 s, 3 s between issue creations) per id across the whole process;
        // a client of its own keeps one run's issue from waiting on another's.
        id: `heroku-postgres-upgrade-${randomUUID()}`,
        retryAfterBaseValue: unit,
        onRateLimit: handler('primary'),
        onSecondaryRateLimit: handler('secondary'),
      },
    },
    retry,
    throttling,
  )
  // Registered after the plugins, so it runs before them: plugin-retry reads `retries` of each request.
  github.hook.before('request', (request) => {
    if (!RETRIED_METHODS.has(request.method.toUpperCase()))
      request.request = { ...request.request, retries: 0 }
  })
  backoffUnits.set(github, unit)
  return github
}
