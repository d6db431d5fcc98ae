// A Premium database with a follower, the default pooler, a credential and an attachment on another app.
import { expect, it } from 'vitest'
import { cleanUpAfterEachTest, FAST, job, simulator, state } from './simulated'

const OLD = 'postgresql-rigid-40213'

cleanUpAfterEachTest()

it('moves DATABASE and the default pooler, and lists what stays behind on the old database', async () => {
  const sim = await simulator([], 600, 'premium-follower-pooler')
  const before = (await state(sim)).apps.find((a) => a.name === 'acme-shop')!
  const started = job(sim, { app: 'acme-shop', confirm: 'acme-shop', version: '17' })
  const main = await started.main(FAST)
  expect(main.record?.error).toBeUndefined()
  expect(main.outputs.status).toBe('succeeded')

  const after = await state(sim)
  const app = after.apps.find((a) => a.name === 'acme-shop')!
  const database = after.addons.find((a) => a.name === app.database)!
  expect(database.name).not.toBe(OLD)
  expect(database.version).toMatch(/^17\./)
  expect(database.attachments).toContain('acme-shop::DATABASE_CONNECTION_POOL')
  expect(app.formation).toEqual(before.formation)
  expect(after.lost_writes).toBe(0)

  expect(main.record?.leftovers).toEqual({
    otherAppAttachments: ['acme-reports::SHOP_DATABASE'],
    nonDefaultPoolers: [],
    credentials: ['analyst'],
    followers: ['postgresql-amber-40214'],
    backupSchedule: true, // the scenario has a daily backup schedule on the old database
  })
  expect(main.log).toMatch(/DATABASE_CONNECTION_POOL → /)
})
