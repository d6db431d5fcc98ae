import type { BehaviourFault, FaultSpec } from '../scenario/file/types.js'

/**
 * The behaviour faults still to happen (a provisioning that fails, an upgrade that fails at a step, …): each
 * is used up by the operation it matches, `times` times. HTTP faults are the server's (http/faults.ts).
 */
export class FaultBook {
  private readonly pending: BehaviourFault[] = []

  /** Keeps the behaviour faults among `faults`; the HTTP ones are left to the server. */
  add(faults: readonly FaultSpec[]): void {
    for (const fault of faults) if (fault.kind === 'behaviour') this.pending.push({ ...fault })
  }

  /** Consumes one use of a behaviour fault matching the type and target (add-on or app name), if any. */
  take(type: BehaviourFault['type'], targets: string[]): BehaviourFault | undefined {
    return this.takeFirst((f) => f.type === type && (f.target === null || targets.includes(f.target)))
  }

  /** Consumes one use of the first fault that `matches`, if any. */
  takeFirst(matches: (fault: BehaviourFault) => boolean): BehaviourFault | undefined {
    const index = this.pending.findIndex(matches)
    const fault = this.pending[index]
    if (!fault) return undefined
    fault.times -= 1
    if (fault.times <= 0) this.pending.splice(index, 1)
    return fault
  }

  list(): readonly BehaviourFault[] {
    return this.pending
  }
}
