import type { SchedulerSpec } from '../scenario/file/types.js'
import { startOneOff } from './dynos.js'
import type { App } from './types.js'
import type { World } from './world.js'

/**
 * Heroku Scheduler: each job starts a one-off dyno of type `scheduler` at first_at_seconds, then every
 * every_seconds, whatever the maintenance mode (Scheduler does not look at it), for ever.
 */
export function startScheduler(world: World, app: App, jobs: SchedulerSpec[]): void {
  for (const job of jobs) {
    const run = (at: number) => {
      world.clock.schedule(at, () => {
        startOneOff(world, app, { command: job.command, type: 'scheduler', runSeconds: job.run_seconds })
        run(at + job.every_seconds)
      })
    }
    run(job.first_at_seconds)
  }
}
