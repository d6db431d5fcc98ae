/** The scenario's `faults` (also what POST /__simulator/faults takes): behaviour faults and HTTP faults. */
import { z } from 'zod'
import { dispatch, flag, isObject, list, nullable, num, strict, text } from './fields.js'

export const BEHAVIOUR_FAULTS = [
  'follower-never-catches-up',
  'upgrade-fails',
  'provision-fails',
  'attach-release-fails',
  'transfer-fails',
] as const

const TRANSFER_KINDS = ['backup', 'copy', 'restore'] as const

const behaviourFaultSchema = strict({
  type: z.enum(BEHAVIOUR_FAULTS, { error: `expected one of ${BEHAVIOUR_FAULTS.join(', ')}` }),
  addon: nullable(),
  app: nullable(),
  step: num('positive integer').default(1),
  times: num('positive integer').default(1),
  /** transfer-fails only: the kind of transfer that fails; null = any. */
  transfer: z
    .enum(TRANSFER_KINDS, { error: `expected one of ${TRANSFER_KINDS.join(', ')}` })
    .nullable()
    .default(null),
}).transform(({ type, addon, app, step, times, transfer }) => ({
  kind: 'behaviour' as const,
  type,
  /** Add-on name (or app name for attach-release-fails) the fault is limited to; null = the next one. */
  target: addon ?? app,
  step,
  times,
  transfer,
}))

const STATUS_EXPECTED = 'expected an HTTP status code (100 to 599)'

const httpFaultSchema = strict({
  method: nullable(),
  path: text(),
  status: z
    .number({ error: STATUS_EXPECTED })
    .int({ error: STATUS_EXPECTED })
    .min(100, { error: STATUS_EXPECTED })
    .max(599, { error: STATUS_EXPECTED })
    .optional(),
  times: num('positive integer').default(1),
  body: z.unknown().optional(),
  retry_after: num('non-negative integer').optional(),
  drop: flag(false),
  drop_after: flag(false),
  delay_seconds: num('non-negative').optional(),
})
  .superRefine((fault, ctx) => {
    const effects = [
      fault.status !== undefined,
      fault.drop,
      fault.drop_after,
      fault.delay_seconds !== undefined,
    ]
    const count = effects.filter(Boolean).length
    if (count === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected "status", "drop": true, "drop_after": true, "delay_seconds" or a "type"',
      })
    } else if (count > 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected only one of "status", "drop", "drop_after" and "delay_seconds"',
      })
    }
  })
  .transform((fault) => ({
    kind: 'http' as const,
    method: fault.method === null ? null : fault.method.toUpperCase(),
    path: fault.path,
    status: fault.status ?? null,
    drop: fault.drop,
    times: fault.times,
    body: fault.body,
    retry_after: fault.retry_after ?? null,
    /** Handle the request fully, then destroy the connection without answering. */
    drop_after: fault.drop_after,
    /** Handle the request at once, send the answer after this many real seconds. */
    delay_seconds: fault.delay_seconds ?? null,
  }))

/** A behaviour fault has a `type`; anything else is an HTTP fault. */
export const faultSchema = dispatch<z.output<typeof behaviourFaultSchema> | z.output<typeof httpFaultSchema>>(
  (input) => (isObject(input) && 'type' in input ? behaviourFaultSchema : httpFaultSchema),
)

export const faultsSchema = list(faultSchema)
