// Nothing secret may reach the summary, the issue or the outputs, whatever the record holds.
import { describe, expect, it } from 'vitest'
import { scrubSecrets } from '../../src/report/format'
import { renderFollowUpIssue } from '../../src/report/issue'
import { outputsFor } from '../../src/report/outputs'
import { renderSummary } from '../../src/report/summary'
import { DB_PASSWORD, OLD_URL, failedAfterPromoteRecord, rolledBackRecord, succeededRecord } from './fixtures'

const records = {
  succeeded: succeededRecord(),
  'rolled-back': rolledBackRecord(),
  failed: failedAfterPromoteRecord(),
}

function everything(record = succeededRecord()): string {
  const issue = renderFollowUpIssue(record, new Date('2026-11-21T10:07:00Z'))
  return [renderSummary(record), issue.title, issue.body, ...Object.values(outputsFor(record))].join('\n')
}

describe('secret safety of the report', () => {
  it('the fixtures really do carry database URLs with passwords (so the checks below can fail)', () => {
    expect(JSON.stringify(records)).toContain(OLD_URL)
    expect(JSON.stringify(records)).toContain(DB_PASSWORD)
  })

  for (const [status, record] of Object.entries(records)) {
    it(`a ${status} report shows no postgres:// URL and no password`, () => {
      const text = everything(record)
      expect(text).not.toMatch(/postgres(ql)?:\/\//i)
      expect(text).not.toContain(DB_PASSWORD)
      expect(text).not.toContain('u1a2b3c4d5')
    })
  }

  it('scrubs postgresql:// URLs and credentials in other URLs too', () => {
    const text = scrubSecrets(
      'a postgresql://user:secretpw@host.example:5433/db?sslmode=require b https://x:tokentoken@example.com/path c',
    )
    expect(text).toBe('a host.example:5433/db b https://example.com/path c')
  })

  it('masks given secrets wherever they appear', () => {
    expect(scrubSecrets('key hrku-1234-5678 here', ['hrku-1234-5678'])).toBe('key *** here')
  })
})
