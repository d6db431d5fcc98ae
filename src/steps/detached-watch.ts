// The watch for writers once the new database stopped following the old one: from then on, whatever a
// dyno writes reaches the old database only, so a one-off dyno that appears is stopped, and one that ran
// keeps the switch from being made.
import type { StepDeps } from './deps'
import { errorMessage } from '../domain/error-message'
import type { WindowPolicy } from '../domain/policy'
import { appsInWindow } from './window'
import { keptTypes } from './window-steps'
import { describeDynos, isOneOff, listDynos, unexpectedWriters, type ListedDyno } from './writers'
import { wroteAfterUnfollowMessage } from '../domain/messages/window'

/**
 * Once the new database stopped following, whatever a dyno writes reaches the old database only. A one-off
 * dyno that appears then (a Scheduler job) is stopped at once; one caught while still `starting` wrote
 * nothing, one seen `up` may have written, and is remembered so that the switch is not made.
 */
export class DetachedWatch {
  private readonly seenUp = new Map<string, ListedDyno>()
  private readonly stopped = new Set<string>()

  constructor(
    private readonly deps: StepDeps,
    private readonly window: WindowPolicy,
  ) {}

  private async look(): Promise<void> {
    const { deps } = this
    const apps = appsInWindow(deps.journal.record)
    const writers = unexpectedWriters(
      await listDynos(deps.api.platform, apps),
      apps,
      keptTypes(deps.journal.record, this.window, true),
    )
    for (const dyno of writers) {
      if (dyno.state !== 'starting') this.seenUp.set(dyno.id, dyno)
      if (isOneOff(dyno, apps) && !this.stopped.has(dyno.id)) {
        this.stopped.add(dyno.id)
        const wasThere = await deps.api.platform.stopDyno(dyno.app, dyno.id)
        deps.warn(
          wasThere
            ? `${dyno.app} ${dyno.name} started while the app was down and was stopped${dyno.state === 'starting' ? ' before it ran' : ''}: run it again once the app is back.`
            : `${dyno.app} ${dyno.name} started while the app was down and exited before it could be stopped: what it wrote is on the old database only.`,
        )
      }
    }
  }

  /**
   * Looks every watch interval while `work` runs (an upgrade, a transfer, the releases of a switch), on its
   * own cadence: however rarely the work's own wait asks Heroku, a starting dyno is still seen in time. A
   * look that fails is logged; the last look before the switch does not forgive one.
   */
  async during<T>(work: () => Promise<T>): Promise<T> {
    const { deps } = this
    let done = false
    const finished = work().finally(() => (done = true))
    const loop = (async () => {
      while (!done && !deps.signal?.aborted) {
        await this.look().catch((error: unknown) =>
          deps.log(`  Could not list the dynos: ${errorMessage(error)}`),
        )
        await Promise.race([deps.clock.sleep(deps.poll.watchMs, deps.signal), finished]).catch(() => {})
      }
    })()
    try {
      return await finished
    } finally {
      await loop
    }
  }

  /** The last look before the switch: refuses it when any writer may have reached the old database. */
  async assertNothingWrote(): Promise<void> {
    await this.look()
    const suspects = [...this.seenUp.values()]
    if (suspects.length > 0) throw new Error(wroteAfterUnfollowMessage(describeDynos(suspects)))
  }

  /**
   * The last look before the app reopens. A one-off dyno started before the switch's release carries the old
   * DATABASE_URL for its whole life: caught while starting, it is stopped before it runs; one that ran is
   * named, since what it wrote is on the old database only.
   */
  async lastLook(): Promise<void> {
    const before = new Set(this.seenUp.keys())
    await this.look()
    const late = [...this.seenUp.values()].filter((dyno) => !before.has(dyno.id))
    if (late.length > 0)
      this.deps.warn(
        `${describeDynos(late)} ran with the old DATABASE_URL after the switch: what they wrote is on the old database only. Check it, and run them again on the new one.`,
      )
  }
}
