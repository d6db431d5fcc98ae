import type { Clock } from './clock.js'
import type { Addon, App } from './types.js'

/** One line of what happened, as `GET /__simulator/events` lists it. */
export interface SimEvent {
  at_simulated: number
  at_real: string
  type: string
  app?: string
  addon?: string
  detail: string
}

/** The event journal: what happened in the simulated account, in order, for tests and benchmarks to read. */
export class Journal {
  private readonly entries: SimEvent[] = []

  constructor(private readonly clock: Clock) {}

  record(type: string, detail: string, refs: { app?: App; addon?: Addon } = {}, at = this.clock.now): void {
    const entry: SimEvent = {
      at_simulated: Math.round(at * 1000) / 1000,
      at_real: this.clock.realIso(at),
      type,
      detail,
    }
    if (refs.app) entry.app = refs.app.name
    if (refs.addon) entry.addon = refs.addon.name
    this.entries.push(entry)
  }

  events(): readonly SimEvent[] {
    return this.entries
  }
}
