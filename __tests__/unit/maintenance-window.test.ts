// The maintenance window as Heroku words it: its next start, and the slot that starts after a moment.
import { describe, expect, it } from 'vitest'
import { nextStart, parseWindow, slotFields, slotStartingAfter } from '../../src/inspect/maintenance-window'

const at = (iso: string): number => Date.parse(iso)

describe('the maintenance window', () => {
  it('reads Heroku words and the fields the window update takes', () => {
    expect(parseWindow('Thursdays 22:00 to Fridays 02:00 UTC')).toEqual({ day: 4, minute: 1320 })
    expect(parseWindow(undefined, { day_of_week: 'sunday', time_of_day: '01:30' })).toEqual({
      day: 0,
      minute: 90,
    })
    expect(parseWindow('whenever')).toBeUndefined()
    expect(parseWindow('Thursdays 25:00 to Fridays 02:00 UTC')).toBeUndefined()
  })

  it('starts next on the right day, this week or the next', () => {
    const thursday22 = { day: 4, minute: 1320 }
    // 2026-12-07 is a Monday.
    expect(new Date(nextStart(thursday22, at('2026-12-07T12:00:00Z'))).toISOString()).toBe(
      '2026-12-10T22:00:00.000Z',
    )
    expect(new Date(nextStart(thursday22, at('2026-12-10T22:00:00Z'))).toISOString()).toBe(
      '2026-12-10T22:00:00.000Z',
    )
    expect(new Date(nextStart(thursday22, at('2026-12-10T22:00:01Z'))).toISOString()).toBe(
      '2026-12-17T22:00:00.000Z',
    )
  })

  it('picks a slot that does not start before a planned switch, within a week', () => {
    const now = at('2026-12-07T12:00:00Z')
    const slot = slotStartingAfter(now, at('2026-12-12T04:10:00Z'))!
    expect(slotFields(slot)).toEqual({ day_of_week: 'saturday', time_of_day: '04:30' })
    expect(nextStart(slot, now)).toBeGreaterThanOrEqual(at('2026-12-12T04:10:00Z'))
    expect(slotStartingAfter(now, at('2026-12-15T12:00:00Z'))).toBeUndefined()
  })
})
