// The long messages, each written by one named builder: the exact text a person reads, for each branch.
import { describe, expect, it } from 'vitest'
import {
  creatingDatabaseTitle,
  credentialAttachmentLeftNote,
  credentialRecreatedWarning,
  largeTransferWarning,
} from '../../src/domain/messages/databases'
import {
  heldByAnotherRunRefusal,
  heldInPlaceRefusal,
  staleFollowerRefusal,
} from '../../src/domain/messages/holds'
import {
  alsoStoppedNote,
  credentialAttachmentsRefusal,
  staysAttachedWarning,
  unmanageableAppRefusal,
  unreachableWriterRefusal,
} from '../../src/domain/messages/other-apps'
import {
  changeoverStillPreparingRefusal,
  noChangeoverOpenRefusal,
  preparedEarlierWarning,
  upgradeNotReadyMessage,
  upgradeStillPreparingRefusal,
  windowEndTooFarWarning,
  windowMovedNote,
} from '../../src/domain/messages/prepared'
import {
  databaseOfOtherAppRefusal,
  inPlaceKeepsPlanRefusal,
  inPlaceLegacyPlanRefusal,
  inPlaceSameVersionRefusal,
  maintenanceOpenRefusal,
  overStorageRefusal,
  planChangeKeepsVersionRefusal,
  planIdChangedRefusal,
  planTierChangeRefusal,
  shieldTransferRefusal,
  upgradeUnderWayRefusal,
  verifyCommandWithoutStepRefusal,
} from '../../src/domain/messages/refusals'
import {
  keptRunningWarning,
  leftDownMessage,
  leftRunningWarning,
  oneOffDynosWarning,
  overMaxDowntimeRefusal,
  pastWindowEndRefusal,
  wroteAfterUnfollowMessage,
  writersTimeoutMessage,
} from '../../src/domain/messages/window'
import {
  credentialsReleaseFailedMessage,
  verifyFailedNothingMovedMessage,
} from '../../src/domain/messages/switch'

const OLD = 'postgresql-curved-12345'
const NEW = 'acme-web-upgrade-1001'
const APP = 'acme-web'
const WORKER = { type: 'worker', quantity: 1, size: 'standard-1x' }
const CLOCK = { type: 'clock', quantity: 1, size: 'standard-1x' }

describe('messages about the other apps attached to the database', () => {
  it('an app that could not reach the new database', () => {
    const refusal = {
      app: 'acme-reports',
      running: [WORKER],
      oldName: OLD,
      attachments: ['DATABASE', 'REPORTS_DB'],
      targetPlan: 'private-0',
    }
    expect(unreachableWriterRefusal({ ...refusal, space: 'acme-space' })).toMatchInlineSnapshot(
      `"acme-reports runs dynos (worker=1:standard-1x) attached to postgresql-curved-12345 as DATABASE, REPORTS_DB, but it is in the Private Space acme-space and could not reach the new private-0 database: it would keep writing to the old one. Scale it to zero or detach it before the upgrade."`,
    )
    expect(unreachableWriterRefusal({ ...refusal, space: null })).toMatchInlineSnapshot(
      `"acme-reports runs dynos (worker=1:standard-1x) attached to postgresql-curved-12345 as DATABASE, REPORTS_DB, but it is outside the Private Space and could not reach the new private-0 database: it would keep writing to the old one. Scale it to zero or detach it before the upgrade."`,
    )
  })

  it('attachments through a credential, and an app the key cannot manage', () => {
    expect(
      credentialAttachmentsRefusal(OLD, [
        { app: 'acme-reports', name: 'READER', namespace: 'credential:reader' },
        { app: 'acme-batch', name: 'ANALYTICS', namespace: 'credential:analytics' },
      ]),
    ).toMatchInlineSnapshot(
      `"postgresql-curved-12345 is attached to other apps through credentials that the new database would not have: acme-reports::READER (credential:reader), acme-batch::ANALYTICS (credential:analytics). Those apps would keep writing to the old database. Detach them (heroku addons:detach) or move them by hand before the upgrade."`,
    )
    expect(
      unmanageableAppRefusal(OLD, 'acme-partner', 'GET /apps/acme-partner answered 403'),
    ).toMatchInlineSnapshot(
      `"postgresql-curved-12345 is also attached to acme-partner, which this API key cannot manage (GET /apps/acme-partner answered 403): its dynos would keep writing to the old database. Give the key access to acme-partner, or detach postgresql-curved-12345 from it."`,
    )
  })

  it('an app the window stops too, moved with the database or not', () => {
    const note = {
      app: 'acme-reports',
      oldName: OLD,
      attachments: ['DATABASE'],
      windowApp: APP,
      formation: [WORKER, CLOCK],
    }
    expect(alsoStoppedNote({ ...note, moved: true })).toMatchInlineSnapshot(
      `"acme-reports is also attached to postgresql-curved-12345 (DATABASE): it is stopped during the window like acme-web (worker=1:standard-1x, clock=1:standard-1x) and moved to the new database with it."`,
    )
    expect(alsoStoppedNote({ ...note, formation: [], moved: false })).toMatchInlineSnapshot(
      `"acme-reports is also attached to postgresql-curved-12345 (DATABASE): it is stopped during the window like acme-web (no processes)."`,
    )
  })

  it('an app that stays attached to the old database outside the Private Space', () => {
    const stays = { app: 'acme-reports', oldName: OLD, attachments: ['DATABASE', 'OLD_DB'] }
    expect(staysAttachedWarning({ ...stays, space: 'acme-space', owner: true })).toMatchInlineSnapshot(
      `"acme-reports stays attached to the old database postgresql-curved-12345 (as DATABASE, OLD_DB): it cannot reach a database in acme-space. It owns postgresql-curved-12345, which stays billed to it until you destroy it."`,
    )
    expect(staysAttachedWarning({ ...stays, owner: false })).toMatchInlineSnapshot(
      `"acme-reports stays attached to the old database postgresql-curved-12345 (as DATABASE, OLD_DB): it cannot reach a database in the Private Space."`,
    )
  })
})

describe('messages about the hold', () => {
  it('held by another run, in place, or by a follower that stopped following', () => {
    expect(
      heldByAnotherRunRefusal({
        oldName: OLD,
        holder: 'workflow run 1001 (https://github.com/acme/web/actions/runs/1001)',
        addon: NEW,
        attachment: 'UPGRADE_HOLD_1A2B3C',
        app: APP,
      }),
    ).toMatchInlineSnapshot(
      `"postgresql-curved-12345 is held by workflow run 1001 (https://github.com/acme/web/actions/runs/1001): its follower acme-web-upgrade-1001 is attached as UPGRADE_HOLD_1A2B3C. Two runs at once would take the app down twice and lose writes, so this run changes nothing. If that run is still going, let it finish. If it crashed, re-run that same workflow run to resume it, or release the hold with heroku addons:destroy acme-web-upgrade-1001 -a acme-web --confirm acme-web."`,
    )
    expect(heldInPlaceRefusal('UPGRADE_HOLD_1A2B3C', OLD, APP)).toMatchInlineSnapshot(
      `"postgresql-curved-12345 is held by an in-place or plan-change run of this action: UPGRADE_HOLD_1A2B3C is attached to the database itself. Two runs at once would take the app down twice, so this run changes nothing. If that run is still going (or left a prepared upgrade or plan change for phase switch), let it finish. If it crashed, release the hold with heroku addons:detach UPGRADE_HOLD_1A2B3C -a acme-web."`,
    )
    expect(
      staleFollowerRefusal({ addon: NEW, attachment: 'UPGRADE_HOLD_1A2B3C', oldName: OLD, app: APP }),
    ).toMatchInlineSnapshot(
      `"An earlier run left acme-web-upgrade-1001 (UPGRADE_HOLD_1A2B3C), which no longer follows postgresql-curved-12345 (an upgrade or unfollow had started), so writes made since then are not in it. Remove it with heroku addons:destroy acme-web-upgrade-1001 -a acme-web --confirm acme-web and re-run."`,
    )
  })
})

describe('refusals of an input or a method', () => {
  it('plans: across the Essential edge, and too small for the data', () => {
    expect(
      planTierChangeRefusal({
        plan: 'essential-1',
        tier: 'an Essential plan',
        from: 'standard-0',
        allowed: 'standard-0, standard-2 or premium-0',
      }),
    ).toMatchInlineSnapshot(
      `"Input "plan" is "essential-1", an Essential plan, but the database is on standard-0: Heroku changes plans only within the Essential tier or only above it. Allowed: standard-0, standard-2 or premium-0, or method copy to move the data to a new database."`,
    )
    expect(
      overStorageRefusal({ plan: 'essential-0', holds: '1 GB', database: OLD, size: '8 GB' }),
    ).toMatchInlineSnapshot(
      `"Input "plan" is "essential-0", which holds 1 GB, and postgresql-curved-12345 holds 8 GB: on Heroku a database over its plan's storage is "Over Plan Capacity" and then loses write access. Allowed: a plan with more storage than 8 GB."`,
    )
  })

  it('verify-command without a window, and plan-change asked for a version', () => {
    expect(verifyCommandWithoutStepRefusal('plan-change')).toMatchInlineSnapshot(
      `"Input "verify-command" is set, but method plan-change has no step that runs it: Heroku carries out the change on its own with the app up, so a failed check could not stop or undo anything. Remove verify-command, or choose a method with a window (follower, copy, backup-restore, in-place)."`,
    )
    expect(
      planChangeKeepsVersionRefusal({ version: '16.4', major: 16, targetVersion: '17' }),
    ).toMatchInlineSnapshot(
      `"The method "plan-change" keeps the Postgres version (16.4), and the target is PG 17. Set "version" to 16 to change only the plan, or use method follower for both."`,
    )
    expect(planChangeKeepsVersionRefusal({ version: '16.4', major: 16 })).toMatchInlineSnapshot(
      `"The method "plan-change" keeps the Postgres version (16.4), and the target is the newest PG Heroku supports. Set "version" to 16 to change only the plan, or use method follower for both."`,
    )
  })

  it('a data maintenance or an upgrade already open on Heroku', () => {
    expect(
      maintenanceOpenRefusal({
        oldName: OLD,
        app: APP,
        reason: 'plan change',
        status: 'ready',
        scheduledFor: '2026-12-10T16:00:00Z',
      }),
    ).toMatchInlineSnapshot(
      `"postgresql-curved-12345 has a data maintenance open on Heroku (plan change, status ready, runs by itself at 2026-12-10T16:00:00Z). Run it with method plan-change and the same plan, or let it finish (heroku data:maintenances:info postgresql-curved-12345 -a acme-web) first."`,
    )
    expect(
      maintenanceOpenRefusal({ oldName: OLD, app: APP, reason: null, status: 'pending' }),
    ).toMatchInlineSnapshot(
      `"postgresql-curved-12345 has a data maintenance open on Heroku (maintenance, status pending). Run it with method plan-change and the same plan, or let it finish (heroku data:maintenances:info postgresql-curved-12345 -a acme-web) first."`,
    )
    expect(upgradeUnderWayRefusal({ oldName: OLD, app: APP, state: 'preparing' })).toMatchInlineSnapshot(
      `"postgresql-curved-12345 already has an upgrade under way on Heroku (preparing). Wait for it to finish (heroku pg:upgrade:wait postgresql-curved-12345 -a acme-web), run it with method in-place, or cancel it (heroku pg:upgrade:cancel postgresql-curved-12345 -a acme-web) first."`,
    )
  })

  it('a database of another app', () => {
    expect(
      databaseOfOtherAppRefusal({
        database: '"acme-api::DATABASE"',
        owner: '"acme-api"',
        app: '"acme-web"',
        allowed:
          'an attachment name (DATABASE), a config var (DATABASE_URL) or an add-on name, at most 100 characters',
      }),
    ).toMatchInlineSnapshot(
      `"Input "database" is "acme-api::DATABASE", which names a database of app "acme-api". This action upgrades the DATABASE of app "acme-web": run it for that app instead. Allowed: an attachment name (DATABASE), a config var (DATABASE_URL) or an add-on name, at most 100 characters, of app "acme-web"."`,
    )
  })

  it('method in-place: a legacy plan, the same version, another plan', () => {
    expect(inPlaceLegacyPlanRefusal({ name: OLD, plan: 'heroku-postgresql:mini' })).toMatchInlineSnapshot(
      `"The method "in-place" needs an Essential or higher plan; postgresql-curved-12345 is on the legacy plan heroku-postgresql:mini, which Heroku cannot upgrade in place. Use method copy with plan essential-0 or higher."`,
    )
    expect(
      inPlaceSameVersionRefusal({ name: OLD, version: '17.2', targetVersion: '17' }),
    ).toMatchInlineSnapshot(
      `"The method "in-place" changes the Postgres version, and postgresql-curved-12345 is already on 17.2. For a plan change use method plan-change."`,
    )
    expect(inPlaceSameVersionRefusal({ name: OLD, version: '17.2' })).toMatchInlineSnapshot(
      `"The method "in-place" changes the Postgres version, and postgresql-curved-12345 is already on 17.2, the newest this action knows. For a plan change use method plan-change."`,
    )
    expect(
      inPlaceKeepsPlanRefusal({
        plan: 'heroku-postgresql:standard-0',
        targetPlan: 'heroku-postgresql:standard-2',
      }),
    ).toMatchInlineSnapshot(
      `"The method "in-place" keeps the plan (heroku-postgresql:standard-0); input "plan" asks for heroku-postgresql:standard-2. Use method follower (version and plan together), or upgrade in place and then run method plan-change."`,
    )
  })

  it('copy or backup-restore with a Shield plan', () => {
    expect(shieldTransferRefusal({ method: 'copy', shield: 'shield-0' })).toMatchInlineSnapshot(
      `"The method "copy" moves the data with pg:copy, which Heroku does not offer for Shield databases (shield-0). Use method follower."`,
    )
    expect(shieldTransferRefusal({ method: 'backup-restore', shield: 'shield-2' })).toMatchInlineSnapshot(
      `"The method "backup-restore" moves the data with PG Backups, which Heroku does not offer for Shield databases (shield-2). Use method follower."`,
    )
  })

  it('a plan-id other than the plan made now', () => {
    const plan = { approved: 'p-1a2b3c4d', now: 'p-5e6f7a8b' }
    expect(planIdChangedRefusal({ ...plan, changed: ['the size', 'the plan'] })).toMatchInlineSnapshot(
      `"Input "plan-id" is p-1a2b3c4d, but the plan made now is p-5e6f7a8b: since it was approved, the size, the plan changed. Nothing was done; run phase plan again and have it approved."`,
    )
    expect(planIdChangedRefusal({ ...plan, changed: [] })).toMatchInlineSnapshot(
      `"Input "plan-id" is p-1a2b3c4d, but the plan made now is p-5e6f7a8b: since it was approved, its facts changed. Nothing was done; run phase plan again and have it approved."`,
    )
  })
})

describe('messages about a change Heroku prepares', () => {
  it('prepared before this run, still preparing, not ready', () => {
    expect(preparedEarlierWarning({ oldName: OLD, app: APP, targetVersion: '17' })).toMatchInlineSnapshot(
      `"postgresql-curved-12345 has an upgrade that Heroku prepared before this run; it runs as it was prepared, to the version asked then, which Heroku does not show (this run asks for PG 17). If that is not the version you want, cancel it first (heroku pg:upgrade:cancel postgresql-curved-12345 -a acme-web) and run phase prepare again."`,
    )
    expect(preparedEarlierWarning({ oldName: OLD, app: APP })).toMatchInlineSnapshot(
      `"postgresql-curved-12345 has an upgrade that Heroku prepared before this run; it runs as it was prepared, to the version asked then, which Heroku does not show. If that is not the version you want, cancel it first (heroku pg:upgrade:cancel postgresql-curved-12345 -a acme-web) and run phase prepare again."`,
    )
    expect(
      upgradeStillPreparingRefusal({ oldName: OLD, app: APP, message: 'Your database is being prepared' }),
    ).toMatchInlineSnapshot(
      `"Phase "switch" runs the upgrade that phase prepare asked for, and Heroku is still preparing it (Your database is being prepared): upgrade/run would be refused inside the window. Wait until heroku pg:upgrade:wait postgresql-curved-12345 -a acme-web says it is scheduled, then run phase switch again."`,
    )
    expect(
      changeoverStillPreparingRefusal({ oldName: OLD, app: APP, status: 'preparing' }),
    ).toMatchInlineSnapshot(
      `"Phase "switch" runs the changeover that phase prepare asked for, and Heroku is still preparing it (maintenance preparing). Wait until heroku data:maintenances:info postgresql-curved-12345 -a acme-web shows status ready, then run phase switch again."`,
    )
    expect(upgradeNotReadyMessage({ database: OLD, app: APP, afterMs: 10 * 60_000 })).toMatchInlineSnapshot(
      `"Heroku still answers that the upgrade of postgresql-curved-12345 is not ready after 10m; nothing started. Wait until heroku pg:upgrade:wait postgresql-curved-12345 -a acme-web has shown it scheduled for a while, then run phase switch again."`,
    )
    expect(noChangeoverOpenRefusal({ oldName: OLD, targetPlan: 'standard-2' })).toMatchInlineSnapshot(
      `"Phase "switch" runs a changeover that phase prepare asked for, and postgresql-curved-12345 has no plan change to standard-2 open on Heroku. Run phase prepare first (or phase all)."`,
    )
  })

  it('the maintenance window moved past window-end, or too far away to move', () => {
    const moved = { windowEnd: '2026-12-12T04:00:00Z', day: 'Sunday', time: '06:00' }
    expect(windowMovedNote({ ...moved, window: 'Sundays 06:00 to 10:00 UTC' })).toMatchInlineSnapshot(
      `"the maintenance window started before window-end (2026-12-12T04:00:00Z), so it was moved to Sundays 06:00 to 10:00 UTC"`,
    )
    expect(windowMovedNote(moved)).toMatchInlineSnapshot(
      `"the maintenance window started before window-end (2026-12-12T04:00:00Z), so it was moved to Sunday 06:00 UTC"`,
    )
    const far = { database: OLD, windowEnd: '2026-12-30T04:00:00Z' }
    expect(windowEndTooFarWarning({ ...far, window: 'Thursdays 22:00 to 02:00 UTC' })).toMatchInlineSnapshot(
      `"Heroku's maintenance window of postgresql-curved-12345 (Thursdays 22:00 to 02:00 UTC) starts before window-end (2026-12-30T04:00:00Z), which is more than a week away: no weekly window can wait that long."`,
    )
    expect(windowEndTooFarWarning(far)).toMatchInlineSnapshot(
      `"Heroku's maintenance window of postgresql-curved-12345 (unknown) starts before window-end (2026-12-30T04:00:00Z), which is more than a week away: no weekly window can wait that long."`,
    )
  })
})

describe('messages about the maintenance window', () => {
  it('why it does not open', () => {
    expect(overMaxDowntimeRefusal(25 * 60_000, 15 * 60_000)).toMatchInlineSnapshot(
      `"The window is expected to take about 25m, more than max-downtime (15m), so it is not opened. Raise max-downtime, or choose a method with a shorter window (the summary lists them)."`,
    )
    expect(pastWindowEndRefusal(25 * 60_000, '04:00', 10 * 60_000)).toMatchInlineSnapshot(
      `"The window is expected to take about 25m, and window-end (04:00) is 10m away, so it is not opened. Run again in the next maintenance window."`,
    )
    expect(pastWindowEndRefusal(25 * 60_000, '04:00', -90_000)).toMatchInlineSnapshot(
      `"The window is expected to take about 25m, and window-end (04:00) is 1m30s past, so it is not opened. Run again in the next maintenance window."`,
    )
  })

  it('what it leaves running', () => {
    expect(leftRunningWarning([WORKER, CLOCK], 10 * 60_000)).toMatchInlineSnapshot(
      `"scale-down leaves worker=1:standard-1x, clock=1:standard-1x running during the window. If they write, the new database never reaches 0 commits behind and the run rolls back after lag-timeout (10m)."`,
    )
    expect(oneOffDynosWarning(['run.1234', 'scheduler.42'], 10 * 60_000)).toMatchInlineSnapshot(
      `"One-off dynos are running now (run.1234, scheduler.42): the window waits for them to end, up to lag-timeout (10m); one-off dynos that start during the window are stopped."`,
    )
    const kept = { app: APP, types: 'worker=1:standard-1x', scaleDown: 'web' }
    expect(
      keptRunningWarning({ ...kept, movesData: false, acceptLostWrites: false, database: OLD }),
    ).toMatchInlineSnapshot(
      `"acme-web: worker=1:standard-1x kept running during the window (scale-down is web); what they write reaches postgresql-curved-12345, which the app keeps."`,
    )
    expect(keptRunningWarning({ ...kept, movesData: false, acceptLostWrites: false })).toMatchInlineSnapshot(
      `"acme-web: worker=1:standard-1x kept running during the window (scale-down is web); what they write reaches the database, which the app keeps."`,
    )
    expect(keptRunningWarning({ ...kept, movesData: true, acceptLostWrites: true })).toMatchInlineSnapshot(
      `"acme-web: worker=1:standard-1x kept running during the window (scale-down is web), and accept-lost-writes is true: what they write to the old database once the new one stops receiving its writes is lost. The window goes on once the lag has stayed 0 for longer than a dyno's boot."`,
    )
    expect(keptRunningWarning({ ...kept, movesData: true, acceptLostWrites: false })).toMatchInlineSnapshot(
      `"acme-web: worker=1:standard-1x kept running during the window (scale-down is web): they write to the old database, which the new one stops receiving, so the window waits until their dynos are stopped (within lag-timeout) and rolls back otherwise. Scale them down, or set accept-lost-writes to true to accept losing what they write."`,
    )
  })

  it('why it stops or stays closed', () => {
    const timeout = { lagTimeoutMs: 10 * 60_000, writersLeft: 'dynos still listed: worker.1 (up)' }
    expect(
      writersTimeoutMessage({ ...timeout, lag: true, lastStatus: 'behind by 3 commits' }),
    ).toMatchInlineSnapshot(
      `"Timed out waiting for every writer to stop and the new database to reach 0 commits behind: lag-timeout is 10m (last status: behind by 3 commits). Still able to write: dynos still listed: worker.1 (up). Nothing after this step was done."`,
    )
    expect(writersTimeoutMessage({ ...timeout, lag: false })).toMatchInlineSnapshot(
      `"Timed out waiting for every writer to stop: lag-timeout is 10m. Still able to write: dynos still listed: worker.1 (up). Nothing after this step was done."`,
    )
    expect(wroteAfterUnfollowMessage('worker.1 and clock.1')).toMatchInlineSnapshot(
      `"worker.1 and clock.1 ran after the new database stopped following the old one, so they may have written to the old database only. The switch was not made: the old database is still primary and holds every write."`,
    )
    expect(leftDownMessage(APP, 'the release v42 still shows the old DATABASE_URL')).toMatchInlineSnapshot(
      `"acme-web was left in maintenance with its dynos scaled down, because reopening it could send writes to a database that is not DATABASE: the release v42 still shows the old DATABASE_URL"`,
    )
    expect(leftDownMessage(APP)).toMatchInlineSnapshot(
      `"acme-web was left in maintenance with its dynos scaled down, because reopening it could send writes to a database that is not DATABASE: the switch could not be confirmed"`,
    )
  })
})

describe('messages about the databases the action creates', () => {
  it('a large copy, the provision title, a recreated credential', () => {
    expect(
      largeTransferWarning({
        database: OLD,
        sizeBytes: 12.5 * 1024 ** 3,
        method: 'copy',
        downtimeMs: 23 * 60_000,
        shorter: 'follower',
      }),
    ).toMatchInlineSnapshot(
      `"postgresql-curved-12345 holds 12.5 GB: Heroku advises copy only under 10 GB. The app would be down for about 25m while the data goes over; method follower keeps the window short."`,
    )
    expect(
      creatingDatabaseTitle({ plan: 'heroku-postgresql:standard-0', version: '17', name: NEW }),
    ).toMatchInlineSnapshot(
      `"Creating a new database on heroku-postgresql:standard-0, PG 17, named acme-web-upgrade-1001 (app still up)"`,
    )
    expect(creatingDatabaseTitle({ plan: 'heroku-postgresql:standard-0', name: NEW })).toMatchInlineSnapshot(
      `"Creating a new database on heroku-postgresql:standard-0, the newest PG Heroku supports, named acme-web-upgrade-1001 (app still up)"`,
    )
    expect(credentialRecreatedWarning({ name: 'reader', database: NEW, app: APP })).toMatchInlineSnapshot(
      `"The credential reader was recreated on acme-web-upgrade-1001 with a new password: whoever used it must take the new URL (heroku pg:credentials:url acme-web-upgrade-1001 --name reader -a acme-web)."`,
    )
    expect(
      credentialAttachmentLeftNote({
        attachment: 'READER_DB',
        credential: 'reader',
        database: NEW,
        app: APP,
      }),
    ).toMatchInlineSnapshot(
      `"READER_DB (credential reader) still points at the old database: heroku addons:attach acme-web-upgrade-1001 --credential reader --as READER_DB -a acme-web --confirm acme-web"`,
    )
  })
})

describe('messages about the checks after the switch', () => {
  it('the release after the changeover failed', () => {
    expect(
      credentialsReleaseFailedMessage({
        version: 42,
        app: APP,
        description: 'Update DATABASE by heroku-postgresql',
      }),
    ).toMatchInlineSnapshot(
      `"Release v42 of acme-web (Update DATABASE by heroku-postgresql) failed after the changeover: the dynos may still hold the old credentials. Check heroku releases -a acme-web, then heroku ps:restart -a acme-web."`,
    )
  })

  it('verify-command failed and nothing moved', () => {
    const why = 'verify-command exited with code 1 after 12s'
    expect(
      verifyFailedNothingMovedMessage({
        why,
        irreversible: 'the upgrade of postgresql-curved-12345 to PG 17',
      }),
    ).toMatchInlineSnapshot(
      `"verify-command exited with code 1 after 12s. Nothing moved in this run, so there is no switch to undo: the upgrade of postgresql-curved-12345 to PG 17 cannot be undone, and the app reopens on it."`,
    )
    expect(verifyFailedNothingMovedMessage({ why })).toMatchInlineSnapshot(
      `"verify-command exited with code 1 after 12s. Nothing moved in this run, so there is no switch to undo: the app reopens as it was."`,
    )
  })
})
