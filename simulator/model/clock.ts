/**
 * The simulated clock: `speed` simulated seconds per real second plus manual jumps, and the timers that fire
 * at their exact simulated time, in order. It knows nothing of what happens between two timers: whoever
 * advances it is told each stretch of time before the model moves on (the write ledger integrates there).
 */

interface Timer {
  at: number
  seq: number
  run: () => void
}

export class Clock {
  private readonly realStart = Date.now()
  private readonly startMs: number
  private offset = 0
  /** The time the model has been advanced to. */
  private current = 0
  private readonly timers: Timer[] = []
  private timerSeq = 0

  constructor(
    startTime: string,
    /** Simulated seconds per real second; 0 is a manual clock that only moves with jump. */
    readonly speed: number,
  ) {
    this.startMs = Date.parse(startTime)
  }

  /** The time the model has been advanced to; use this inside operations. */
  get now(): number {
    return this.current
  }

  /** Simulated seconds since the scenario started (real elapsed × speed + manual jumps). */
  private reading(): number {
    return ((Date.now() - this.realStart) / 1000) * this.speed + this.offset
  }

  /** The simulated wall-clock time of simulated second t, to the second. */
  iso(t: number): string {
    return new Date(this.startMs + t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }

  /** The real time at which the clock read t (the real time now on a manual clock). */
  realIso(t: number): string {
    if (this.speed === 0) return new Date().toISOString()
    const ms = this.realStart + ((t - this.offset) / this.speed) * 1000
    return new Date(Math.max(this.realStart, ms)).toISOString()
  }

  realElapsedSeconds(): number {
    return (Date.now() - this.realStart) / 1000
  }

  /** Moves the clock forward (introspection only); the next advance catches the model up. */
  jump(seconds: number): void {
    this.offset += seconds
  }

  schedule(at: number, run: () => void): void {
    this.timers.push({ at, seq: this.timerSeq++, run })
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
  }

  /**
   * Brings the model up to the current simulated time, running due timers in order. Before the model's time
   * moves to t, `stretch(t)` is called while `now` still reads the time it moves from.
   */
  advance(stretch: (to: number) => void): void {
    const target = Math.max(this.current, this.reading())
    for (;;) {
      const next = this.timers[0]
      if (!next || next.at > target) break
      this.timers.shift()
      this.moveTo(Math.max(this.current, next.at), stretch)
      next.run()
    }
    this.moveTo(target, stretch)
  }

  private moveTo(t: number, stretch: (to: number) => void): void {
    stretch(t)
    this.current = t
  }
}
