// Which method runs: `follower` is implemented; `auto` picks it for tiers that allow followers.
import type { Method } from '../run-record'
import type { MethodInput } from '../settings'
import { allowsFollowers, type Tier } from './tier'

export const IMPLEMENTED_METHODS: readonly Method[] = ['follower']

const IMPLEMENTED_TEXT =
  'Implemented: follower (Standard, Premium, Private and Shield databases), and auto, which picks follower for those tiers.'

export class NotImplementedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NotImplementedError'
  }
}

/** Refuses a method that is not implemented, before any request is made. */
export function assertMethodImplemented(method: MethodInput): void {
  if (method === 'auto' || IMPLEMENTED_METHODS.includes(method)) return
  throw new NotImplementedError(
    `Method "${method}" is not implemented yet; nothing was changed. ${IMPLEMENTED_TEXT}`,
  )
}

/** The method for a database of this tier, or an error that says why none applies. */
export function chooseMethod(method: MethodInput, tier: Tier, plan: string): Method {
  if (method !== 'auto') return method
  if (allowsFollowers(tier)) return 'follower'
  const picked = tier === 'essential' || tier === 'legacy-essential' ? 'in-place' : undefined
  throw new NotImplementedError(
    picked
      ? `Method "auto" picks "${picked}" for the ${tier} plan ${plan}, and "${picked}" is not implemented yet; nothing was changed. ${IMPLEMENTED_TEXT}`
      : `Method "auto" has no method for the plan ${plan} (tier ${tier}); nothing was changed. ${IMPLEMENTED_TEXT}`,
  )
}
