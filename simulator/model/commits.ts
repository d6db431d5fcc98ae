import type { Database, Holdings, Origin } from './types.js'

/** How many commits an origin held at simulated time t (linear between recorded samples). */
export function countAt(origin: Origin, t: number): number {
  const samples = origin.samples
  const last = samples[samples.length - 1]
  if (!last || t >= last[0]) return origin.count
  const first = samples[0] as [number, number]
  if (t < first[0]) return 0
  let low = 0
  let high = samples.length - 1
  while (high - low > 1) {
    const mid = (low + high) >> 1
    if ((samples[mid] as [number, number])[0] <= t) low = mid
    else high = mid
  }
  const [t0, c0] = samples[low] as [number, number]
  const [t1, c1] = samples[high] as [number, number]
  return t1 <= t0 ? c1 : c0 + ((c1 - c0) * (t - t0)) / (t1 - t0)
}

/** Records the origin's count at time t so later interpolation is exact. */
export function sample(origin: Origin, t: number): void {
  const samples = origin.samples
  const last = samples[samples.length - 1]
  const beforeLast = samples[samples.length - 2]
  if (last && last[0] === t) {
    last[1] = origin.count
    return
  }
  if (last && beforeLast && last[1] === origin.count && beforeLast[1] === origin.count) {
    last[0] = t
    return
  }
  samples.push([t, origin.count])
}

export function newOrigin(key: string, t: number): Origin {
  return { key, count: 0, samples: [[t, 0]], writers: new Set() }
}

export function merge(into: Holdings, from: Holdings, fraction = 1): Holdings {
  for (const [key, count] of from) {
    const scaled = fraction >= 1 ? count : count * fraction
    into.set(key, Math.max(into.get(key) ?? 0, scaled))
  }
  return into
}

export function total(holdings: Holdings): number {
  let sum = 0
  for (const count of holdings.values()) sum += Math.floor(count)
  return sum
}

/** Commits `ahead` holds that `behind` does not. */
export function missing(ahead: Holdings, behind: Holdings): number {
  let sum = 0
  for (const [key, count] of ahead) sum += Math.max(0, Math.floor(count) - Math.floor(behind.get(key) ?? 0))
  return sum
}

export interface CommitContext {
  lagSeconds: number
  catchUpSeconds: number
  database(addonId: string): Database | undefined
  isProvisioned(addonId: string): boolean
}

/** The commits a database holds at simulated time t, following leaders with their replication lag. */
export function holdingsAt(ctx: CommitContext, addonId: string, t: number, depth = 0): Holdings {
  const db = ctx.database(addonId)
  const out: Holdings = new Map()
  if (!db || !ctx.isProvisioned(addonId) || depth > 4) return out
  if (db.leaderId === null) {
    merge(out, db.base)
    if (db.origin.count > 0) out.set(db.origin.key, countAt(db.origin, t))
    return out
  }
  const since = db.followSince ?? db.availableAt
  const progress = ctx.catchUpSeconds <= 0 ? 1 : Math.min(1, Math.max(0, (t - since) / ctx.catchUpSeconds))
  const fraction = db.neverCatchesUp ? Math.min(progress, 0.9) : progress
  const leaderView = holdingsAt(ctx, db.leaderId, Math.max(since, t - ctx.lagSeconds), depth + 1)
  return merge(out, leaderView, fraction)
}
