// The action on the data plane: standard-pg14 with real PostgreSQL servers behind its add-ons and the dynos
// writing real rows. Whatever the method, DATABASE_URL ends on a real PostgreSQL 17 server that holds every
// row the dynos were told was committed.
import { describe, expect, it } from 'vitest'
import { serverVersion } from '../../simulator/data-plane/databases.js'
import { readOnlyForNewSessions } from '../../src/postgres/fence'
import { cleanUpAfterEachTest, FAST, job, simulator, state, type Simulator } from '../action/simulated'
import { client } from '../simulator/helpers.js'

cleanUpAfterEachTest()

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function databaseUrl(sim: Simulator): string {
  const url = sim.world.store.findApp('acme-web')?.config.get('DATABASE_URL')
  if (!url) throw new Error('acme-web has no DATABASE_URL')
  return url
}

async function upgrade(
  method: string,
  inputs: Record<string, string> = {},
  major = '17',
): Promise<{ before: string; after: string }> {
  const sim = await simulator([], 600, 'standard-pg14', { data_plane: true })
  const plane = sim.dataPlane
  if (!plane) throw new Error('the data plane did not start')
  const before = databaseUrl(sim)
  expect(new URL(before).hostname).toBe('127.0.0.1')
  const versionBefore = await serverVersion(before)
  expect(versionBefore).toMatch(/^14\./)

  // Rows on the PG 14 database before the action starts: they must travel to wherever DATABASE_URL ends.
  const deadline = Date.now() + 10_000
  while ((await plane.rows()).acknowledged < 10 && Date.now() < deadline) await sleep(100)
  const early = (await plane.rows()).acknowledged
  expect(early).toBeGreaterThanOrEqual(10)

  const main = await job(sim, { method, ...inputs }).main(FAST)
  expect(main.record?.error).toBeUndefined()
  expect(main.outputs.status).toBe('succeeded')

  const rows = await plane.rows()
  const after = databaseUrl(sim)
  const version = await serverVersion(after)
  console.log(
    `data plane, ${method}: ${rows.acknowledged} rows acknowledged, ${rows.lost} lost; ` +
      `(${early} before the action started); DATABASE_URL on PostgreSQL ${versionBefore} before, ${version} after`,
  )
  expect(version.split('.')[0]).toBe(major)
  // The write fence (fence: auto reaches these servers) is lifted from the database that serves.
  expect(await readOnlyForNewSessions(after)).toBe(false)
  expect(rows.acknowledged).toBeGreaterThan(early)
  expect(rows.missing).toEqual([])
  expect(rows.lost).toBe(0)
  // The oracle is in /__simulator/state beside the model's figure.
  const current = (await state(sim)) as unknown as Record<string, unknown>
  expect(current.acknowledged_writes).toBeGreaterThan(0)
  expect(current.lost_rows).toBe(0)
  expect(current.lost_writes).toBe(0)
  // The web dynos read before each write: served while the app was up.
  expect(current.reads_served).toBeGreaterThan(0)
  return { before, after }
}

describe('the action on the data plane', () => {
  // In place (auto on standard-pg14) is scenarios.test.ts's standard-pg14 case.
  it('follower: PG 14 → 17 on real servers, no acknowledged row lost', async () => {
    await upgrade('follower')
  }, 60_000)

  it('copy: PG 14 → 17 on real servers, no acknowledged row lost', async () => {
    await upgrade('copy')
  }, 60_000)

  it('backup-restore: PG 14 → 17 on real servers, no acknowledged row lost', async () => {
    await upgrade('backup-restore')
  }, 60_000)

  it('plan change only: the changeover keeps the rows, and the rotated credential logs in', async () => {
    const { before, after } = await upgrade('auto', { version: '14', plan: 'standard-2' }, '14')
    // Heroku rotates the default credential at the changeover: the old password no longer logs in.
    expect(new URL(after).password).not.toBe(new URL(before).password)
    await expect(serverVersion(before)).rejects.toThrow(/password authentication failed/)
  }, 60_000)

  // The oracle's control: pointing DATABASE at a new, empty database without copying anything loses every row
  // written before, in rows as in the model.
  it('counts the rows lost when DATABASE is pointed at an empty database', async () => {
    const sim = await simulator([], 600, 'standard-pg14', { data_plane: true })
    const plane = sim.dataPlane
    if (!plane) throw new Error('the data plane did not start')
    const api = client(sim)
    const deadline = Date.now() + 10_000
    while ((await plane.rows()).acknowledged < 10 && Date.now() < deadline) await sleep(100)
    const created = await api('POST', '/apps/acme-web/addons', {
      plan: { name: 'heroku-postgresql:standard-0' },
      // The scenario's default is 18, which the data plane has no server for.
      config: { version: '17' },
      attachment: {},
    })
    expect(created.status).toBe(201)
    const empty = (created.body as { name: string }).name
    while ((await state(sim)).addons.find((a) => a.name === empty)?.state !== 'provisioned') await sleep(50)
    for (const body of [
      { addon: { name: 'postgresql-curved-12345' }, namespace: null },
      { addon: { name: empty }, name: 'DATABASE', namespace: null },
    ]) {
      const attached = await api('POST', '/addon-attachments', {
        app: { name: 'acme-web' },
        confirm: 'acme-web',
        ...body,
      })
      expect(attached.status).toBe(201)
    }
    await sleep(1000)
    const rows = await plane.rows()
    const current = (await state(sim)) as unknown as Record<string, unknown>
    console.log(
      `data plane, DATABASE on an empty database: ${rows.acknowledged} rows acknowledged, ${rows.lost} lost; ` +
        `the model's lost_writes ${String(current.lost_writes)}`,
    )
    expect(rows.lost).toBeGreaterThanOrEqual(10)
    expect(rows.lost).toBeLessThan(rows.acknowledged)
    expect(current.lost_writes).toBeGreaterThan(0)
  }, 60_000)
})
