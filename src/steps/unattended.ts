// What a run leaves for Heroku to run by itself: a prepared in-place upgrade or plan change starts at the
// next start of the database's maintenance window, with the app up and every writer running, unless it is
// run or cancelled first. This reads when that is, moves the window past the planned switch (window-end)
// where Heroku lets it, and records it all for the report.
import { errorMessage } from '../domain/error-message'
import type { StepDeps } from './deps'
import type { AddonRef } from '../domain/vocabulary'
import { nextStart, parseWindow, slotFields, slotStartingAfter } from '../inspect/maintenance-window'
import type { WindowEnd } from '../domain/policy'
import type { PreparedChange } from '../record/record'
import { formatDuration } from '../domain/duration'
import { windowEndTooFarWarning, windowMovedNote } from '../domain/messages/prepared'

/** The moment window-end names, as an instant: itself, or the next occurrence of its time of day. */
function plannedSwitchEnd(windowEnd: WindowEnd | undefined, now: number): number | undefined {
  if (!windowEnd) return undefined
  if ('at' in windowEnd) return windowEnd.at
  const day = new Date(now)
  let at = Date.UTC(
    day.getUTCFullYear(),
    day.getUTCMonth(),
    day.getUTCDate(),
    windowEnd.hour,
    windowEnd.minute,
  )
  if (at <= now) at += 86_400_000
  return at
}

/** "upgrade is scheduled on 2026-12-10 22:00:00 UTC. …" → that instant. */
export function scheduledInMessage(message: string | undefined): string | undefined {
  const match = /scheduled (?:on|for) (\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)\s*(?:UTC|Z)/i.exec(
    message ?? '',
  )
  if (!match) return undefined
  const at = Date.parse(`${match[1]}T${match[2]}Z`)
  return Number.isFinite(at) ? new Date(at).toISOString() : undefined
}

/**
 * Records when Heroku would run the prepared change by itself (`scheduledFor` when Heroku said it, else
 * the window's next start), after moving the window past window-end when it would start before it.
 * Returns a line for the step's detail. A window that cannot be read is said, never fatal.
 */
export async function describePreparedChange(
  deps: StepDeps,
  addon: AddonRef,
  scheduledFor: string | undefined,
  windowEnd: WindowEnd | undefined,
): Promise<string> {
  const prepared = deps.journal.record.preparedChange
  if (!prepared) return 'prepared'
  const { data, platform } = deps.api
  const now = platform.serverTime() ?? deps.clock.now()
  const read: Pick<PreparedChange, 'runsAt' | 'window' | 'moved'> = {}
  try {
    const window = await data.maintenanceWindow(addon.id)
    const slot = parseWindow(window.window ?? undefined, window)
    read.window = window.window ?? undefined
    let runsAt = scheduledFor ? Date.parse(scheduledFor) : slot && nextStart(slot, now)
    const switchBy = plannedSwitchEnd(windowEnd, now)
    if (windowEnd && runsAt !== undefined && switchBy !== undefined && runsAt < switchBy) {
      const later = slotStartingAfter(now, switchBy)
      if (later) {
        const moved = await data.setMaintenanceWindow(addon.id, slotFields(later))
        read.window = moved.window ?? read.window
        runsAt = nextStart(later, now)
        const set = slotFields(later)
        read.moved = windowMovedNote({
          windowEnd: windowEnd.text,
          window: read.window,
          day: set.day_of_week,
          time: set.time_of_day,
        })
        deps.log(`  ${read.moved}.`)
      } else
        deps.warn(
          windowEndTooFarWarning({ database: addon.name, window: read.window, windowEnd: windowEnd.text }),
        )
    }
    if (runsAt !== undefined) read.runsAt = new Date(runsAt).toISOString()
  } catch (error) {
    deps.log(`  Could not read the maintenance window of ${addon.name}: ${errorMessage(error)}`)
  }
  deps.journal.preparedWindowRead(read)
  return read.runsAt
    ? `ready; Heroku runs it by itself at ${read.runsAt.replace('.000Z', 'Z')} (in ${formatDuration(Math.max(0, Date.parse(read.runsAt) - now))}) unless phase switch runs it first`
    : 'ready; Heroku runs it by itself in the next maintenance window unless phase switch runs it first'
}
