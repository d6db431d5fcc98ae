// The plan-id: a fingerprint of the facts a plan rests on, one short hash per fact, so that a later run can
// say which fact changed since the plan was approved without putting the facts themselves in an output.
import { createHash } from 'node:crypto'
import type { Method } from '../run/record'
import type { Inspection } from './types'
import type { Target } from './checks'

const FACTS = ['database', 'version', 'plan', 'target', 'method', 'formation'] as const
type Fact = (typeof FACTS)[number]

function factsOf(facts: Inspection, target: Target, method: Method): Record<Fact, string> {
  return {
    database: `${facts.old.id} (${facts.old.name})`,
    version: facts.old.version,
    plan: facts.old.plan,
    target: `${target.versionChanges ? `PG ${target.targetVersion ?? 'newest'}` : `PG ${facts.old.major}`} on ${target.targetPlan}`,
    method,
    formation:
      [...facts.formation]
        .sort((a, b) => a.type.localeCompare(b.type))
        .map((entry) => `${entry.type}=${entry.quantity}:${entry.size}`)
        .join(' ') || 'no process types',
  }
}

const short = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 4)

export function planIdOf(facts: Inspection, target: Target, method: Method): string {
  const values = factsOf(facts, target, method)
  return ['p1', ...FACTS.map((fact) => short(values[fact]))].join('-')
}

/** What differs between an approved plan-id and the facts now, each named with its value now. */
export function changesSince(approved: string, facts: Inspection, target: Target, method: Method): string[] {
  const values = factsOf(facts, target, method)
  const then = approved.split('-').slice(1)
  return FACTS.filter((fact, index) => then[index] !== short(values[fact])).map(
    (fact) => `the ${fact} (now ${values[fact]})`,
  )
}
