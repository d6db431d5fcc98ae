// The emulation that runs the examples is only as good as its reading of GitHub's expressions: these pin
// the rules the examples lean on, so that a passing example test cannot come from a lenient evaluator (or
// from a glue mistake around GitHub's @actions/expressions, which does the evaluating).
import { describe, expect, it } from 'vitest'
import { jobOrder, type WorkflowSpec } from '../../scripts/run-example'
import {
  condition,
  evaluate,
  interpolate,
  nextCronTime,
  type Scope,
} from '../../scripts/workflow-expressions'

const scope = (status = { success: true, failure: false }): Scope => ({
  contexts: {
    github: { event_name: 'schedule', event: { schedule: '0 3 * * 6' } },
    inputs: { version: '17', plan: '', dry: false },
    needs: { plan: { result: 'success', outputs: { 'plan-id': 'p1-aaaa', status: 'planned' } } },
    secrets: { HEROKU_API_KEY: 'key' },
    env: { HEROKU_APP: 'acme-web' },
  },
  status,
})

describe('expressions', () => {
  it('reads contexts, hyphenated names and indexes, case-insensitively, and null for what is missing', () => {
    expect(evaluate('needs.plan.outputs.plan-id', scope())).toBe('p1-aaaa')
    expect(evaluate("needs['plan'].outputs['plan-id']", scope())).toBe('p1-aaaa')
    expect(evaluate('Secrets.heroku_api_key', scope())).toBe('key')
    expect(evaluate('inputs.missing', scope())).toBeNull()
    expect(evaluate('needs.other.outputs.x', scope())).toBeNull()
  })

  it('compares strings case-insensitively and other types as numbers', () => {
    expect(evaluate("github.event.schedule == '0 3 * * 6'", scope())).toBe(true)
    expect(evaluate("github.event.schedule == '0 20 * * 5'", scope())).toBe(false)
    expect(evaluate("'Planned' == needs.plan.outputs.status", scope())).toBe(true)
    expect(evaluate("inputs.version == 17 && '' == 0 && null == 0 && true == 1", scope())).toBe(true)
    expect(evaluate("'abc' != 0", scope())).toBe(true)
  })

  it('returns an operand from && and ||, as GitHub does', () => {
    expect(evaluate("inputs.plan || 'keep'", scope())).toBe('keep')
    expect(evaluate("inputs.version && 'go'", scope())).toBe('go')
    expect(evaluate('!inputs.plan', scope())).toBe(true)
  })

  it('refuses what it does not know instead of guessing', () => {
    // The messages are @actions/expressions' own: each names what it refused.
    expect(() => evaluate('vars.X', scope())).toThrow(/Unrecognized named-value: 'vars'/)
    expect(() => evaluate('hashFiles(1)', scope())).toThrow(/Unrecognized function: 'hashFiles'/)
    expect(() => evaluate("inputs.version == '17", scope())).toThrow(/Unexpected symbol: ''17'/)
  })

  it('interpolates templates into the strings an action receives', () => {
    expect(interpolate('heroku-postgres-upgrade-${{ env.HEROKU_APP }}', scope())).toBe(
      'heroku-postgres-upgrade-acme-web',
    )
    expect(interpolate('${{ inputs.plan }}', scope())).toBe('')
    expect(interpolate(true, scope())).toBe('true')
    expect(interpolate(undefined, scope())).toBe('')
  })

  it('reads if: with an implicit success() unless a status function is named', () => {
    expect(condition(undefined, scope())).toBe(true)
    expect(condition("needs.plan.outputs.status == 'planned'", scope())).toBe(true)
    expect(condition("${{ needs.plan.outputs.status == 'planned' }}", scope())).toBe(true)
    const failed = scope({ success: false, failure: true })
    expect(condition("needs.plan.outputs.status == 'planned'", failed)).toBe(false)
    expect(condition('always()', failed)).toBe(true)
    expect(condition('failure()', failed)).toBe(true)
  })
})

describe('cron schedules', () => {
  it('fires at the next matching minute in UTC', () => {
    // 2026-12-01 is a Tuesday.
    const tuesday = Date.parse('2026-12-01T22:40:00Z')
    expect(new Date(nextCronTime('0 20 * * 5', tuesday)).toISOString()).toBe('2026-12-04T20:00:00.000Z')
    expect(new Date(nextCronTime('0 3 * * 6', Date.parse('2026-12-04T20:00:00Z'))).toISOString()).toBe(
      '2026-12-05T03:00:00.000Z',
    )
    expect(new Date(nextCronTime('*/15 * * * *', tuesday)).toISOString()).toBe('2026-12-01T22:45:00.000Z')
    expect(new Date(nextCronTime('0 0 1 * *', tuesday)).toISOString()).toBe('2027-01-01T00:00:00.000Z')
    expect(new Date(nextCronTime('0 4 * * 7', tuesday)).toISOString()).toBe('2026-12-06T04:00:00.000Z')
  })
})

describe('job order', () => {
  it('puts every job after the jobs it needs, and refuses a cycle', () => {
    const spec = (jobs: Record<string, { needs?: string | string[] }>): WorkflowSpec => ({
      on: 'push',
      jobs: Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, { ...job, steps: [] }])),
    })
    expect(
      jobOrder(spec({ upgrade: { needs: 'plan' }, plan: {}, notify: { needs: ['upgrade', 'plan'] } })),
    ).toEqual(['plan', 'upgrade', 'notify'])
    expect(() => jobOrder(spec({ a: { needs: 'b' }, b: { needs: 'a' } }))).toThrow(/need each other/)
  })
})
