// The report's long sentences, each written by one named builder: the exact text a person reads.
import { describe, expect, it } from 'vitest'
import type { PlanReport, RunRecord } from '../../src/record/record'
import { failedLine } from '../../src/report/summary-headline'
import { planHeading, refusedPlanHeading, rollbackPointLine } from '../../src/report/summary-plan'
import { revertedLine } from '../../src/report/summary-standing'
import { helperAttachmentLine } from '../../src/report/issue'
import { followerLeftProblem } from '../../src/report/leftovers'
import { leftForHerokuText } from '../../src/record/left-for-heroku'
import { oldDatabase, rolledBackRecord } from './fixtures'

const OLD = oldDatabase()

function failed(overrides: Partial<RunRecord>): RunRecord {
  return { ...rolledBackRecord(), status: 'failed', ...overrides }
}

const PLAN: PlanReport = {
  id: 'p2-1a2b-3c4d-5e6f-7a8b-9c0d-1e2f-3a4b',
  target: 'PG 17 on standard-0',
  estimatedDowntimeMs: 95_000,
  steps: [],
  blockers: [],
  carriedOver: [],
  staysBehind: [],
}

describe('the headline of a run that failed after Heroku took a change', () => {
  const serving = { id: OLD.addonId, name: OLD.addonName }
  const readAt = '2026-11-21T10:07:00.000Z'
  it('still under way, done in place, switched, or of unknown fate', () => {
    const reason = ' The verify step failed.'
    expect(
      failedLine(
        failed({
          endState: { readAt, serving, version: '14.17', plan: OLD.plan, underWay: 'an upgrade in progress' },
        }),
        reason,
      ),
    ).toMatchInlineSnapshot(
      `"**Failed while Heroku carries on**: acme-web's DATABASE \`postgresql-curved-12345\` has an upgrade in progress, which cannot be stopped; Heroku finishes it on its own. Read "Where things stand" below. The verify step failed."`,
    )
    expect(
      failedLine(
        failed({
          endState: { readAt, serving, version: '17.2', plan: OLD.plan },
          irreversible: { step: 'upgrade', addon: serving, what: 'The in-place upgrade' },
        }),
        reason,
      ),
    ).toMatchInlineSnapshot(
      `"**Failed after the upgrade**: acme-web's DATABASE \`postgresql-curved-12345\` is now PG 17.2 on standard-0 (was PG 14.17 on standard-0); what failed came after it and did not undo it. The verify step failed."`,
    )
    expect(
      failedLine(
        failed({
          endState: { readAt, serving, version: '14.17', plan: 'heroku-postgresql:standard-2' },
          irreversible: { step: 'changeover', addon: serving, what: 'The plan change' },
        }),
        reason,
      ),
    ).toMatchInlineSnapshot(
      `"**Failed after the plan change**: acme-web's DATABASE \`postgresql-curved-12345\` is now PG 14.17 on standard-2 (was PG 14.17 on standard-0); what failed came after it and did not undo it. The verify step failed."`,
    )
    expect(
      failedLine(
        failed({
          endState: {
            readAt,
            serving: { id: 'other', name: 'postgresql-silky-67890' },
            version: '17.2',
            plan: OLD.plan,
          },
        }),
        reason,
      ),
    ).toMatchInlineSnapshot(
      `"**Failed after the switch**: acme-web's DATABASE now points at \`postgresql-silky-67890\` (PG 17.2), but the run did not finish. Read "Where things stand" below. The verify step failed."`,
    )
    expect(
      failedLine(
        failed({ irreversibleSent: { step: 'upgrade', addon: serving, what: 'The in-place upgrade' } }),
        '',
      ),
    ).toMatchInlineSnapshot(
      `"**Failed, outcome unknown**: The in-place upgrade was sent and whether Heroku received it could not be found out. Read "Where things stand" below."`,
    )
    expect(failedLine(failed({}), reason)).toBeUndefined()
  })
})

describe('the method and the plan', () => {
  it('the rollback point of a backup-restore run', () => {
    expect(rollbackPointLine({ name: 'b042', app: 'acme-web' }, OLD.addonName)).toMatchInlineSnapshot(
      `"Rollback point: the backup \`b042\` of \`postgresql-curved-12345\`, taken with every writer stopped: \`heroku pg:backups:info b042 --app acme-web\`."`,
    )
    expect(rollbackPointLine({ name: 'b042', app: 'acme-web' }, undefined)).toMatchInlineSnapshot(
      `"Rollback point: the backup \`b042\` of \`the old database\`, taken with every writer stopped: \`heroku pg:backups:info b042 --app acme-web\`."`,
    )
  })

  it('the heading of a plan that runs, with a window or without', () => {
    expect(planHeading(PLAN, false)).toMatchInlineSnapshot(`
      "### Plan

      Target: PG 17 on standard-0 · Plan id \`p2-1a2b-3c4d-5e6f-7a8b-9c0d-1e2f-3a4b\` · estimated window: about **1m30s**."
    `)
    expect(planHeading({ ...PLAN, target: undefined }, true)).toMatchInlineSnapshot(`
      "### Plan

      Plan id \`p2-1a2b-3c4d-5e6f-7a8b-9c0d-1e2f-3a4b\` · estimated window: about **1m30s** (no window: Heroku makes the change with the app up)."
    `)
  })

  it('the heading of a refused plan, its findings said above or below', () => {
    expect(refusedPlanHeading({ ...PLAN, blockers: ['one'] }, true)).toMatchInlineSnapshot(`
      "### Plan

      Target: PG 17 on standard-0 · Plan id \`p2-1a2b-3c4d-5e6f-7a8b-9c0d-1e2f-3a4b\` · **refused**: no step runs until the blocking finding (above) is fixed, so no steps or estimate are listed."
    `)
    expect(refusedPlanHeading({ ...PLAN, blockers: ['one', 'two'] }, false)).toMatchInlineSnapshot(`
      "### Plan

      Target: PG 17 on standard-0 · Plan id \`p2-1a2b-3c4d-5e6f-7a8b-9c0d-1e2f-3a4b\` · **refused**: no step runs until the blocking findings are fixed, so no steps or estimate are listed."
    `)
  })
})

describe('where things stand', () => {
  it('a switch undone before the app reopened, and why', () => {
    const old = '`postgresql-curved-12345`'
    const record = failed({ switchOutcome: 'reverted' })
    expect(revertedLine(record, old)).toMatchInlineSnapshot(
      `"- DATABASE_URL points at the **old** database \`postgresql-curved-12345\` again: the switch did not reach the dynos and was undone before the app reopened, so no write was lost."`,
    )
    expect(
      revertedLine({ ...record, verifyCommand: { verdict: 'timed-out', durationMs: 600_000 } }, old),
    ).toMatchInlineSnapshot(
      `"- DATABASE_URL points at the **old** database \`postgresql-curved-12345\` again: verify-command timed out, so the switch was undone before the app reopened, so no write was lost."`,
    )
    expect(
      revertedLine({ ...record, verifyCommand: { verdict: 'failed', exitCode: 1, durationMs: 4_000 } }, old),
    ).toMatchInlineSnapshot(
      `"- DATABASE_URL points at the **old** database \`postgresql-curved-12345\` again: verify-command failed, so the switch was undone before the app reopened, so no write was lost."`,
    )
  })
})

describe('the follow-up issue and what stays behind', () => {
  it('the hold to detach, and a follower to recreate', () => {
    expect(helperAttachmentLine('UPGRADE_HOLD_1A2B3C', OLD.addonName, 'acme-web')).toMatchInlineSnapshot(
      `"- [ ] Optionally, detach \`UPGRADE_HOLD_1A2B3C\`, the extra name this action gave the new database so that no other run would upgrade \`postgresql-curved-12345\` at the same time: \`heroku addons:detach UPGRADE_HOLD_1A2B3C --app acme-web\`"`,
    )
    expect(followerLeftProblem('postgresql-rigid-40213')).toMatchInlineSnapshot(
      `"The follower \`postgresql-rigid-40213\` still follows the old database. Recreate it on the new one, on the plan it needs (Heroku may refuse followers of a freshly forked database for a while), then destroy the old follower."`,
    )
  })
})

describe('what is left for Heroku to run by itself', () => {
  const addon = { id: OLD.addonId, name: OLD.addonName }
  it('an upgrade at a known time, a plan change at the next window', () => {
    const record = failed({})
    expect(
      leftForHerokuText(record, {
        kind: 'upgrade',
        addon,
        what: 'the upgrade to PG 17',
        runsAt: '2026-12-10T16:00:00Z',
        window: 'Thursdays 16:00 to 20:00 UTC',
        moved:
          'the maintenance window started before window-end (14:00), so it was moved to Thursdays 16:00 UTC',
      }),
    ).toMatchInlineSnapshot(
      `"Heroku runs the upgrade to PG 17 by itself at 2026-12-10 16:00 UTC (the start of the maintenance window, Thursdays 16:00 to 20:00 UTC), with the app up and every writer running: the database is unavailable or read-only meanwhile, and nothing stops the app's writes first. This run found that the maintenance window started before window-end (14:00), so it was moved to Thursdays 16:00 UTC. Run phase switch before then to do it in a window of your own, or cancel it: heroku pg:upgrade:cancel postgresql-curved-12345 -a acme-web."`,
    )
    expect(
      leftForHerokuText(record, { kind: 'plan-change', addon, what: 'the change to standard-2' }),
    ).toMatchInlineSnapshot(
      `"Heroku runs the change to standard-2 by itself at the start of the database's next maintenance window, with the app up and every writer running: the database is unavailable or read-only meanwhile, and nothing stops the app's writes first. Run phase switch before then to do it in a window of your own, or put it off a week: heroku data:maintenances:schedule postgresql-curved-12345 --weeks 1 -a acme-web (Heroku runs it anyway by its required-by date)."`,
    )
  })
})
