// Issue 18: the defects seen in the summaries and the issue rendered in a browser (scripts/screenshots.ts),
// each read back from the rendered Markdown or the Mermaid text. Numbered as the review listed them.
import { describe, expect, it } from 'vitest'
import { formatDuration, formatEstimate, formatProseDuration } from '../../src/domain/duration'
import { renderGantt } from '../../src/report/gantt'
import { renderFollowUpIssue } from '../../src/report/issue'
import { outputsFor } from '../../src/report/outputs'
import { renderSummary } from '../../src/report/summary'
import { describeChanges } from '../../src/steps/window'
import type { RunRecord, StepRecord } from '../../src/record/record'
import { cleanUpAfterEachTest, FAST, job, simulator } from '../action/simulated'
import { oldDatabase, rolledBackRecord, succeededRecord } from './fixtures'

cleanUpAfterEachTest()

const HOUR = 3_600_000

/** The cells of the timeline row whose step title starts with `title`. */
function timelineRow(summary: string, title: string): string[] {
  const timeline = summary.slice(summary.indexOf('### Timeline'))
  const line = timeline.split('\n').find((candidate) => candidate.startsWith(`| ${title}`))
  if (!line) throw new Error(`no timeline row "${title}" in:\n${timeline}`)
  return line
    .slice(2, -2)
    .split(' | ')
    .map((cell) => cell.trim())
}

/** The bullets under a bold heading of "Where things stand" (`What to do next`), or its first list. */
function bullets(summary: string, after: string): string[] {
  const rest = summary.slice(summary.indexOf(after) + after.length).replace(/^\s+/, '')
  return rest
    .split('\n\n')[0]!
    .split('\n')
    .filter((line) => line.startsWith('- '))
}

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((match) => match[1]!)
}

/** An in-place run of real length: a 6-hour prepare, then an 8-minute window, as the screenshots run it. */
function sixHourInPlace(status: RunRecord['status'] = 'succeeded'): RunRecord {
  const t0 = Date.parse('2026-12-07T15:22:37.000Z')
  const at = (seconds: number): string => new Date(t0 + seconds * 1000).toISOString()
  const step = (
    name: StepRecord['name'],
    phase: StepRecord['phase'],
    title: string,
    from: number,
    to: number,
    detail?: string,
  ): StepRecord => ({
    name,
    phase,
    title,
    startedAt: at(from),
    endedAt: at(to),
    outcome: 'ok',
    ...(detail ? { detail } : {}),
  })
  const old = oldDatabase()
  const prepare = step(
    'prepare-upgrade',
    'prepare',
    `Preparing the upgrade of ${old.addonName} to PG 17 (app still up)`,
    112,
    112 + 6 * 3600 + 323,
    'ready; Heroku runs it by itself at 2026-12-10T16:00:00Z (in 72h29m17s) unless phase switch runs it first',
  )
  const windowSteps =
    status === 'prepared'
      ? []
      : [
          step('window-open', 'switch', 'Opening the window', 21976, 21986),
          step('writers-stop', 'switch', 'Waiting for every writer to stop', 21986, 22018),
          step('upgrade', 'switch', `Upgrading ${old.addonName} in place to PG 17`, 22018, 22443),
          step('window-close', 'switch', 'Restoring formation and maintenance', 22447, 22467),
          step('release-hold', 'cleanup', `Releasing the hold on ${old.addonName}`, 22468, 22472),
        ]
  return {
    ...succeededRecord(),
    method: 'in-place',
    status,
    // The run starts before its first step and ends after its last: the report's total is the run's.
    startedAt: at(-2),
    endedAt: at(status === 'prepared' ? 112 + 6 * 3600 + 330 : 22474),
    windowOpenedAt: status === 'prepared' ? undefined : at(21982),
    windowClosedAt: status === 'prepared' ? undefined : at(22465),
    newDatabase: status === 'prepared' ? undefined : { ...old, version: '17.5' },
    createdAddon: undefined,
    leftovers: undefined,
    preparedChange: {
      kind: 'upgrade',
      addon: { id: old.addonId, name: old.addonName },
      what: `the prepared upgrade of ${old.addonName} to PG 17`,
      runsAt: '2026-12-10T16:00:00.000Z',
    },
    irreversible:
      status === 'prepared'
        ? undefined
        : { step: 'upgrade', addon: { id: old.addonId, name: old.addonName }, what: 'the upgrade' },
    steps: [
      step(
        'preflight',
        'prepare',
        `Preflight (read-only): ${old.addonName} on heroku-postgresql:standard-0`,
        0,
        101,
      ),
      step('hold', 'prepare', `Holding ${old.addonName} for this run (UPGRADE_HOLD_50488C)`, 101, 112),
      prepare,
      ...windowSteps,
    ],
  }
}

describe('1. the chart’s section titles have room of their own', () => {
  it('every chart starts with an init directive that widens the left margin past the longest title', () => {
    const charts = mermaidBlocks(renderSummary(sixHourInPlace()))
    expect(charts).toHaveLength(2)
    for (const chart of charts) {
      const init = /^%%\{init: (.*)\}%%\ngantt\n/.exec(chart)
      expect(init, chart).not.toBeNull()
      const config = JSON.parse(init![1]!) as { gantt: { leftPadding: number } }
      const sections = [...chart.matchAll(/^ {2}section (.+)$/gm)].map((match) => match[1]!)
      expect(sections.length).toBeGreaterThan(0)
      // Mermaid's gantt font is 11 px: its characters average under 7 px.
      const longest = Math.max(...sections.map((title) => title.length))
      expect(config.gantt.leftPadding).toBeGreaterThanOrEqual(longest * 7)
    }
  })
})

describe('2. the 6-hour prepare’s detail: a readable date, a rounded wait, true when read after the run', () => {
  it('a run that went on to run the upgrade says so in the past, with no raw instant', () => {
    const detail = timelineRow(renderSummary(sixHourInPlace()), 'Preparing the upgrade')[4]!
    expect(detail).toContain('2026-12-10 16:00 UTC')
    expect(detail).toMatch(/this run then ran it/)
    expect(detail).not.toMatch(/\d{4}-\d\d-\d\dT|72h29m17s|unless phase switch runs it first/)
  })

  it('a prepare-only run says when Heroku runs it, rounded to days', () => {
    const detail = timelineRow(renderSummary(sixHourInPlace('prepared')), 'Preparing the upgrade')[4]!
    expect(detail).toBe(
      'ready; Heroku runs it by itself at 2026-12-10 16:00 UTC, 3 days after it was ready, unless a run with phase switch runs it first',
    )
  })

  it('prose durations round; formatDuration keeps its exact notation for inputs and plan ids', () => {
    const long = 72 * HOUR + 29 * 60_000 + 17_000
    expect(formatProseDuration(long)).toBe('3 days')
    expect(formatProseDuration(6 * HOUR + 5 * 60_000 + 23_000)).toBe('6h5m')
    expect(formatProseDuration(42_000)).toBe('42s')
    expect(formatDuration(long)).toBe('72h29m17s')
  })
})

describe('3. one total for the run', () => {
  it('the close-up chart’s title quotes the total the header gives', () => {
    const summary = renderSummary(sixHourInPlace())
    const total = /total time: (\S+)/.exec(summary)?.[1]
    expect(total).toBe(formatDuration(22476_000))
    const closeUp = mermaidBlocks(summary)[1]!
    expect(closeUp).toContain(`of the run's ${total})`)
  })
})

describe('4. a rolled-back lead quotes Heroku as Heroku, about the database it was about', () => {
  const herokuFailure =
    'The upgrade of acme-web-upgrade-1 failed: (3/7) The upgrade failed at step 3/7 (stopping writes to the database). Your database is still on Postgres 14.17. Contact support or try again.'

  function rolledBack(): RunRecord {
    const record = rolledBackRecord()
    record.error = herokuFailure
    record.nextSteps = [
      'postgresql-curved-12345 is still the primary database (DATABASE_URL); it was not changed.',
      'The database acme-web-upgrade-1 stopped following postgresql-curved-12345 and cannot be reused: remove it with heroku addons:destroy acme-web-upgrade-1 -a acme-web --confirm acme-web, then re-run this workflow.',
    ]
    return record
  }

  it('no "Your database", no advice against the next steps; Heroku’s first sentence, attributed', () => {
    const summary = renderSummary(rolledBack())
    const lead = summary.split('\n').find((line) => line.startsWith('**Rolled back**'))!
    expect(lead).toContain(
      'The upgrade of acme-web-upgrade-1 failed; Heroku said of acme-web-upgrade-1: "The upgrade failed at step 3/7 (stopping writes to the database)."',
    )
    expect(lead).toMatch(/database\)\."$/)
    expect(summary).not.toMatch(/Your database|Contact support/)
  })

  it('the first thing to do is not the first thing that stands', () => {
    const summary = renderSummary(rolledBack())
    const stands = bullets(summary, '### Where things stand')
    const next = bullets(summary, '**What to do next**')
    expect(next.length).toBeGreaterThan(0)
    expect(next[0]).not.toMatch(/still the primary database/)
    expect(next[0]).toContain('`heroku addons:destroy acme-web-upgrade-1 -a acme-web --confirm acme-web`')
    expect(stands[0]).toMatch(/still points at the \*\*old\*\* database/)
  })
})

describe('5. a target the preflight refuses', () => {
  it('no plan of steps for it, the allowed versions named, a remedy, the error once', async () => {
    const sim = await simulator()
    const failed = await job(sim, { method: 'auto', version: '13' }).main(FAST)
    expect(failed.outputs.status, failed.log).toBe('failed')
    const summary = failed.summary
    expect(summary).not.toContain('| # | Phase | Step | Estimate |')
    expect(summary).not.toMatch(/PG 13 \(app still up\)|estimated window/)
    expect(summary).toContain('Allowed: 15, 16, 17, 18.')
    expect(summary).not.toContain('a version newer than')
    const next = bullets(summary, '**What to do next**')
    expect(next[0]).toBe(
      '- Set the input `version` to one of `15`, `16`, `17` or `18`, then run the workflow again.',
    )
    const sentence = 'which is older than postgresql-curved-12345'
    expect(summary.split(sentence).length - 1).toBe(1)
  })
})

describe('6. estimates without false precision', () => {
  it('rounded to the minute from 5 minutes and to 5 minutes from 20, the numeric output exact', async () => {
    expect(formatEstimate(23 * 60_000 + 5_000)).toBe('25m')
    expect(formatEstimate(8 * 60_000 + 25_000)).toBe('8m')
    expect(formatEstimate(15_000)).toBe('15s')
    const sim = await simulator()
    const planned = await job(sim, { method: 'follower', phase: 'plan' }).main(FAST)
    expect(planned.outputs.status, planned.log).toBe('planned')
    const estimates = [...planned.summary.matchAll(/about \**([0-9hms]+)/g)].map((match) => match[1]!)
    expect(estimates.length).toBeGreaterThan(5)
    for (const estimate of estimates) expect(estimate).not.toMatch(/(?:[5-9]|\d\d)m\d+s|h\d*m?\d+s/)
    expect(planned.summary).toMatch(/\| Upgrading \S+ to PG 17 \| about 23m \|/)
    expect(outputsFor(planned.record!)['estimated-downtime-seconds']).toBe(
      String(planned.record!.plan!.estimatedDowntimeMs / 1000),
    )
  })
})

describe('7. titles are actions, details are states', () => {
  it('the window’s steps read as the plan named them, with the state they left in the detail', async () => {
    const sim = await simulator()
    const run = await job(sim, { method: 'follower' }).main(FAST)
    expect(run.outputs.status, run.log).toBe('succeeded')
    const open = timelineRow(run.summary, 'Opening the window')
    expect(open[4]).toMatch(/^acme-web: maintenance on, web=0/)
    const close = timelineRow(run.summary, 'Restoring formation and maintenance')
    expect(close[4]).toMatch(/^restored acme-web: web=2/)
    expect(close[4]!.split('acme-web').length - 1).toBe(1)
    expect(run.summary).not.toMatch(/^\| (?:acme-web: maintenance on|Restored )/m)
  })

  it('changes of one app name it once; of two apps, each once', () => {
    expect(
      describeChanges([
        'acme-web: web=2:Standard-2X',
        'acme-web: maintenance off',
        'acme-api: maintenance off',
      ]),
    ).toBe('acme-web: web=2:Standard-2X, maintenance off; acme-api: maintenance off')
  })
})

describe('8. chart labels are shortened between words', () => {
  it('a long title loses whole words, never half of one, and no dangling "to"', () => {
    const record = succeededRecord()
    const titles = [
      'Creating a follower of postgresql-curved-12345 on heroku-postgresql:standard-0, named acme-web-upgrade-1',
      'Waiting for every writer to stop and acme-web-upgrade-1 to be behind by 0 commits',
      'Preparing the upgrade of postgresql-curved-12345 to PG 17 (app still up)',
    ]
    record.steps = record.steps.map((step, index) =>
      index >= 1 && index <= 3 ? { ...step, title: titles[index - 1]! } : step,
    )
    const chart = mermaidBlocks(renderGantt(record))[0]!
    const labels = [...chart.matchAll(/^ {4}(.+?) :/gm)].map((match) => match[1]!)
    const cut = labels.filter((label) => label.endsWith('…'))
    expect(cut).toHaveLength(3)
    for (const label of cut) {
      const kept = label.slice(0, -1)
      const title = titles.find((candidate) => candidate.replace(/:/g, ' ').startsWith(kept))
      expect(title, label).toBeDefined()
      expect(title![kept.length], label).toMatch(/[ ,(]/)
      expect(kept).not.toMatch(/\b(?:to|on|of|and)$|\($/)
    }
    expect(labels).toContain('Preflight (read-only)')
  })
})

describe('9. one date-time format in the summary and the issue', () => {
  it('Heroku’s dates and the capture time read YYYY-MM-DD HH:MM UTC', () => {
    const record = succeededRecord()
    record.oldDatabase!.info.push(
      { name: 'Created', values: ['2026-10-08 15:18'] },
      { name: 'Rollback', values: ['earliest from 2026-11-17 10:00 UTC'] },
    )
    record.oldDatabase!.capturedAt = '2026-11-21T10:00:19.831Z'
    const issue = renderFollowUpIssue(record, new Date('2026-11-21T10:07:00Z')).body
    expect(issue).toContain('| Created | 2026-10-08 15:18 UTC |')
    expect(issue).toContain('| Described at | 2026-11-21 10:00 UTC |')
    const dateTimes = [...issue.matchAll(/\d{4}-\d\d-\d\d[ T]\d\d:\d\d\S*(?: UTC)?/g)].map(
      (match) => match[0],
    )
    expect(dateTimes.length).toBe(3)
    for (const text of dateTimes) expect(text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/)
  })

  it('what is left for Heroku reads the same way in the summary', () => {
    const summary = renderSummary({ ...sixHourInPlace('prepared'), newDatabase: undefined })
    expect(summary).toContain('at 2026-12-10 16:00 UTC')
    expect(summary).not.toMatch(/\d{4}-\d\d-\d\dT\d\d/)
  })
})

describe('10. a failed step does not look like downtime', () => {
  it('the failed bar has its own tags and says it failed', () => {
    const chart = mermaidBlocks(renderGantt(rolledBackRecord()))[0]!
    const tagsOf = (line: string): string =>
      line
        .split(' :')[1]!
        .split(', ')
        .filter((t) => /^(?:crit|done|active|milestone)$/.test(t))
        .join(',')
    const downtime = chart.split('\n').find((line) => line.includes('Downtime'))!
    const failed = chart.split('\n').find((line) => line.includes('Upgrade the follower'))!
    expect(tagsOf(downtime)).toBe('crit')
    expect(tagsOf(failed)).not.toBe(tagsOf(downtime))
    expect(tagsOf(failed)).toBe('crit,done')
    expect(failed.trim()).toMatch(/^Failed - Upgrade the follower to PG 17 :/)
  })
})
