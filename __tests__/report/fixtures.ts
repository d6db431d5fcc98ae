// Realistic run records for the report tests: what the orchestrator records for acme-web.

import type { DatabaseSnapshot, RunRecord, StepRecord } from '../../src/record/record'

export const API_KEY = 'hrku-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'
export const DB_PASSWORD = 'p9f8e7d6c5b4a3s2w1o0r9d8'
export const OLD_URL = `postgres://u1a2b3c4d5:${DB_PASSWORD}@ec2-54-1-2-3.compute-1.amazonaws.com:5432/d1abc2def3`

const t0 = Date.parse('2026-11-21T10:00:00.000Z')
const at = (seconds: number): string => new Date(t0 + seconds * 1000).toISOString()

export function oldDatabase(): DatabaseSnapshot {
  return {
    addonId: '6c1b1a4e-0000-4000-8000-000000000001',
    addonName: 'postgresql-curved-12345',
    plan: 'heroku-postgresql:standard-0',
    version: '14.17',
    attachments: ['DATABASE'],
    info: [
      { name: 'Plan', values: ['Standard 0'] },
      { name: 'Status', values: ['Available'] },
      { name: 'PG Version', values: ['14.17'] },
      { name: 'Data Size', values: ['2.0 GB'] },
      { name: 'Tables', values: ['61'] },
      { name: 'Followers', values: ['postgres://ec2-54-9-9-9.compute-1.amazonaws.com:5432/d9zz'] },
      { name: 'Continuous Protection', values: ['On'] },
      { name: 'Empty', values: [] },
    ],
    capturedAt: at(0),
  }
}

export function newDatabase(): DatabaseSnapshot {
  return {
    addonId: '6c1b1a4e-0000-4000-8000-000000000002',
    addonName: 'postgresql-silky-67890',
    plan: 'heroku-postgresql:standard-0',
    version: '17.2',
    attachments: ['DATABASE', 'HEROKU_POSTGRESQL_NAVY'],
    info: [
      { name: 'Plan', values: ['Standard 0'] },
      { name: 'Status', values: ['Available'] },
      { name: 'PG Version', values: ['17.2'] },
      { name: 'Data Size', values: ['2.0 GB'] },
      { name: 'Tables', values: ['61'] },
      { name: 'Forked From', values: [OLD_URL] },
    ],
    capturedAt: at(400),
  }
}

const PHASES: Partial<Record<StepRecord['name'], StepRecord['phase']>> = {
  preflight: 'prepare',
  provision: 'prepare',
  'catch-up': 'prepare',
  'carry-over': 'cleanup',
}

function step(
  name: StepRecord['name'],
  title: string,
  from: number,
  to: number | undefined,
  detail?: string,
): StepRecord {
  return {
    name,
    phase: PHASES[name] ?? 'switch',
    title,
    startedAt: at(from),
    ...(to === undefined ? {} : { endedAt: at(to), outcome: 'ok' as const }),
    ...(detail ? { detail } : {}),
  }
}

/** A follower changeover that succeeded with 42s of downtime and leaves things behind. */
export function succeededRecord(): RunRecord {
  return {
    schema: 1,
    app: 'acme-web',
    method: 'follower',
    status: 'succeeded',
    startedAt: at(0),
    endedAt: at(402),
    targetVersion: '17',
    oldDatabase: oldDatabase(),
    newDatabase: newDatabase(),
    createdAddon: 'postgresql-silky-67890',
    formationBefore: [
      { type: 'web', quantity: 2, size: 'standard-2x' },
      { type: 'worker', quantity: 1, size: 'standard-1x' },
    ],
    maintenanceBefore: false,
    windowOpenedAt: at(350),
    windowClosedAt: at(392),
    switchOutcome: 'live',
    steps: [
      step('preflight', 'Preflight checks', 0, 2),
      step('provision', 'Create the follower', 2, 200, `following ${OLD_URL}`),
      step('catch-up', 'Wait for the follower to catch up', 200, 350),
      step('window-open', 'Maintenance on, scale down', 350, 352),
      step('final-catch-up', 'Wait for Behind By: 0', 352, 355),
      step('upgrade', 'Upgrade the follower to PG 17', 355, 380),
      step('promote', 'Promote the new database', 380, 386),
      step('verify', 'Verify DATABASE_URL', 386, 388),
      step('window-close', 'Restore formation, maintenance off', 388, 392),
      step('report', 'Report', 400, 402),
    ],
    warnings: [`The old database was reachable at ${OLD_URL}; this URL must never be printed.`],
    leftovers: {
      otherAppAttachments: ['acme-api::DATABASE'],
      nonDefaultPoolers: ['ANALYTICS_POOL'],
      credentials: ['analyst'],
      followers: ['postgresql-reader-11111'],
      backupSchedule: true,
    },
  }
}

/** The upgrade of the follower failed; everything was put back. */
export function rolledBackRecord(): RunRecord {
  const record = succeededRecord()
  return {
    ...record,
    status: 'rolled-back',
    switchOutcome: undefined,
    newDatabase: undefined,
    windowClosedAt: at(375),
    steps: [
      ...record.steps.slice(0, 5),
      {
        ...step('upgrade', 'Upgrade the follower to PG 17', 355, 370),
        outcome: 'failed',
        detail: 'failed at step 3',
      },
      step('rollback', 'Restore formation, maintenance off', 370, 375),
    ],
    error: `The upgrade of postgresql-silky-67890 failed at step 3 (Request-Id 1234abcd). Connection: ${OLD_URL}`,
    leftovers: undefined,
  }
}

/** DATABASE was moved, then the release phase failed and the run was interrupted with the app down. */
export function failedAfterPromoteRecord(): RunRecord {
  const record = succeededRecord()
  return {
    ...record,
    status: 'failed',
    switchOutcome: 'live',
    windowClosedAt: undefined,
    endedAt: at(390),
    steps: [
      ...record.steps.slice(0, 6),
      { ...step('promote', 'Promote the new database', 380, 390), outcome: 'failed' },
    ],
    error: 'The release "Attach DATABASE (@ref:postgresql-silky-67890)" failed (release phase exited 1).',
    nextSteps: ['Look at the release phase log: heroku releases:output --app acme-web'],
  }
}
