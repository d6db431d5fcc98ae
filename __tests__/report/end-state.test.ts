// The outcome of a run that did not finish, as a table: for each thing Heroku may report at the end, the
// status, the headline, the outputs and the next steps say the same, and say what Heroku reports.
import { describe, expect, it } from 'vitest'
import { concludeFailure } from '../../src/engine/outcome'
import { Journal } from '../../src/record/journal'
import type { EndState, RunRecord } from '../../src/record/record'
import { outputsFor } from '../../src/report/outputs'
import { outcomeLine } from '../../src/report/summary'
import { oldDatabase } from './fixtures'

const OLD = oldDatabase()
const UPGRADE = {
  step: 'upgrade' as const,
  addon: { id: OLD.addonId, name: OLD.addonName },
  what: `the in-place upgrade of ${OLD.addonName}`,
}
const PLAN_CHANGE = {
  step: 'plan-change' as const,
  addon: { id: OLD.addonId, name: OLD.addonName },
  what: `the plan change of ${OLD.addonName} to heroku-postgresql:standard-2`,
}

function end(version: string, extra: Partial<EndState> = {}): EndState {
  return {
    serving: { id: OLD.addonId, name: OLD.addonName },
    version,
    plan: OLD.plan,
    readAt: '2026-11-21T10:10:00.000Z',
    ...extra,
  }
}

/** An in-place or plan-change run stopped in its window (closed again by the recovery). */
function stopped(fields: Partial<RunRecord>): RunRecord {
  return {
    schema: 1,
    app: 'acme-web',
    method: fields.irreversible?.step === 'plan-change' ? 'plan-change' : 'in-place',
    status: 'running',
    startedAt: '2026-11-21T10:00:00.000Z',
    oldDatabase: OLD,
    windowOpenedAt: '2026-11-21T10:01:00.000Z',
    windowClosedAt: '2026-11-21T10:09:00.000Z',
    steps: [{ name: 'upgrade', phase: 'switch', title: 'Upgrading', startedAt: '2026-11-21T10:02:00.000Z' }],
    warnings: [],
    ...fields,
  }
}

interface Row {
  name: string
  record: RunRecord
  status: string
  headline: RegExp
  version: string
  next: RegExp
  notNext?: RegExp
}

const ROWS: Row[] = [
  {
    name: 'accepted, finished by the time the run ended',
    record: stopped({ irreversible: UPGRADE, endState: end('17.5') }),
    status: 'failed',
    headline: /^\*\*Failed after the upgrade\*\*: .* is now PG 17\.5 on standard-0 \(was PG 14\.17/,
    version: '17.5',
    next: /happened: postgresql-curved-12345 is acme-web's DATABASE, now PG 17\.5/,
    notNext: /did not happen|not changed/,
  },
  {
    name: 'accepted, still running',
    record: stopped({
      irreversible: UPGRADE,
      endState: end('14.17', { underWay: 'an upgrade in progress (step 4/7: running pg_upgrade)' }),
    }),
    status: 'failed',
    headline: /^\*\*Failed while Heroku carries on\*\*: .* has an upgrade in progress \(step 4\/7/,
    version: '14.17',
    next: /still running .*heroku pg:upgrade:wait postgresql-curved-12345 -a acme-web/,
    notNext: /not changed/,
  },
  {
    name: 'refused by Heroku: nothing was sent that took effect',
    record: stopped({ endState: end('14.17') }),
    status: 'rolled-back',
    headline: /^\*\*Rolled back\*\*/,
    version: '14.17',
    next: /still the primary database/,
    notNext: /started|cannot be undone|accepted/,
  },
  {
    name: 'sent, outcome never found out',
    record: stopped({ irreversibleSent: UPGRADE }),
    status: 'failed',
    headline: /^\*\*Failed, outcome unknown\*\*/,
    version: '14.17',
    next: /could not be found out: check with heroku pg:upgrade:wait/,
    notNext: /not changed/,
  },
  {
    name: 'plan change accepted and done',
    record: stopped({
      irreversible: PLAN_CHANGE,
      endState: end('14.17', { plan: 'heroku-postgresql:standard-2' }),
    }),
    status: 'failed',
    headline: /^\*\*Failed after the plan change\*\*: .* on standard-2 \(was PG 14\.17 on standard-0\)/,
    version: '14.17',
    next: /happened: .* now PG 14\.17 on heroku-postgresql:standard-2/,
  },
]

describe('a run that did not finish is reported from what Heroku says at the end', () => {
  it.each(ROWS)('$name', (row) => {
    const record = structuredClone(row.record)
    new Journal(record, () => {}, Date.now).concluded(concludeFailure(record, { cancelled: true }))
    const outputs = outputsFor(record)
    expect(record.status).toBe(row.status)
    expect(outputs.status).toBe(row.status)
    expect(outcomeLine(record)).toMatch(row.headline)
    expect(outputs['new-version']).toBe(row.version)
    expect(outputs['new-database']).toBe(OLD.addonName)
    const next = (record.nextSteps ?? []).join('\n')
    expect(next).toMatch(row.next)
    if (row.notNext) expect(next).not.toMatch(row.notNext)
  })
})
