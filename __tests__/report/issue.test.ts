import { describe, expect, it } from 'vitest'
import { holdAttachmentName } from '../../src/domain/identity'
import { ISSUE_BODY_MAX_CHARS, issueMarker, renderFollowUpIssue } from '../../src/report/issue'
import { succeededRecord } from './fixtures'

const now = new Date('2026-11-21T10:07:00Z')

describe('renderFollowUpIssue', () => {
  it('names the old add-on and the app in the title', () => {
    expect(renderFollowUpIssue(succeededRecord(), now).title).toBe(
      'Destroy the old Heroku Postgres database postgresql-curved-12345 (acme-web)',
    )
  })

  it('carries the hidden marker that lets a re-run find it', () => {
    const { body } = renderFollowUpIssue(succeededRecord(), now)
    expect(body.startsWith(issueMarker('postgresql-curved-12345'))).toBe(true)
    expect(issueMarker('postgresql-curved-12345')).toBe(
      '<!-- heroku-postgres-upgrade:old-addon=postgresql-curved-12345 -->',
    )
  })

  it('says what was done and describes the old database', () => {
    const { body } = renderFollowUpIssue(succeededRecord(), now)
    expect(body).toContain(
      "moved acme-web's DATABASE from postgresql-curved-12345 (PG 14.17) to postgresql-silky-67890 (PG 17.2) with 42s of downtime",
    )
    expect(body).toContain('| PG Version | 14.17 |')
    expect(body).toContain('| Data Size | 2.0 GB |')
    expect(body).toContain('| Continuous Protection | On |')
    expect(body).not.toContain('| Empty |')
  })

  it('has a checklist ending with the exact destroy command and the date after which it is reasonable', () => {
    const { body } = renderFollowUpIssue(succeededRecord(), now)
    const items = body.split('\n').filter((line) => line.startsWith('- [ ] '))
    expect(items[0]).toContain('Verify the app on the new database')
    expect(items.some((item) => item.includes('`acme-api::DATABASE`'))).toBe(true)
    expect(items.some((item) => item.includes('`ANALYTICS_POOL`'))).toBe(true)
    expect(items.some((item) => item.includes('credential `analyst`'))).toBe(true)
    expect(items.some((item) => item.includes('follower `postgresql-reader-11111`'))).toBe(true)
    expect(items.some((item) => item.includes('backup schedule'))).toBe(true)
    expect(items.at(-1)).toBe(
      '- [ ] After 2026-11-28, destroy the old database: `heroku addons:destroy postgresql-curved-12345 --app acme-web --confirm acme-web`',
    )
    expect(body).toContain('Keep it until **2026-11-28**')
  })

  it('leaves out checklist items for things that were not there', () => {
    const record = succeededRecord()
    record.leftovers = {
      otherAppAttachments: [],
      nonDefaultPoolers: [],
      credentials: [],
      followers: [],
      backupSchedule: false,
    }
    const items = renderFollowUpIssue(record, now)
      .body.split('\n')
      .filter((line) => line.startsWith('- [ ] '))
    expect(items).toHaveLength(2)
  })

  it('offers to detach the helper attachment the action gave the follower', () => {
    const record = succeededRecord()
    record.newDatabase!.attachments.push(holdAttachmentName(record.oldDatabase!.addonId))
    const { body } = renderFollowUpIssue(record, now)
    expect(body).toMatch(
      /- \[ \] Optionally, detach `UPGRADE_HOLD_[0-9A-F]{6}`.*`heroku addons:detach UPGRADE_HOLD_[0-9A-F]{6} --app acme-web`/,
    )
    expect(renderFollowUpIssue(succeededRecord(), now).body).not.toContain('UPGRADE_HOLD_')
  })

  it('links the workflow run when it is known', () => {
    const { body } = renderFollowUpIssue(succeededRecord(), now, {
      runUrl: 'https://github.com/acme/web/actions/runs/42',
    })
    expect(body).toContain('[this workflow run](https://github.com/acme/web/actions/runs/42)')
  })

  it('stays under GitHub’s 65,536-character limit for any record', () => {
    const record = succeededRecord()
    record.warnings = Array.from({ length: 500 }, () => 'w'.repeat(5000))
    record.leftovers!.otherAppAttachments = Array.from({ length: 2000 }, (_, i) => `app-${i}::DATABASE`)
    const { body } = renderFollowUpIssue(record, now)
    expect(body.length).toBeLessThanOrEqual(ISSUE_BODY_MAX_CHARS)
    expect(body.length).toBeLessThan(65_536)
  })
})
