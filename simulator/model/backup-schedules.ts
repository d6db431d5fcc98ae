import type { Addon, BackupSchedule } from './types.js'
import type { World } from './world.js'

// Daily backup schedules (`pg:backups:schedule`, `pg:backups:unschedule`). They stay with the database, not
// with its attachment, when DATABASE_URL moves to another one.

/** Sets the daily backup schedule of that name, replacing one of the same name. */
export function scheduleBackups(
  world: World,
  addon: Addon,
  request: { name: string; hour: number; timezone: string },
): BackupSchedule {
  addon.db.schedules = addon.db.schedules.filter((s) => s.name !== request.name)
  const schedule = { uuid: world.ids.uuid(), ...request }
  addon.db.schedules.push(schedule)
  return schedule
}

export function unscheduleBackups(addon: Addon, schedule: BackupSchedule): void {
  addon.db.schedules = addon.db.schedules.filter((s) => s !== schedule)
}
