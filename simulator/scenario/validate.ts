import type { z } from 'zod'
import { scenarioError } from './reader.js'
import { faultSchema, faultsSchema } from './file/faults.js'
import { scenarioFileSchema } from './file/schema.js'
import { durationsSchema } from './file/timing.js'
import type { Durations, FaultSpec, Scenario } from './file/types.js'

export const DEFAULT_DURATIONS: Durations = durationsSchema.parse(undefined)

/** `raw` parsed by `schema`, or a ScenarioError naming every problem, paths starting at `root`. */
function parse<T extends z.ZodType>(schema: T, raw: unknown, root: string): z.output<T> {
  const result = schema.safeParse(raw, { reportInput: true })
  if (!result.success) throw scenarioError(result.error.issues, root)
  return result.data
}

/** Validates parsed scenario JSON and fills in defaults. Throws ScenarioError naming each bad key. */
export function validateScenario(raw: unknown, name: string): Scenario {
  return { name, ...parse(scenarioFileSchema, raw, '') }
}

/** What POST /__simulator/faults accepts: one fault (`fault.…` in messages) or an array (`faults[i].…`). */
export function parseFaults(raw: unknown): FaultSpec[] {
  if (Array.isArray(raw)) return parse(faultsSchema, raw, 'faults')
  return [parse(faultSchema, raw, 'fault')]
}
