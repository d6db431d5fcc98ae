// What the report says of the write fence: the old database left read-only in the follow-up issue, with how
// to lift it, and a serving database the run could not lift it from in the summary's very first line.
import { describe, expect, it } from 'vitest'
import { LIFT_FENCE_SQL } from '../../src/domain/messages/fence'
import { renderFollowUpIssue } from '../../src/report/issue'
import { outcomeLine } from '../../src/report/summary-headline'
import { renderGantt } from '../../src/report/gantt'
import { estimateSteps } from '../../src/plan/estimates'
import type { StepName } from '../../src/domain/vocabulary'
import { succeededRecord } from './fixtures'

const now = new Date('2026-11-21T10:07:00Z')
const raisedOn = 'postgresql-curved-12345'

describe('the write fence in the report', () => {
  it('tells in the issue that the old database is read-only, and how to lift the fence', () => {
    const record = succeededRecord()
    record.fence = { raisedOn, lifted: ['postgresql-silky-67890'] }
    const { body } = renderFollowUpIssue(record, now)
    expect(body).toContain('`postgresql-curved-12345` is read-only (the write fence')
    expect(body).toContain(
      `\`heroku pg:psql postgresql-curved-12345 -a acme-web\` and enter \`${LIFT_FENCE_SQL}\``,
    )
  })

  it('says nothing of a fence in the issue when none went up', () => {
    expect(renderFollowUpIssue(succeededRecord(), now).body).not.toContain('read-only')
  })

  it('leads the summary with a serving database left read-only', () => {
    const record = succeededRecord()
    record.fence = {
      raisedOn,
      lifted: [],
      liftFailed: { addon: 'postgresql-silky-67890', error: 'connect ECONNREFUSED 10.0.0.1:5432' },
    }
    const line = outcomeLine(record)
    expect(line.startsWith("**acme-web's database postgresql-silky-67890 is read-only**")).toBe(true)
    expect(line).toContain('connect ECONNREFUSED 10.0.0.1:5432')
    expect(line).toContain('**Succeeded**')
    expect(outcomeLine(succeededRecord()).startsWith('**Succeeded**')).toBe(true)
  })

  it("calls a read-only window's cost write downtime, in the headline, the chart and the issue", () => {
    const record = succeededRecord()
    record.readOnlyWindow = true
    expect(outcomeLine(record)).toMatch(
      /with no planned read downtime \(web served reads through a read-only window\) and \S+ of write downtime\.$/,
    )
    const chart = renderGantt(record)
    expect(chart).toContain('section Switch (read-only window)')
    expect(chart).toMatch(/Write downtime \S+ :crit/)
    expect(renderFollowUpIssue(record, now).body).toMatch(/ with \S+ of write downtime, /)
    expect(outcomeLine(succeededRecord())).toMatch(/ with \S+ of downtime\.$/)
  })

  it("gives the fence's steps their own short estimates, not a share of the data step", () => {
    const names: StepName[] = [
      'window-open',
      'fence',
      'final-catch-up',
      'upgrade',
      'lift-fence',
      'parity',
      'promote',
    ]
    const steps = names.map((name) => ({ name, phase: 'switch' as const }))
    const estimates = estimateSteps('follower', steps, 600_000)
    const ms = Object.fromEntries(steps.map((step, i) => [step.name, (estimates[i] as { ms: number }).ms]))
    expect(ms).toMatchObject({ fence: 10_000, 'lift-fence': 5_000, parity: 60_000 })
    expect(ms.upgrade).toBe(600_000 - 15_000 - 10_000 - 30_000 - 5_000 - 60_000 - 10_000)
  })
})
