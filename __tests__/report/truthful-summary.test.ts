// Issue 18, "Reports that never say something false": each statement a reviewer found false or confusing in a
// rendered summary or issue, read back from the rendered Markdown. The plan, the early failure and the
// repeated error are read from real runs against the simulator; the rest from the records a run writes.
import { describe, expect, it } from 'vitest'
import { formatDuration, parseDuration, roundEstimate } from '../../src/domain/duration'
import * as format from '../../src/report/format'
import { needsWindowCloseUp, renderGantt } from '../../src/report/gantt'
import { renderFollowUpIssue } from '../../src/report/issue'
import { outputsFor } from '../../src/report/outputs'
import { leftForHerokuText } from '../../src/record/left-for-heroku'
import { renderSummary } from '../../src/report/summary'
import { caughtUpDetail } from '../../src/methods/follower'
import { withoutLag } from '../../src/methods/shared-steps'
import { holdAttachmentName, holdAttachmentOn, legacyHoldAttachmentName } from '../../src/domain/identity'
import type { RunRecord, StepRecord } from '../../src/record/record'
import { cleanUpAfterEachTest, FAST, job, simulator } from '../action/simulated'
import {
  failedAfterPromoteRecord,
  newDatabase,
  oldDatabase,
  rolledBackRecord,
  succeededRecord,
} from './fixtures'

cleanUpAfterEachTest()
const now = new Date('2026-11-21T12:00:00.000Z')

/** The rows of the plan's step table: number, phase, step, estimate. */
function planRows(summary: string): string[][] {
  const plan = summary.slice(summary.indexOf('### Plan'))
  const table = plan.slice(plan.indexOf('| # | Phase | Step | Estimate |'))
  const lines = table.split('\n')
  return lines.slice(2, lines.indexOf('')).map((line) =>
    line
      .slice(2, -2)
      .split(' | ')
      .map((cell) => cell.trim()),
  )
}

describe('1. the plan an approver reads lists the real steps, named, numbered from 1, each with its estimate', () => {
  for (const method of ['follower', 'copy', 'backup-restore', 'in-place'])
    it(`${method}: no "undefined", steps 1..n, the window's estimates add up to the estimated window`, async () => {
      const sim = await simulator()
      const planned = await job(sim, { method, phase: 'plan' }, { GITHUB_RUN_ID: '4242' }).main(FAST)
      expect(planned.outputs.status, planned.log).toBe('planned')
      const summary = planned.summary
      expect(summary).not.toMatch(/undefined/)
      const rows = planRows(summary)
      expect(rows.map((row) => row[0])).toEqual(rows.map((_, index) => String(index + 1)))
      expect(rows[0]![2]).toMatch(/^Preflight/)
      const steps = planned.record!.plan!.steps
      expect(rows.slice(1).map((row) => row[2])).toEqual(steps.map((step) => step.title))
      const windowMs = rows
        .filter((row) => row[1] === 'switch (window)' && row[3]!.startsWith('about '))
        .reduce((sum, row) => sum + (parseDuration(row[3]!.slice('about '.length)) ?? Number.NaN), 0)
      // Estimates are rounded (to the minute from 5 minutes): the shares add up to the headline within a minute.
      const estimated = roundEstimate(planned.record!.plan!.estimatedDowntimeMs)
      expect(Math.abs(windowMs - estimated)).toBeLessThanOrEqual(60_000)
      expect(summary).toContain(`estimated window: about **${formatDuration(estimated)}**`)
      expect(summary).not.toMatch(/about \**(?:\d+h)?(?:[5-9]|\d\d)m\d+s/)
      // A plan has run nothing but its preflight: it has no chart of milliseconds.
      expect(summary).not.toContain('```mermaid')
      if (method !== 'in-place') {
        expect(summary).toContain('acme-web-upgrade-4242')
        const named = rows.filter((row) =>
          /^(Promoting|Verifying|Copying|Restoring the backup|Upgrading)/.test(row[2]!),
        )
        expect(named.length).toBeGreaterThan(0)
        for (const row of named) expect(row[2]).toContain('acme-web-upgrade-4242')
      }
    })
})

describe('2. the hold is named for what it is, for every method', () => {
  it('the attachment is a hold, and a hold under the previous release’s name is still the hold', () => {
    const id = oldDatabase().addonId
    expect(holdAttachmentName(id)).toMatch(/^UPGRADE_HOLD_[0-9A-F]{6}$/)
    expect(holdAttachmentOn(id, ['DATABASE'])).toBe(holdAttachmentName(id))
    expect(holdAttachmentOn(id, ['DATABASE', legacyHoldAttachmentName(id)])).toBe(
      legacyHoldAttachmentName(id),
    )
  })

  it('the issue never calls the database of a copy a follower, and offers to detach either name', () => {
    for (const name of [holdAttachmentName, legacyHoldAttachmentName]) {
      const record = { ...succeededRecord(), method: 'copy' as const }
      record.newDatabase!.attachments.push(name(record.oldDatabase!.addonId))
      const { body } = renderFollowUpIssue(record, now)
      expect(body).not.toContain('while it was a follower')
      expect(body).toMatch(
        /the extra name this action gave the new database so that no other run would upgrade/,
      )
      expect(body).toContain(`\`heroku addons:detach ${name(record.oldDatabase!.addonId)} --app acme-web\``)
    }
  })

  it('a copy run attaches its new database under the hold’s name, and its summary says "follower" nowhere', async () => {
    const sim = await simulator()
    const result = await job(sim, { method: 'copy' }).main(FAST)
    expect(result.outputs.status, result.log).toBe('succeeded')
    expect(result.record?.newDatabase?.attachments.join(' ')).toMatch(/UPGRADE_HOLD_[0-9A-F]{6}/)
    // The method table names the follower method as an alternative; nothing else may say "follower".
    const lines = result.summary.split('\n').filter((line) => !line.startsWith('| `follower` |'))
    expect(lines.filter((line) => /follower/i.test(line))).toEqual([])
    // 4. No follower, no lag: the wait for the writers says nothing of commits.
    expect(result.summary).not.toMatch(/behind by/)
  })
})

function essentialPlanChange(): RunRecord {
  const old = { ...oldDatabase(), plan: 'heroku-postgresql:essential-0' }
  return {
    ...succeededRecord(),
    method: 'plan-change',
    oldDatabase: old,
    newDatabase: { ...old, plan: 'heroku-postgresql:essential-1' },
    createdAddon: undefined,
    windowOpenedAt: undefined,
    windowClosedAt: undefined,
    leftovers: undefined,
    choice: { method: 'plan-change', reason: 'only the plan changes', downtimeMs: 60_000, alternatives: [] },
  }
}

describe('3. no window is not "without any downtime"', () => {
  it('an Essential plan change says the app stayed up and what Heroku’s change was estimated at', () => {
    const summary = renderSummary(essentialPlanChange())
    expect(summary).not.toContain('without any downtime')
    expect(summary).toMatch(
      /\*\*Succeeded\*\*.*with the app up throughout \(no maintenance window; .*about 1m\)/,
    )
  })
})

describe('4 and 5. a step is "done" only beside words that agree with it', () => {
  it('the wait for writers of a method without a follower says nothing of commits', () => {
    expect(withoutLag('no writer left; behind by 0 commits')).toBe('no writer left')
    expect(withoutLag('behind by 0 commits for 30s with acme-web worker.1 running')).toBe(
      'acme-web worker.1 kept running (as the settings ask); no other writer left after 30s',
    )
  })

  it('a catch-up that ends at 130 commits says why that is done, and the summary shows that last reading', () => {
    const detail = caughtUpDetail(
      'behind by 130 commits; postgresql-curved-12345 also attached as HEROKU_POSTGRESQL_BLUE',
    )
    expect(detail).toMatch(/^close enough to open the window: behind by 130 commits at the last reading/)
    expect(detail).toMatch(/the rest drains in the window/)
    const record = succeededRecord()
    record.steps[2] = { ...record.steps[2]!, detail }
    const row = renderSummary(record)
      .split('\n')
      .find((line) => line.startsWith('| Wait for the follower to catch up'))
    expect(row).toMatch(/\| done \| close enough to open the window: behind by 130 commits/)
    expect(caughtUpDetail('behind by 0 commits; x')).toBe('caught up: behind by 0 commits; x')
  })
})

describe('6 and 7. an early failure names no method it never chose, no `?`, and says its error once', () => {
  it('a refused API key: no "Method: follower", no `?`, the error once', async () => {
    const sim = await simulator()
    const failed = await job(sim, { method: 'auto', 'heroku-api-key': 'not-the-key' }).main(FAST)
    expect(failed.outputs.status, failed.log).toBe('failed')
    const summary = failed.summary
    expect(summary).not.toMatch(/follower/i)
    expect(summary).not.toContain('`?`')
    expect(summary).toContain('Method: none chosen')
    expect(summary).toContain(
      '**Failed before any change**: nothing on acme-web was touched. The Heroku API key was refused',
    )
    expect(summary).not.toContain('finds what this run created')
    expect(failed.outputs.method).toBe('')
    const firstLine = failed.record!.error!.split('\n')[0]!.replace(/[.:]$/, '')
    expect(summary.split(firstLine).length - 1).toBe(1)
  })

  it('preflight blockers: each sentence once, the headline points at the list', async () => {
    const sim = await simulator()
    const failed = await job(sim, { method: 'plan-change', version: '' }).main(FAST)
    expect(failed.outputs.status, failed.log).toBe('failed')
    const blockers = failed.record!.plan!.blockers
    expect(blockers.length).toBeGreaterThan(1)
    const summary = failed.summary
    for (const blocker of blockers) {
      const words = blocker.slice(0, 60)
      expect(summary.split(words).length - 1, words).toBe(1)
    }
    expect(summary).toMatch(/\*\*Failed\*\*.*Preflight found \d+ problems \(below\)\./)
    expect(summary).not.toContain('problems:.')
  })

  it('an error too long for the headline is shown whole once, below it', () => {
    const record = rolledBackRecord()
    record.error = `Heroku answered ${'x'.repeat(400)} END`
    const summary = renderSummary(record)
    expect(summary).toMatch(/\*\*Rolled back\*\*.*Heroku answered x+….$/m)
    expect(summary.split('END').length - 1).toBe(1)
    expect(summary).toContain('**Details**')
  })

  it('a rollback’s error sits in the headline alone, not again in the timeline', () => {
    const record = rolledBackRecord()
    record.steps[5] = { ...record.steps[5]!, detail: record.error }
    const summary = renderSummary(record)
    expect(summary.split('failed at step 3 (Request-Id 1234abcd)').length - 1).toBe(1)
    expect(summary).toContain('| the error above |')
  })
})

describe('8. remedies read as code', () => {
  it('next steps, blockers and warnings set every heroku command in backticks', () => {
    const record = failedAfterPromoteRecord()
    record.warnings = ['Check it with heroku pg:info DATABASE --app acme-web, then decide.']
    const summary = renderSummary(record)
    expect(summary).toContain('- Look at the release phase log: `heroku releases:output --app acme-web`')
    expect(summary).toContain('- Check it with `heroku pg:info DATABASE --app acme-web`, then decide.')
    expect(summary).not.toMatch(/[^`]heroku [a-z]+:[a-z]/)
  })

  it('a 100 kB run of word characters is read in linear time (it took 7 s before)', () => {
    const started = Date.now()
    const text = format.prose(`heroku addons:info ${'a-'.repeat(50_000)}`)
    expect(text.startsWith('`heroku addons:info a-a-')).toBe(true)
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  it('a command inside prose ends where the prose goes on', () => {
    expect(
      format.prose(
        'Remove it (heroku addons:destroy acme-web-upgrade-1 -a acme-web --confirm acme-web) and re-run.',
      ),
    ).toBe(
      'Remove it (`heroku addons:destroy acme-web-upgrade-1 -a acme-web --confirm acme-web`) and re-run.',
    )
    expect(format.prose('the heroku CLI')).toBe('the heroku CLI')
  })
})

describe('9. one duration format everywhere', () => {
  it('the report has no formatter of its own, and writes what the log and the inputs write', () => {
    expect('formatDuration' in format).toBe(false)
    const summary = renderSummary(succeededRecord())
    const issue = renderFollowUpIssue(succeededRecord(), now).body
    for (const text of [summary, issue]) {
      expect(text).toContain('42s')
      expect(text).not.toMatch(/\d (?:s|min|h)\b/)
    }
    expect(summary).toContain('| Wait for the follower to catch up | 10:03:20 UTC | 2m30s |')
    expect(parseDuration(formatDuration(2 * 3_600_000 + 5 * 60_000 + 7_000))).toBe(7_507_000)
  })
})

/** A real-length follower run: a 6-hour prepare, then a 25-minute window. */
function sixHourRecord(): RunRecord {
  const t0 = Date.parse('2026-11-21T00:00:00.000Z')
  const at = (minutes: number): string => new Date(t0 + minutes * 60_000).toISOString()
  const step = (
    name: StepRecord['name'],
    phase: StepRecord['phase'],
    title: string,
    from: number,
    to: number,
  ) => ({ name, phase, title, startedAt: at(from), endedAt: at(to), outcome: 'ok' }) as StepRecord
  return {
    ...succeededRecord(),
    startedAt: at(0),
    endedAt: at(386),
    windowOpenedAt: at(360),
    windowClosedAt: at(385),
    newDatabase: newDatabase(),
    steps: [
      step('preflight', 'prepare', 'Preflight', 0, 1),
      step('provision', 'prepare', 'Creating a follower', 1, 120),
      step('catch-up', 'prepare', 'Waiting for acme-web-upgrade-1 to catch up', 120, 360),
      step('window-open', 'switch', 'Opening the window', 360, 361),
      step('upgrade', 'switch', 'Upgrading acme-web-upgrade-1 to PG 17', 361, 383),
      step('window-close', 'switch', 'Restoring formation and maintenance', 383, 385),
      step('carry-over', 'cleanup', 'Carrying over', 385, 386),
    ],
  }
}

describe('10. the chart stays legible whatever the run’s length', () => {
  it('a 25-minute window after a 6-hour prepare gets a chart of its own', () => {
    const record = sixHourRecord()
    expect(needsWindowCloseUp(record)).toBe(true)
    const charts = renderGantt(record).split('```mermaid').slice(1)
    expect(charts).toHaveLength(2)
    expect(charts[0]).toContain('axisFormat %H:%M\n')
    expect(charts[0]).toContain('Creating a follower')
    const closeUp = charts[1]!
    expect(closeUp).toContain("title acme-web - the maintenance window alone (25m of the run's 6h26m)")
    expect(closeUp).toContain('axisFormat %H:%M:%S')
    expect(closeUp).toContain(
      `Downtime 25m :crit, window, ${Date.parse(record.windowOpenedAt!)}, ${Date.parse(record.windowClosedAt!)}`,
    )
    expect(closeUp).toContain('Upgrading acme-web-upgrade-1 to PG 17 :done')
    expect(closeUp).not.toMatch(/Creating a follower|Carrying over|section Prepare|section Cleanup/)
    expect(renderSummary(record).split('```mermaid')).toHaveLength(3)
  })

  it('a window that is a fair share of the run stays in the one chart', () => {
    const record = succeededRecord()
    const run = Date.parse(record.endedAt!) - Date.parse(record.startedAt)
    const window = Date.parse(record.windowClosedAt!) - Date.parse(record.windowOpenedAt!)
    expect(window / run).toBeLessThan(0.2)
    record.steps = record.steps.filter((step) => step.name !== 'provision' && step.name !== 'catch-up')
    record.steps[0] = {
      ...record.steps[0]!,
      startedAt: new Date(Date.parse(record.windowOpenedAt!) - 60_000).toISOString(),
    }
    expect(needsWindowCloseUp(record)).toBe(false)
    expect(renderGantt(record).split('```mermaid')).toHaveLength(2)
  })
})

describe('the end state, said once and as it is at the end', () => {
  it('a hold let go after the last snapshot is not listed among the attachments', () => {
    const record = { ...succeededRecord(), hold: { attachment: 'UPGRADE_HOLD_ABC123', released: true } }
    record.newDatabase!.attachments.push('UPGRADE_HOLD_ABC123')
    const row = renderSummary(record)
      .split('\n')
      .find((line) => line.startsWith('| Attachments |'))
    expect(row).toBe('| Attachments | DATABASE | DATABASE, HEROKU_POSTGRESQL_NAVY |')
  })

  it('what is left for Heroku is not said again among the next steps', () => {
    const base = rolledBackRecord()
    const record: RunRecord = {
      ...base,
      method: 'in-place',
      preparedChange: {
        kind: 'upgrade',
        addon: { id: base.oldDatabase!.addonId, name: base.oldDatabase!.addonName },
        what: 'the prepared upgrade of postgresql-curved-12345 to PG 17',
        runsAt: '2026-12-10T15:00:00.000Z',
      },
    }
    const paragraph =
      'Heroku runs the prepared upgrade of postgresql-curved-12345 to PG 17 by itself at 2026-12-10 15:00 UTC'
    // The orchestrator's next steps repeat this paragraph word for word when it leaves a prepared change.
    record.nextSteps = ['Re-run the workflow.', leftForHerokuText(record, record.preparedChange!)]
    const summary = renderSummary(record)
    expect(summary.split(paragraph).length - 1).toBe(1)
    expect(summary).toContain('- Re-run the workflow.')
  })
})

describe('the outputs follow the report', () => {
  it('no method output for a run that never chose one', () => {
    const record: RunRecord = {
      ...rolledBackRecord(),
      status: 'failed',
      choice: undefined,
      steps: [rolledBackRecord().steps[0]!],
    }
    expect(outputsFor(record).method).toBe('')
    expect(outputsFor(succeededRecord()).method).toBe('follower')
  })
})
