// How the action reads Heroku's upgrade/wait_status. Only a finished wait that says "scheduled" is an upgrade
// ready to run: what Heroku says while it prepares is not documented, and prepare's own answer also says
// "scheduled", so a waiting status that says it must not open the window.
import { describe, expect, it } from 'vitest'
import { upgradeState } from '../../src/inspect/inspect'
import type { InspectDeps } from '../../src/inspect/types'

function contextAnswering(status: Record<string, unknown>): InspectDeps {
  return { api: { data: { upgradeWaitStatus: async () => status } } } as unknown as InspectDeps
}

describe('upgradeState', () => {
  it.each([
    [{ 'waiting?': true, message: 'upgrade is being prepared' }, 'preparing'],
    [
      {
        'waiting?': true,
        message: 'Your database is scheduled for upgrade during your next available maintenance window.',
      },
      'preparing',
    ],
    [
      {
        'waiting?': false,
        message:
          'upgrade is scheduled on 2025-04-17 20:30:00 UTC. You could also run the upgrade immediately.',
      },
      'prepared',
    ],
    [{ 'waiting?': true, message: 'preparing upgrade service', step: '1/7' }, 'running'],
    [{ 'waiting?': false, message: 'recreating followers', step: '7/7' }, 'none'],
    [{ 'waiting?': false, 'error?': true, message: 'upgrade failed' }, 'failed'],
  ])('%j is %s', async (status, phase) => {
    expect((await upgradeState(contextAnswering(status), 'id')).phase).toBe(phase)
  })
})
