// The plan-id: a fingerprint of the facts a plan rests on, one short hash per fact, so that a later run can
// say which fact changed since the plan was approved without putting the facts themselves in an output.
import { createHash } from 'node:crypto'
import type { Method } from '../domain/vocabulary'
import type { Inspection } from '../inspect/types'
import type { Target } from './checks'
import type { Settings } from '../inputs/settings'
import { formatDuration } from '../domain/duration'
import { scaleArguments } from '../domain/formation'

const FACTS = ['database', 'version', 'plan', 'target', 'method', 'formation', 'window settings'] as const
type Fact = (typeof FACTS)[number]

/** The inputs that change what the window does: an approved plan covers them as it covers the facts. */
export type WindowInputs = Pick<
  Settings,
  | 'scaleDown'
  | 'window'
  | 'maintenance'
  | 'acceptLostWrites'
  | 'fence'
  | 'lagTimeoutMs'
  | 'upgradeTimeoutMs'
  | 'verifyCommand'
  | 'verifyTimeoutMs'
  | 'maxDowntimeMs'
>

function windowSettings(inputs: WindowInputs): string {
  const scaleDown =
    inputs.scaleDown.kind === 'list' ? inputs.scaleDown.types.join(',') : inputs.scaleDown.kind
  return [
    `scale-down ${scaleDown}`,
    `maintenance ${inputs.maintenance}`,
    `accept-lost-writes ${inputs.acceptLostWrites}`,
    `fence ${inputs.fence}`,
    // Said only when not the default, so that plans approved before the input existed keep their id.
    ...(inputs.window === 'read-only' ? ['window read-only'] : []),
    `lag-timeout ${formatDuration(inputs.lagTimeoutMs)}`,
    `upgrade-timeout ${formatDuration(inputs.upgradeTimeoutMs)}`,
    `verify-command ${inputs.verifyCommand === undefined ? 'none' : short(inputs.verifyCommand)}`,
    `verify-timeout ${formatDuration(inputs.verifyTimeoutMs)}`,
    `max-downtime ${inputs.maxDowntimeMs === undefined ? 'none' : formatDuration(inputs.maxDowntimeMs)}`,
  ].join(', ')
}

function factsOf(
  facts: Inspection,
  target: Target,
  method: Method,
  inputs: WindowInputs,
): Record<Fact, string> {
  return {
    database: `${facts.old.id} (${facts.old.name})`,
    version: facts.old.version,
    plan: facts.old.plan,
    target: `${target.versionChanges ? `PG ${target.targetVersion ?? 'newest'}` : `PG ${facts.old.major}`} on ${target.targetPlan}`,
    method,
    formation:
      scaleArguments([...facts.formation].sort((a, b) => a.type.localeCompare(b.type))) || 'no process types',
    'window settings': windowSettings(inputs),
  }
}

/** The format of the plan-id: p2 added the window settings to p1's six facts. */
export const PLAN_ID_PREFIX = 'p2'

const short = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 4)

export function planIdOf(facts: Inspection, target: Target, method: Method, inputs: WindowInputs): string {
  const values = factsOf(facts, target, method, inputs)
  return [PLAN_ID_PREFIX, ...FACTS.map((fact) => short(values[fact]))].join('-')
}

/** What differs between an approved plan-id and the facts now, each named with its value now. */
export function changesSince(
  approved: string,
  facts: Inspection,
  target: Target,
  method: Method,
  inputs: WindowInputs,
): string[] {
  const values = factsOf(facts, target, method, inputs)
  const then = approved.split('-').slice(1)
  return FACTS.filter((fact, index) => then[index] !== short(values[fact])).map(
    (fact) => `the ${fact} (now ${values[fact]})`,
  )
}
