// The run's policy: what the steps need to know from the inputs, worked out once from the Settings. The
// Settings say what the workflow wrote; the policy says how the run behaves: each bound with the input
// that sets it (so a message can name what to raise), the poll cadence of each kind of wait, and what the
// maintenance window does. What is upgraded (app, database, version, plan) and where the APIs are stay
// on the Settings: the plan and the engine read those, not the steps.
import type { PollCadence, Policy, Timeout, TimeoutInput } from '../domain/policy'
import type { ScaleDown } from '../domain/vocabulary'
import { longWaitInterval, watchInterval, windowInterval } from '../runtime/poller'
import type { Settings } from './types'

/** The Settings the policy is made of: a test can give just these. */
export type PolicyInputs = Pick<
  Settings,
  | 'phase'
  | 'catchUpTimeoutMs'
  | 'prepareTimeoutMs'
  | 'lagTimeoutMs'
  | 'upgradeTimeoutMs'
  | 'verifyTimeoutMs'
  | 'pollIntervalMs'
  | 'window'
  | 'maintenance'
  | 'scaleDown'
  | 'acceptLostWrites'
  | 'fence'
  | 'maxDowntimeMs'
  | 'windowEnd'
  | 'verifyCommand'
  | 'recreateFollowers'
>

const timeout = (input: TimeoutInput, ms: number): Timeout => Object.freeze({ input, ms })

/** How often each kind of wait asks Heroku, from poll-interval. */
export function pollCadence(pollMs: number): PollCadence {
  return Object.freeze({
    intervalMs: pollMs,
    windowMs: windowInterval(pollMs),
    longWaitMs: longWaitInterval(pollMs),
    watchMs: watchInterval(pollMs),
  })
}

/** Pure: the same settings give an equal policy, and the settings are left as they are. */
export function resolvePolicy(settings: Readonly<PolicyInputs>): Policy {
  const pollMs = settings.pollIntervalMs
  const readOnly = settings.window === 'read-only'
  const scaleDown: ScaleDown =
    settings.scaleDown.kind === 'list'
      ? Object.freeze({ kind: 'list', types: Object.freeze([...settings.scaleDown.types]) as string[] })
      : settings.scaleDown.kind === 'all' && readOnly
        ? // A read-only window keeps web serving reads: the fence stops its writes.
          Object.freeze({ kind: 'all', keep: Object.freeze(['web']) })
        : Object.freeze({ kind: settings.scaleDown.kind })
  return Object.freeze({
    phase: settings.phase,
    timeouts: Object.freeze({
      catchUp: timeout('catch-up-timeout', settings.catchUpTimeoutMs),
      prepare: timeout('prepare-timeout', settings.prepareTimeoutMs),
      lag: timeout('lag-timeout', settings.lagTimeoutMs),
      upgrade: timeout('upgrade-timeout', settings.upgradeTimeoutMs),
      verify: timeout('verify-timeout', settings.verifyTimeoutMs),
    }),
    poll: pollCadence(pollMs),
    window: Object.freeze({
      readOnly,
      // The router keeps sending requests in a read-only window: that is the point of it.
      maintenance: settings.maintenance && !readOnly,
      scaleDown,
      acceptLostWrites: settings.acceptLostWrites,
      fence: settings.fence,
      maxDowntime:
        settings.maxDowntimeMs === undefined ? undefined : timeout('max-downtime', settings.maxDowntimeMs),
      end: settings.windowEnd === undefined ? undefined : Object.freeze({ ...settings.windowEnd }),
    }),
    verifyCommand: settings.verifyCommand,
    recreateFollowers: settings.recreateFollowers,
  })
}
