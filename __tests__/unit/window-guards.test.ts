import { describe, expect, it } from 'vitest'
import { windowEndAt, windowTooLong } from '../../src/plan/window-guards'
import type { Settings } from '../../src/inputs/settings'

const at = (iso: string): number => Date.parse(iso)

describe('window-end as a time of day in UTC', () => {
  const fourThirty = { hour: 4, minute: 30, text: '04:30 UTC' }

  it('is the coming one when it is less than 12 hours ahead', () => {
    expect(windowEndAt(fourThirty, at('2026-12-02T02:00:00Z'))).toBe(at('2026-12-02T04:30:00Z'))
    expect(windowEndAt(fourThirty, at('2026-12-01T23:30:00Z'))).toBe(at('2026-12-02T04:30:00Z'))
  })

  it('is the one that just passed when that was less than 12 hours ago: a late run does not wait for tomorrow', () => {
    expect(windowEndAt(fourThirty, at('2026-12-02T05:00:00Z'))).toBe(at('2026-12-02T04:30:00Z'))
  })
})

describe('the guards before the window opens', () => {
  const settings = (extra: Partial<Settings>): Settings => ({ ...extra }) as Settings

  it('max-downtime: refused when the estimate exceeds it', () => {
    expect(windowTooLong(settings({ maxDowntimeMs: 15 * 60_000 }), 25 * 60_000, 0)).toContain(
      'about 25m, more than max-downtime (15m)',
    )
    expect(windowTooLong(settings({ maxDowntimeMs: 30 * 60_000 }), 25 * 60_000, 0)).toBeUndefined()
  })

  it('window-end: refused when now plus the estimate passes it, with the time left or past', () => {
    const now = at('2026-12-02T04:00:00Z')
    const end = { hour: 4, minute: 30, text: '04:30 UTC' }
    expect(windowTooLong(settings({ windowEnd: end }), 10 * 60_000, now)).toBeUndefined()
    expect(windowTooLong(settings({ windowEnd: end }), 40 * 60_000, now)).toContain(
      'window-end (04:30 UTC) is 30m away',
    )
    const late = at('2026-12-02T05:00:00Z')
    expect(windowTooLong(settings({ windowEnd: end }), 10 * 60_000, late)).toContain('is 30m past')
  })
})
