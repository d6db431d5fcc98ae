// What is left of Heroku's request budget, as the last answers said (RateLimit-Remaining), so that waits
// slow down when the token is nearly spent instead of running into 429s. Runs that share a key share the
// budget, so each one only sees the others through this number.
import { createHash } from 'node:crypto'

/** Heroku's budget per token: a bucket of 4,500 requests that refills at about 75 a minute. */
export const HEROKU_RATE_LIMIT = 4_500
const REFILL_PER_MS = 75 / 60_000

/** Below this many requests left, waits stretch their sleeps. */
export const LOW_BUDGET = HEROKU_RATE_LIMIT / 10
/** The most a sleep is stretched (an empty budget): one check a minute instead of one a second. */
export const MAX_STRETCH = 60

/** What the poller reads: how much longer to sleep than planned, given the budget. */
export interface RateBudgetView {
  stretch(now: number): number
}

export class RateBudget implements RateBudgetView {
  private last: { remaining: number; at: number } | undefined

  /** Records a RateLimit-Remaining header (ignored when absent or not a number). */
  record(header: string | undefined, at: number): void {
    const remaining = Number(header)
    if (header === undefined || header.trim() === '' || !Number.isFinite(remaining)) return
    this.last = { remaining: Math.max(0, remaining), at }
  }

  /** The last value seen plus what the bucket regained since; undefined before any answer carried one. */
  remaining(now: number): number | undefined {
    if (!this.last) return undefined
    const regained = Math.max(0, now - this.last.at) * REFILL_PER_MS
    return Math.min(HEROKU_RATE_LIMIT, this.last.remaining + regained)
  }

  /** 1 while the budget is comfortable, then inversely proportional to what is left, up to MAX_STRETCH. */
  stretch(now: number): number {
    const remaining = this.remaining(now)
    if (remaining === undefined || remaining >= LOW_BUDGET) return 1
    return Math.min(MAX_STRETCH, LOW_BUDGET / Math.max(remaining, 1))
  }
}

const budgets = new Map<string, RateBudget>()

/** The budget of one token on one API; the key is hashed so the token is not kept in another place. */
export function rateBudgetFor(baseUrl: string, token: string): RateBudget {
  const key = createHash('sha256').update(`${baseUrl}\n${token}`).digest('hex')
  let budget = budgets.get(key)
  if (!budget) {
    budget = new RateBudget()
    budgets.set(key, budget)
  }
  return budget
}

/** The tightest of every budget this process has seen: what waits honour unless given another. */
export const processRateBudget: RateBudgetView = {
  stretch: (now) => Math.max(1, ...[...budgets.values()].map((budget) => budget.stretch(now))),
}
