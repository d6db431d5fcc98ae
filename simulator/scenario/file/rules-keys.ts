/**
 * Scenario keys for Heroku rules whose behaviour Heroku does not document, each defaulting to the harsher case
 * (see the README's "Harsher than Heroku, or unknown"). schema.ts spreads them into the scenario's top level.
 */
import { z } from 'zod'

const POSITIVE = 'expected a positive number'

export const herokuRuleKeys = {
  /**
   * How GET /apps/:app/dynos shows a dyno that got SIGTERM but still runs (and writes) for durations.dyno_stop:
   * listed `up`, listed `down`, or not listed at all (Heroku does not say; hidden is the harsher case).
   */
  stopping_dynos_listed: z
    .enum(['up', 'down', 'hidden'], { error: 'expected "up", "down" or "hidden"' })
    .default('hidden'),
  /**
   * A database whose data exceeds its plan's storage: `access_restricted` refuses writes (Heroku's state after
   * the enforcement date, the harsher case), `action_required` only shows the status.
   */
  over_plan_capacity: z
    .enum(['access_restricted', 'action_required'], {
      error: 'expected "access_restricted" or "action_required"',
    })
    .default('access_restricted'),
  /** A backup, copy or restore of more than this many GB times out once it has moved that much. */
  transfer_timeout_gb: z.number({ error: POSITIVE }).positive({ error: POSITIVE }).default(20),
}
