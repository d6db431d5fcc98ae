// Every method end to end against the simulator: the app ends on the target, nothing written is lost, the
// app comes back exactly as it was, and the summary tells the story (before/after, timeline, the choice).
import { describe, expect, it } from 'vitest'
import {
  appAndDatabase,
  changesSent,
  cleanUpAfterEachTest,
  expectNoSecrets,
  FAST,
  job,
  requestsOf,
  simulator,
} from './simulated'

cleanUpAfterEachTest()

const STANDARD_OLD = 'postgresql-curved-12345'
const ESSENTIAL_OLD = 'postgresql-silent-20481'

const appOf = appAndDatabase
const mutating = changesSent

describe('in-place', () => {
  it('Essential: upgrade/run in the window, the same add-on on the new version, no write lost', async () => {
    const sim = await simulator([], 600, 'essential-pg15')
    const before = await appOf(sim, 'acme-small')
    const main = await job(sim, { app: 'acme-small', confirm: 'acme-small', method: 'auto' }).main(FAST)
    expect(main.record?.error).toBeUndefined()
    expect(main.outputs.status).toBe('succeeded')
    expect(main.record?.method).toBe('in-place')
    expect(main.record?.choice?.reason).toContain('Essential')
    const after = await appOf(sim, 'acme-small')
    expect(after.database.name).toBe(ESSENTIAL_OLD)
    expect(after.database.version).toMatch(/^17\./)
    expect(after.app.formation).toEqual(before.app.formation)
    expect(after.app.maintenance).toBe(false)
    expect(after.current.lost_writes).toBe(0)
    expect(after.current.addons).toHaveLength(1)
    // No prepare on Essential, and exactly one upgrade/run.
    const sent = await mutating(sim)
    expect(sent.filter((r) => r.path.endsWith('/upgrade/prepare'))).toHaveLength(0)
    expect(sent.filter((r) => r.path.endsWith('/upgrade/run'))).toHaveLength(1)
    // The summary: the choice and why, before and after, the timeline by phase with the measured window.
    expect(main.summary).toContain('### Method')
    expect(main.summary).toContain('Heroku upgrades Essential databases in place')
    expect(main.summary).toContain('| `follower` | about 25m | needs Standard or higher |')
    expect(main.summary).toContain('### Databases')
    expect(main.summary).toMatch(/PG Version \| 15\.13 \| 17\./)
    expect(main.summary).toContain('### Timeline')
    expect(main.summary).toContain('Maintenance window (measured downtime)')
    expect(main.summary).toContain('section Switch (maintenance window)')
    expectNoSecrets(main)
  })

  it('Standard: prepared while the app is up, run in the window; auto picks it for a version-only upgrade', async () => {
    const sim = await simulator([], 600, 'standard-pg14')
    const before = await appOf(sim, 'acme-web')
    const main = await job(sim, { method: 'auto' }).main(FAST)
    expect(main.record?.error).toBeUndefined()
    expect(main.outputs.status).toBe('succeeded')
    expect(main.record?.method).toBe('in-place')
    const steps = main.record!.steps.map((s) => `${s.phase}:${s.name}`)
    expect(steps.slice(0, 4)).toEqual([
      'prepare:preflight',
      'prepare:hold',
      'prepare:prepare-upgrade',
      'switch:window-open',
    ])
    expect(steps.at(-1)).toBe('cleanup:release-hold')
    const prepared = main.record!.steps.find((s) => s.name === 'prepare-upgrade')!
    const opened = main.record!.windowOpenedAt!
    expect(Date.parse(prepared.endedAt!)).toBeLessThanOrEqual(Date.parse(opened))
    const after = await appOf(sim, 'acme-web')
    expect(after.database.name).toBe(STANDARD_OLD)
    expect(after.database.version).toMatch(/^17\./)
    expect(after.app.formation).toEqual(before.app.formation)
    expect(after.app.maintenance).toBe(false)
    expect(after.current.lost_writes).toBe(0)
    const sent = await mutating(sim)
    expect(sent.filter((r) => r.path.endsWith('/upgrade/prepare'))).toHaveLength(1)
    // Heroku still answers "not ready" for 5 minutes after it says the upgrade is scheduled (the simulator's
    // default): the run waits that out with the app up, so the window sends upgrade/run once and it is taken.
    const runs = sent.filter((r) => r.path.endsWith('/upgrade/run'))
    expect(runs.map((r) => r.status)).toEqual([200])
    expect(sent.filter((r) => r.path === '/apps/acme-web/addons' && r.method === 'POST')).toHaveLength(0)
  })
})

describe('plan-change', () => {
  it('Standard: prepared with the app up, changed over in a window, the dynos released onto the rotated credentials, no write lost', async () => {
    const sim = await simulator([], 600, 'standard-pg14', { durations: { plan_change_prepare: 600 } })
    const before = await appOf(sim, 'acme-web')
    const main = await job(sim, { method: 'auto', version: '14', plan: 'standard-2' }).main(FAST)
    expect(main.record?.error).toBeUndefined()
    expect(main.outputs.status).toBe('succeeded')
    expect(main.record?.method).toBe('plan-change')
    const steps = main.record!.steps.map((s) => `${s.phase}:${s.name}`)
    expect(steps).toEqual([
      'prepare:preflight',
      'prepare:hold',
      'prepare:prepare-plan-change',
      'switch:window-open',
      'switch:writers-stop',
      'switch:changeover',
      'switch:release',
      'switch:verify',
      'switch:window-close',
      'cleanup:release-hold',
    ])
    const prepared = main.record!.steps.find((s) => s.name === 'prepare-plan-change')!
    expect(Date.parse(prepared.endedAt!)).toBeLessThanOrEqual(Date.parse(main.record!.windowOpenedAt!))
    expect(main.record!.steps.find((s) => s.name === 'release')?.detail).toMatch(
      /release v\d+ \(Update DATABASE(, UPGRADE_HOLD_\w+)? by heroku-postgresql\) succeeded: the dynos use the new credentials/,
    )
    const after = await appOf(sim, 'acme-web')
    expect(after.database.name).toBe(STANDARD_OLD)
    expect(after.database.plan).toMatch(/standard-2$/)
    // The hold is gone once the run is done: the database's attachments are what they were.
    expect(after.database.attachments).toEqual(before.database.attachments)
    expect(after.app.formation).toEqual(before.app.formation)
    expect(after.app.maintenance).toBe(false)
    expect(after.current.lost_writes).toBe(0)
    // The measured downtime is the window's, from maintenance on to maintenance off.
    expect(Number(main.outputs['downtime-seconds'])).toBeGreaterThanOrEqual(0)
    expect(main.summary).toMatch(/with \S+( \S+)? of downtime/)
    const events = (await (await fetch(`${sim.url}/__simulator/events`)).json()) as Array<{ type: string }>
    const order = events.map((e) => e.type)
    expect(order.indexOf('credentials-rotated')).toBeGreaterThan(order.indexOf('maintenance-on'))
    expect(order.lastIndexOf('maintenance-off')).toBeGreaterThan(order.indexOf('credentials-rotated'))
    const sent = await mutating(sim)
    expect(
      sent.filter((r) => r.method === 'PATCH' && r.path.startsWith('/apps/acme-web/addons/')),
    ).toHaveLength(1)
    expect(
      sent.filter((r) => r.path.endsWith('/run') && r.path.startsWith('/data/maintenances/')),
    ).toHaveLength(1)
  })

  it('Essential: changed by Heroku within a minute with the app up, no window', async () => {
    const sim = await simulator([], 600, 'essential-pg15')
    const main = await job(sim, {
      app: 'acme-small',
      confirm: 'acme-small',
      method: 'auto',
      version: '15',
      plan: 'essential-1',
    }).main(FAST)
    expect(main.record?.error).toBeUndefined()
    expect(main.outputs.status).toBe('succeeded')
    expect(main.record?.method).toBe('plan-change')
    expect(main.record?.windowOpenedAt).toBeUndefined()
    const after = await appOf(sim, 'acme-small')
    expect(after.database.plan).toMatch(/essential-1$/)
    expect(after.current.lost_writes).toBe(0)
  })
})

describe.each(['copy', 'backup-restore'] as const)('%s', (method) => {
  it('moves the data in the window into a new database on the target, then promotes it; no write lost', async () => {
    const sim = await simulator([], 600, 'standard-pg14')
    const before = await appOf(sim, 'acme-web')
    const main = await job(sim, { method }).main(FAST)
    expect(main.record?.error).toBeUndefined()
    expect(main.outputs.status).toBe('succeeded')
    const after = await appOf(sim, 'acme-web')
    expect(after.database.name).not.toBe(STANDARD_OLD)
    expect(after.database.version).toMatch(/^17\./)
    expect(after.database.following).toBeNull()
    expect(after.app.formation).toEqual(before.app.formation)
    expect(after.app.maintenance).toBe(false)
    expect(after.current.lost_writes).toBe(0)
    expect(after.current.addons.filter((a) => a.name !== STANDARD_OLD)).toHaveLength(1)
    const steps = main.record!.steps.map((s) => s.name)
    if (method === 'copy') expect(steps).toContain('copy')
    else {
      expect(steps).toEqual(expect.arrayContaining(['backup', 'restore']))
      expect(main.record?.backup?.name).toMatch(/^b\d{3}$/)
      expect(main.summary).toContain(main.record!.backup!.name)
    }
    expectNoSecrets(main)
  })
})

describe('follower into a Private Space (seed 004)', () => {
  it('auto picks follower; the new private-0 database is created from the app in the space; the owner app outside keeps the old one', async () => {
    const sim = await simulator([], 600, 'private-space-migration')
    const before = await appOf(sim, 'acme-ps')
    const main = await job(sim, {
      app: 'acme-ps',
      confirm: 'acme-ps',
      method: 'auto',
      version: '16',
      plan: 'private-0',
    }).main(FAST)
    expect(main.record?.error).toBeUndefined()
    expect(main.outputs.status).toBe('succeeded')
    expect(main.record?.method).toBe('follower')
    expect(main.record?.choice?.reason).toContain('Private Space')
    const after = await appOf(sim, 'acme-ps')
    expect(after.database.app).toBe('acme-ps')
    expect(after.database.plan).toMatch(/private-0$/)
    expect(after.database.version).toMatch(/^16\./)
    expect(after.app.formation).toEqual(before.app.formation)
    expect(after.current.lost_writes).toBe(0)
    // acme-cr owns the old database and sits outside the space: it stays on it, and the run says so.
    const owner = (await appOf(sim, 'acme-cr')).app
    expect(owner.database).toBe('postgresql-looking-24490')
    expect(main.log).toContain('acme-cr stays attached to the old database postgresql-looking-24490')
  })

  it('a plan Heroku does not network with the space answers 423; the action confirms it, once, and goes on', async () => {
    const sim = await simulator([], 600, 'private-space-migration')
    const main = await job(sim, {
      app: 'acme-ps',
      confirm: 'acme-ps',
      version: '17',
      plan: 'standard-2',
    }).main(FAST)
    expect(main.record?.error).toBeUndefined()
    expect(main.outputs.status).toBe('succeeded')
    const creates = (await requestsOf(sim)).filter(
      (r) => r.method === 'POST' && r.path === '/apps/acme-ps/addons',
    )
    expect(creates.map((r) => r.status)).toEqual([423, 201])
    expect((await appOf(sim, 'acme-ps')).current.lost_writes).toBe(0)
  })

  it('refuses, before any change, when an app outside the space still runs dynos on the database', async () => {
    const sim = await simulator([], 600, 'private-space-migration')
    await fetch(`${sim.url}/apps/acme-cr/formation`, {
      method: 'PATCH',
      headers: {
        Authorization: 'Bearer sim-heroku-token',
        'Content-Type': 'application/json',
        Accept: 'application/vnd.heroku+json; version=3',
      },
      body: JSON.stringify({ updates: [{ type: 'web', quantity: '1' }] }),
    })
    const main = await job(sim, {
      app: 'acme-ps',
      confirm: 'acme-ps',
      version: '16',
      plan: 'private-0',
      method: 'auto',
    }).main(FAST)
    expect(main.outputs.status).toBe('failed')
    expect(main.log).toContain('acme-cr runs dynos (web=1')
    expect((await mutating(sim)).filter((r) => !r.path.startsWith('/apps/acme-cr/formation'))).toEqual([])
  })
})
