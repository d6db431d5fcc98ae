// What the report says of the write fence: the old database left read-only in the follow-up issue, with how
// to lift it, and a serving database the run could not lift it from in the summary's very first line.
import { describe, expect, it } from 'vitest'
import { LIFT_FENCE_SQL } from '../../src/domain/messages/fence'
import { renderFollowUpIssue } from '../../src/report/issue'
import { outcomeLine } from '../../src/report/summary-headline'
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
})
