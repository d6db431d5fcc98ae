// The switch: attachments moved from the old database to the new one, and, from Heroku alone, where each
// app's dynos really are afterwards. With a release phase, an attach only reaches the dynos when its
// release succeeds; a pending or failed release leaves them on the old database while the config var
// already names the new one. So nobody reopens the app until every move is confirmed live, or put back.
import type { Clock } from '../runtime/clock'
import { changeOnce } from '../heroku/change-once'
import type { PlatformApi } from '../heroku/platform-api'
import type { RetryPolicy } from '../heroku/retry'
import type { Release } from '../heroku/types'
import { poll } from '../runtime/poller'
import type { SwitchOutcome } from '../record/record'
import type { AttachmentMove } from '../domain/vocabulary'
import type { AddonRef } from '../domain/vocabulary'

/** As long as `pg:promote` waits for the release phase. */
export const RELEASE_SETTLE_TIMEOUT_MS = 15 * 60_000

export interface SwitchDependencies {
  platform: PlatformApi
  clock: Clock
  signal?: AbortSignal
  policy?: Partial<RetryPolicy>
  log: (line: string) => void
  /** How long a release phase may stay pending before the move counts as failed. */
  releaseTimeoutMs: number
  pollIntervalMs: number
}

type Where = 'live' | 'failed' | 'unsettled' | 'elsewhere'

export interface Settlement {
  outcome: SwitchOutcome
  /** For a person: where every attachment is and why. */
  detail: string
}

/** Sends the moves in order (DATABASE first), each one at most once unless Heroku shows it did not happen. */
export async function requestMoves(deps: SwitchDependencies, moves: AttachmentMove[]): Promise<void> {
  for (const move of moves) {
    const current = await attachedAddonId(deps.platform, move.app, move.name, move.namespace)
    if (current !== move.to.id) await attach(deps, move, move.to)
  }
}

/**
 * Waits for every move's release and returns `live` when all reached the dynos. Otherwise every move that
 * took effect is put back on the old database and its release awaited: `reverted`, or `stuck` when even
 * that cannot be confirmed.
 */
export async function settleSwitch(deps: SwitchDependencies, moves: AttachmentMove[]): Promise<Settlement> {
  const where = await Promise.all(moves.map((move) => whereAre(deps, move, move.to)))
  if (where.every((state) => state === 'live'))
    return { outcome: 'live', detail: moves.map((m) => `${label(m)} → ${m.to.name}`).join(', ') }

  const reasons = moves
    .map((move, i) => `${label(move)}: ${describeWhere(where[i] ?? 'unsettled', move.to)}`)
    .join('; ')
  deps.log(`  The switch did not reach every app (${reasons}); putting the old database back.`)
  return undoSwitch(
    deps,
    moves.filter((_, i) => where[i] !== 'elsewhere'),
    reasons,
  )
}

/**
 * Puts every moved attachment back on the old database and waits for those releases: `reverted` when all
 * reached the dynos, `stuck` otherwise. `why` opens the detail.
 */
export async function undoSwitch(
  deps: SwitchDependencies,
  moves: AttachmentMove[],
  why: string,
): Promise<Settlement> {
  for (const move of moves) await attach(deps, move, move.from)
  const back = await Promise.all(moves.map((move) => whereAre(deps, move, move.from)))
  const stuck = moves.filter((_, i) => back[i] !== 'live')
  if (stuck.length > 0)
    return {
      outcome: 'stuck',
      detail: `${why}. Putting the old database back did not reach the dynos for ${stuck.map(label).join(', ')}.`,
    }
  return {
    outcome: 'reverted',
    detail: `${why}. Every attachment is back on ${moves[0]?.from.name ?? 'the old database'} and its release succeeded.`,
  }
}

const label = (move: AttachmentMove): string =>
  `${move.app}::${move.name}${move.namespace ? ` (${move.namespace})` : ''}`

function describeWhere(where: Where, target: AddonRef): string {
  switch (where) {
    case 'live':
      return `live on ${target.name}`
    case 'failed':
      return `the release attaching ${target.name} failed`
    case 'unsettled':
      return `the release attaching ${target.name} did not finish in time`
    case 'elsewhere':
      return `not attached to ${target.name}`
  }
}

async function attachedAddonId(
  platform: PlatformApi,
  app: string,
  name: string,
  namespace: string | null,
): Promise<string | undefined> {
  const attachments = await platform.listAppAttachments(app)
  return attachments.find((a) => a.name === name && (a.namespace ?? null) === namespace)?.addon.id
}

async function attach(deps: SwitchDependencies, move: AttachmentMove, target: AddonRef): Promise<void> {
  const { platform } = deps
  await changeOnce<true>({
    send: async () => {
      await platform.createAttachment({
        addon: { name: target.name },
        app: { name: move.app },
        confirm: move.app,
        name: move.name,
        namespace: move.namespace,
      })
      return true
    },
    findEffect: async () =>
      (await attachedAddonId(platform, move.app, move.name, move.namespace)) === target.id ? true : undefined,
    clock: deps.clock,
    signal: deps.signal,
    policy: deps.policy,
  })
}

/** Where the dynos of the move's app are, for the attachment pointing at `target`. */
async function whereAre(deps: SwitchDependencies, move: AttachmentMove, target: AddonRef): Promise<Where> {
  const { platform } = deps
  if ((await attachedAddonId(platform, move.app, move.name, move.namespace)) !== target.id) return 'elsewhere'
  const formation = await platform.getFormation(move.app)
  if (!formation.some((entry) => entry.type === 'release')) return 'live'
  const description = `Attach ${move.name} (@ref:${target.name})`
  const release = (await platform.latestReleases(move.app, 10)).find((r) =>
    r.description.includes(description),
  )
  if (!release) return 'unsettled'
  try {
    const final = await poll<Release>({
      describe: `release v${release.version} of ${move.app} (${release.description})`,
      timeoutMs: deps.releaseTimeoutMs,
      interval: deps.pollIntervalMs,
      signal: deps.signal,
      clock: deps.clock,
      onStatus: (line) => deps.log(`  ${line}`),
      check: async () => {
        const current = await platform.getRelease(move.app, release.id)
        return current.status === 'succeeded' || current.status === 'failed'
          ? { done: true, value: current }
          : { done: false, status: current.status, nearlyDone: true }
      },
    })
    return final.status === 'succeeded' ? 'live' : 'failed'
  } catch (error) {
    if (deps.signal?.aborted) throw error
    return 'unsettled'
  }
}
