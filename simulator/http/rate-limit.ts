// Heroku's API budget: a bucket of 4,500 requests per token that regains 75 a minute, on the simulated clock.

export const RATE_LIMIT = 4_500
export const REFILL_PER_SECOND = 75 / 60

export const RATE_LIMITED = {
  id: 'rate_limit',
  message: 'Your account reached the API rate limit\nPlease wait a few minutes before making new requests',
}

interface Bucket {
  tokens: number
  at: number
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()

  /** Spends one request of `key`'s budget at simulated second `now`; `allowed` is false when none was left. */
  take(key: string, now: number): { allowed: boolean; remaining: number } {
    const bucket = this.refilled(key, now)
    const allowed = bucket.tokens >= 1
    if (allowed) bucket.tokens -= 1
    return { allowed, remaining: Math.floor(bucket.tokens) }
  }

  remaining(key: string, now: number): number {
    return Math.floor(this.refilled(key, now).tokens)
  }

  private refilled(key: string, now: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: RATE_LIMIT, at: now }
    bucket.tokens = Math.min(RATE_LIMIT, bucket.tokens + Math.max(0, now - bucket.at) * REFILL_PER_SECOND)
    bucket.at = Math.max(bucket.at, now)
    this.buckets.set(key, bucket)
    return bucket
  }
}
