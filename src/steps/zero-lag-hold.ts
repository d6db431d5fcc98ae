// A lag of 0 next to process types the user kept running (accept-lost-writes) proves nothing by itself:
// they may be booting, or between two writes. It counts once it has held, with none of their dynos
// starting or changing state, for longer than a dyno's boot and one poll.
import type { StepDeps } from './deps'
import { formatDuration } from '../domain/duration'
import { describeDynos, type ListedDyno } from './writers'

/** Heroku's boot timeout: the longest a dyno may take to boot before it is stopped as crashed. */
const BOOT_TIMEOUT_MS = 60_000

/**
 * A lag of 0 while process types the user kept running are up counts only once it has held, with none of
 * their dynos starting or changing state, for longer than a dyno's boot and one poll. A dyno's boot is read
 * off Heroku's own times (started to up) where it shows them, and is Heroku's boot timeout where not.
 */
export class ZeroLagHold {
  private since?: number
  private fingerprint = ''

  constructor(private readonly deps: StepDeps) {}

  reset(): void {
    this.since = undefined
  }

  holds(running: ListedDyno[]): { done: boolean; for: string; status: string } {
    const now = this.deps.clock.now()
    const fingerprint = running
      .map((dyno) => `${dyno.id}:${dyno.state}:${dyno.updated_at ?? ''}`)
      .sort()
      .join(',')
    const booting = running.filter((dyno) => dyno.state !== 'up')
    if (booting.length > 0 || fingerprint !== this.fingerprint || this.since === undefined) {
      this.fingerprint = fingerprint
      this.since = booting.length > 0 ? undefined : now
    }
    const needed = bootMs(running) + windowIntervalMs(this.deps)
    const held = this.since === undefined ? 0 : now - this.since
    return {
      done: this.since !== undefined && held > needed,
      for: formatDuration(held),
      status:
        booting.length > 0
          ? `behind by 0 commits, but ${describeDynos(booting)} is not up: waiting until it is and the lag stays 0`
          : `behind by 0 commits for ${formatDuration(held)} of the ${formatDuration(needed)} it must hold while ${describeDynos(running)} run`,
    }
  }
}

/** The longest boot Heroku's times show for these dynos (created to up), or its boot timeout. */
function bootMs(dynos: ListedDyno[]): number {
  const boots = dynos.map((dyno) => Date.parse(dyno.updated_at ?? '') - Date.parse(dyno.created_at ?? ''))
  const known = boots.filter((ms) => Number.isFinite(ms) && ms >= 0)
  return known.length === dynos.length && known.length > 0
    ? Math.min(BOOT_TIMEOUT_MS, Math.max(...known))
    : BOOT_TIMEOUT_MS
}

const windowIntervalMs = (deps: StepDeps): number => deps.poll.windowMs
