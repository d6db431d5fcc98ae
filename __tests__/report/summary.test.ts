import { describe, expect, it } from 'vitest'
import { renderSummary, SUMMARY_MAX_CHARS } from '../../src/report/summary'
import { failedAfterPromoteRecord, oldDatabase, rolledBackRecord, succeededRecord } from './fixtures'

describe('renderSummary', () => {
  it('states a success in one line with both databases, versions and the measured downtime', () => {
    const markdown = renderSummary(succeededRecord())
    expect(markdown).toContain(
      "**Succeeded**: acme-web's DATABASE moved from postgresql-curved-12345 (PG 14.17) to postgresql-silky-67890 (PG 17.2) with 42s of downtime.",
    )
  })

  it('shows pg:info fields of the old and the new database side by side', () => {
    const markdown = renderSummary(succeededRecord())
    expect(markdown).toContain(
      '| Field | Before: `postgresql-curved-12345` | After: `postgresql-silky-67890` |',
    )
    expect(markdown).toContain('| PG Version | 14.17 | 17.2 |')
    expect(markdown).toContain('| Plan | Standard 0 | Standard 0 |')
    expect(markdown).toContain('| Tables | 61 | 61 |')
    expect(markdown).toContain('| Following | — | — |')
    // A URL value is shown the way pg:info shows a URL it cannot name: host:port/dbname.
    expect(markdown).toContain('| Forked From | — | ec2-54-1-2-3.compute-1.amazonaws.com:5432/d1abc2def3 |')
  })

  it('lists every step with its duration and the maintenance window as the downtime', () => {
    const markdown = renderSummary(succeededRecord())
    expect(markdown).toContain('| Upgrade the follower to PG 17 | 10:05:55 UTC | 25s | done |')
    expect(markdown).toContain('| Wait for the follower to catch up | 10:03:20 UTC | 2m30s | done |')
    expect(markdown).toContain(
      'Maintenance window (measured downtime): **42s**, from 10:05:50 UTC to 10:06:32 UTC.',
    )
  })

  it('draws a mermaid gantt chart whose window bar spans exactly the downtime', () => {
    const record = succeededRecord()
    const markdown = renderSummary(record)
    const chart = markdown.match(/```mermaid\n([\s\S]*?)\n```/)?.[1]
    expect(chart).toBeDefined()
    expect(chart).toMatch(/^(?:%%\{init: .*\}%%\n)?gantt\n/)
    expect(chart).toContain('dateFormat x')
    const start = Date.parse(record.windowOpenedAt as string)
    const end = Date.parse(record.windowClosedAt as string)
    expect(chart).toContain(`Downtime 42s :crit, window, ${start}, ${end}`)
    expect(chart).toContain('section Switch (maintenance window)')
    // Steps before the window belong to the "app up" section, the upgrade to the window section.
    const [before, window] = (chart as string).split('section Switch (maintenance window)')
    expect(before).toContain('Create the follower')
    expect(window).toContain('Upgrade the follower to PG 17')
    expect(window).not.toContain('Create the follower')
  })

  it('warns about everything that stays on the old database, with the commands that fix it', () => {
    const markdown = renderSummary(succeededRecord())
    expect(markdown).toContain('### Left behind on the old database')
    expect(markdown).toContain(
      'heroku addons:attach postgresql-silky-67890 --app acme-api --as DATABASE --confirm acme-api',
    )
    expect(markdown).toContain('`ANALYTICS_POOL`')
    expect(markdown).toContain(
      'heroku pg:credentials:create postgresql-silky-67890 --name analyst --app acme-web',
    )
    expect(markdown).toContain('`postgresql-reader-11111`')
    expect(markdown).toContain('heroku pg:backups:schedule postgresql-silky-67890')
  })

  it('says nothing is left behind when nothing is', () => {
    const record = succeededRecord()
    record.leftovers = {
      otherAppAttachments: [],
      nonDefaultPoolers: [],
      credentials: [],
      followers: [],
      backupSchedule: false,
    }
    expect(renderSummary(record)).not.toContain('Left behind')
  })

  it('after a rollback says the app is on the old database, names the follower left in place and how to retry', () => {
    const markdown = renderSummary(rolledBackRecord())
    expect(markdown).toContain(
      '**Rolled back**: acme-web is up on its old database postgresql-curved-12345 (PG 14.17), unchanged',
    )
    expect(markdown).toContain('DATABASE_URL still points at the **old** database `postgresql-curved-12345`')
    expect(markdown).toContain('`postgresql-silky-67890`, was left in place')
    expect(markdown).toContain('re-run the workflow with the same inputs')
    expect(markdown).toContain(
      'heroku addons:destroy postgresql-silky-67890 --app acme-web --confirm acme-web',
    )
    expect(markdown).toContain('Maintenance mode and the formation were restored')
    expect(markdown).toContain(
      '| Upgrade the follower to PG 17 | 10:05:55 UTC | 15s | **failed** | failed at step 3 |',
    )
    expect(markdown).not.toContain('Left behind')
  })

  it('after a failure past the promote says where DATABASE points, how to restore the app and how to roll back', () => {
    const markdown = renderSummary(failedAfterPromoteRecord())
    expect(markdown).toContain(
      "**Failed after the switch**: acme-web's DATABASE now points at postgresql-silky-67890 (PG 17.2)",
    )
    expect(markdown).toContain('DATABASE_URL points at the **new** database `postgresql-silky-67890`')
    expect(markdown).toContain('heroku ps:scale web=2:standard-2x worker=1:standard-1x --app acme-web')
    expect(markdown).toContain('heroku maintenance:off --app acme-web')
    expect(markdown).toContain('- Look at the release phase log: `heroku releases:output --app acme-web`')
    expect(markdown).toContain('release phase exited 1')
    expect(markdown).toContain('Downtime (window never closed)')
  })

  it('without next steps from the run, tells how to finish or roll back after the switch', () => {
    const markdown = renderSummary({ ...failedAfterPromoteRecord(), nextSteps: undefined })
    expect(markdown).toContain(
      'To roll back, promote the old database again: `heroku pg:promote postgresql-curved-12345 --app acme-web`',
    )
    expect(markdown).not.toContain('re-run the workflow with the same inputs')
  })

  it('the run’s own next steps replace the generic advice', () => {
    const markdown = renderSummary({
      ...rolledBackRecord(),
      nextSteps: ['Re-run this workflow: it resumes with the follower postgresql-silky-67890.'],
    })
    expect(markdown).toContain('- Re-run this workflow: it resumes with the follower postgresql-silky-67890.')
    expect(markdown).not.toContain('re-run the workflow with the same inputs')
  })

  it('a failure before anything changed says the app was never taken down', () => {
    const record = rolledBackRecord()
    const markdown = renderSummary({
      ...record,
      status: 'failed',
      windowOpenedAt: undefined,
      windowClosedAt: undefined,
      error: 'The follower did not catch up within 2h.',
    })
    expect(markdown).toContain("**Failed**: acme-web's DATABASE is still postgresql-curved-12345 (PG 14.17)")
    expect(markdown).toContain('acme-web was never put into maintenance')
  })

  it('stays under its size cap even with huge errors and thousands of warnings', () => {
    const record = failedAfterPromoteRecord()
    record.error = 'x'.repeat(2_000_000)
    record.warnings = Array.from({ length: 5000 }, (_, i) => `warning ${i} ${'y'.repeat(2000)}`)
    const markdown = renderSummary(record)
    expect(markdown.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS)
    expect(Buffer.byteLength(markdown)).toBeLessThan(1024 * 1024)
    expect(markdown).toContain('…and 4950 more')
  })

  it('an in-place upgrade names the one add-on and both versions', () => {
    const record = succeededRecord()
    record.method = 'in-place'
    record.switchOutcome = undefined
    record.newDatabase = { ...oldDatabase(), version: '17.2' }
    expect(renderSummary(record)).toContain(
      "**Succeeded**: acme-web's DATABASE postgresql-curved-12345 went from PG 14.17 on standard-0 to PG 17.2 on standard-0 with 42s of downtime.",
    )
  })

  it('a skipped run says nothing was changed and why', () => {
    const record = {
      ...rolledBackRecord(),
      status: 'skipped' as const,
      error: 'postgresql-curved-12345 is already on PG 17.',
    }
    expect(renderSummary(record)).toContain(
      '**Skipped**: nothing was changed on acme-web. postgresql-curved-12345 is already on PG 17.',
    )
    expect(renderSummary(record)).not.toContain('Where things stand')
  })

  it('an interrupted run names the step it stopped in', () => {
    const record = failedAfterPromoteRecord()
    record.status = 'running'
    record.steps.push({
      name: 'verify',
      phase: 'switch',
      title: 'Verify DATABASE_URL',
      startedAt: record.steps.at(-1)!.startedAt,
    })
    const markdown = renderSummary(record)
    expect(markdown).toContain('**Interrupted**: the run on acme-web stopped during "Verify DATABASE_URL"')
    expect(markdown).toContain('| Verify DATABASE_URL | 10:06:20 UTC | unfinished | interrupted |')
  })

  it('draws no maintenance window when the app was never taken down', () => {
    const base = rolledBackRecord()
    const record = {
      ...base,
      windowOpenedAt: undefined,
      windowClosedAt: undefined,
      steps: base.steps.filter((step) => step.phase === 'prepare'),
    }
    const markdown = renderSummary(record)
    expect(markdown).toContain('```mermaid')
    expect(markdown).not.toContain('section Switch (maintenance window)')
    expect(markdown).not.toContain('Maintenance window (measured downtime)')
  })
})
