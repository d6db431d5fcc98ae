// What a run leaves for Heroku to run by itself: a prepared in-place upgrade or plan change starts at the
// next start of the database's maintenance window, with the app up and every writer running, unless it is
// run or cancelled first. This reads when that is, moves the window past the planned switch (window-end)
// where Heroku lets it, and records it all for the report.
import { errorMessage } from '../domain/error-message'
import type { RunContext } from './context'
import type { AddonRef } from '../domain/vocabulary'
import { nextStart, parseWindow, slotFields, slotStartingAfter } from '../inspect/maintenance-window'
import type { Settings } from '../inputs/settings'
import { formatDuration } from '../domain/duration'

/** The moment window-end names, as an instant: itself, or the next occurrence of its time of day. */
function plannedSwitchEnd(windowEnd: Settings['windowEnd'], now: number): number | undefined {
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
  context: RunContext,
  addon: AddonRef,
  scheduledFor: string | undefined,
): Promise<string> {
  const { record, settings, clock } = context
  const prepared = record.preparedChange
  if (!prepared) return 'prepared'
  const { data, platform } = context.api
  const now = platform.serverTime() ?? clock.now()
  try {
    const window = await data.maintenanceWindow(addon.id)
    const slot = parseWindow(window.window ?? undefined, window)
    prepared.window = window.window ?? undefined
    let runsAt = scheduledFor ? Date.parse(scheduledFor) : slot && nextStart(slot, now)
    const switchBy = plannedSwitchEnd(settings.windowEnd, now)
    if (runsAt !== undefined && switchBy !== undefined && runsAt < switchBy) {
      const later = slotStartingAfter(now, switchBy)
      if (later) {
        const moved = await data.setMaintenanceWindow(addon.id, slotFields(later))
        prepared.window = moved.window ?? prepared.window
        runsAt = nextStart(later, now)
        prepared.moved = `the maintenance window started before window-end (${settings.windowEnd!.text}), so it was moved to ${prepared.window ?? `${slotFields(later).day_of_week} ${slotFields(later).time_of_day} UTC`}`
        context.log(`  ${prepared.moved}.`)
      } else
        context.warn(
          `Heroku's maintenance window of ${addon.name} (${prepared.window ?? 'unknown'}) starts before window-end (${settings.windowEnd!.text}), which is more than a week away: no weekly window can wait that long.`,
        )
    }
    if (runsAt !== undefined) prepared.runsAt = new Date(runsAt).toISOString()
  } catch (error) {
    context.log(`  Could not read the maintenance window of ${addon.name}: ${errorMessage(error)}`)
  }
  context.save()
  return prepared.runsAt
    ? `ready; Heroku runs it by itself at ${prepared.runsAt.replace('.000Z', 'Z')} (in ${formatDuration(Math.max(0, Date.parse(prepared.runsAt) - now))}) unless phase switch runs it first`
    : 'ready; Heroku runs it by itself in the next maintenance window unless phase switch runs it first'
}
