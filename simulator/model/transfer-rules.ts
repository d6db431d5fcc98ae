import { unprocessable } from './errors.js'
import { SERVICE, tierOf } from './plans.js'
import type { Addon, TransferKind } from './types.js'
import type { World } from './world.js'

// Heroku's rules for PG Backups transfers (backups, restores and pg:copy), beyond moving bytes:
// - they do not work with Shield databases, neither from nor into one (refused with a 422, our wording);
// - a copy or restore removes all data from its target when it starts, so one that fails leaves it empty;
// - backups "can time out" above 20 GB: a transfer of more than transfer_timeout_gb fails once it has moved that
//   much (always, the harsher case);
// - the `transfer-fails` fault makes the next transfer (of a kind, on an add-on or app) fail halfway.

const GB = 1024 ** 3
const MB = 1024 * 1024

/** Refuses a transfer from or into a Shield database. */
export function refuseShield(kind: TransferKind, addons: (Addon | undefined)[]): void {
  const shield = addons.find((addon) => addon !== undefined && tierOf(addon.plan) === 'shield')
  if (!shield) return
  const what = kind === 'copy' ? 'pg:copy' : kind === 'backup' ? 'A backup' : 'A restore'
  throw unprocessable(
    `${what} cannot use ${shield.name}: it is a Heroku Shield database (${SERVICE}:${shield.plan}), and PG Backups (backups, restores and pg:copy) do not work with Shield databases.`,
  )
}

/** Empties a copy's or restore's target as the transfer starts ("This command will remove all data from …"). */
export function wipeTarget(world: World, target: Addon): void {
  target.db.base = new Map()
  target.db.origin = world.writes.newOrigin(target.id)
  target.db.dataSizeMb = 0
  target.db.tables = 0
}

export interface PlannedFailure {
  /** Simulated seconds after its start at which the transfer fails. */
  after: number
  /** The log lines the failure adds (the CLI shows the last five). */
  logs: string[]
}

/** Consumes one use of a `transfer-fails` fault that matches the kind and one of the targets (add-on or app names). */
function takeTransferFault(world: World, kind: TransferKind, targets: string[]): boolean {
  const fault = world.faults.takeFirst(
    (f) =>
      f.type === 'transfer-fails' &&
      (f.transfer === null || f.transfer === kind) &&
      (f.target === null || targets.includes(f.target)),
  )
  return fault !== undefined
}

/**
 * How a transfer of `bytes` that would take `seconds` will fail, if it will: halfway under a `transfer-fails`
 * fault, or once it has moved transfer_timeout_gb when it is larger than that; whichever comes first.
 */
export function plannedFailure(
  world: World,
  kind: TransferKind,
  bytes: number,
  seconds: number,
  targets: string[],
): PlannedFailure | null {
  const failures: PlannedFailure[] = []
  const tool = kind === 'restore' ? 'pg_restore' : 'pg_dump'
  if (takeTransferFault(world, kind, targets)) {
    failures.push({
      after: seconds / 2,
      logs: [`${tool}: error: connection to server was lost`, `${kind} failed: the transfer did not finish`],
    })
  }
  const limitGb = world.scenario.transfer_timeout_gb
  if (bytes > limitGb * GB) {
    const after = (limitGb * GB) / (world.scenario.durations.copy_mb_per_s * MB)
    failures.push({
      after,
      logs: [
        `${tool}: error: canceling statement due to statement timeout`,
        `${kind} timed out after ${Math.round(after)} s: transfers of more than ${limitGb} GB can time out; back up from a fork or run pg_dump from a one-off dyno`,
      ],
    })
  }
  failures.sort((a, b) => a.after - b.after)
  return failures[0] ?? null
}
