import { describe, expect, it } from 'vitest'
import { outputsFor } from '../../src/report/outputs'
import { failedAfterPromoteRecord, rolledBackRecord, succeededRecord } from './fixtures'

describe('outputsFor', () => {
  it('reports a success with both databases, both versions and whole seconds of downtime', () => {
    expect(outputsFor({ ...succeededRecord(), issueUrl: 'https://github.com/acme/web/issues/7' })).toEqual({
      status: 'succeeded',
      method: 'follower',
      'old-database': 'postgresql-curved-12345',
      'new-database': 'postgresql-silky-67890',
      'old-version': '14.17',
      'new-version': '17.2',
      'downtime-seconds': '42',
      'issue-url': 'https://github.com/acme/web/issues/7',
      'plan-id': '',
      'estimated-downtime-seconds': '',
      'heroku-runs-at': '',
    })
  })

  it('rounds the downtime to whole seconds', () => {
    const record = succeededRecord()
    record.windowClosedAt = new Date(Date.parse(record.windowOpenedAt as string) + 41_600).toISOString()
    expect(outputsFor(record)['downtime-seconds']).toBe('42')
  })

  it('after a rollback, the database serving DATABASE_URL is still the old one', () => {
    const outputs = outputsFor(rolledBackRecord())
    expect(outputs.status).toBe('rolled-back')
    expect(outputs['new-database']).toBe('postgresql-curved-12345')
    expect(outputs['new-version']).toBe('14.17')
    expect(outputs['downtime-seconds']).toBe('25')
    expect(outputs['issue-url']).toBe('')
  })

  it('after a failure past the promote, the new database serves and the downtime is not measurable', () => {
    const outputs = outputsFor(failedAfterPromoteRecord())
    expect(outputs.status).toBe('failed')
    expect(outputs['new-database']).toBe('postgresql-silky-67890')
    expect(outputs['downtime-seconds']).toBe('')
  })

  it('a run that never opened the window had zero downtime', () => {
    const record = { ...rolledBackRecord(), windowOpenedAt: undefined, windowClosedAt: undefined }
    expect(outputsFor(record)['downtime-seconds']).toBe('0')
  })

  it('an interrupted (still running) record is reported as failed', () => {
    expect(outputsFor({ ...failedAfterPromoteRecord(), status: 'running' }).status).toBe('failed')
  })

  it('an in-place upgrade keeps the add-on and reports its new version', () => {
    const record = succeededRecord()
    record.method = 'in-place'
    record.switchOutcome = undefined
    record.newDatabase = { ...record.oldDatabase!, version: '17.2' }
    const outputs = outputsFor(record)
    expect(outputs['new-database']).toBe('postgresql-curved-12345')
    expect(outputs['new-version']).toBe('17.2')
  })
})
