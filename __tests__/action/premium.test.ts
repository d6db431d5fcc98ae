// A Premium database with a follower, the default pooler, a credential and an attachment on another app.
import { expect, it } from 'vitest'
import { cleanUpAfterEachTest, FAST, job, simulator, state } from './simulated'

const OLD = 'postgresql-rigid-40213'

cleanUpAfterEachTest()

it('moves DATABASE, the pooler and the other app, then carries over the credential, the schedule and the follower', async () => {
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
  expect(database.attachments).toContain('acme-reports::SHOP_DATABASE')
  expect(app.formation).toEqual(before.formation)
  expect(after.lost_writes).toBe(0)

  // Carried over once the app was back: the other app's attachment moved in the switch, the credential and
  // the backup schedule recreated, the follower recreated on the new database. Nothing is left behind.
  expect(main.record?.leftovers).toEqual({
    otherAppAttachments: [],
    nonDefaultPoolers: [],
    credentials: [],
    followers: [],
    backupSchedule: false,
  })
  const carried = main.record?.carriedOver
  expect(carried?.left).toEqual([])
  expect(carried?.done.join('\n')).toMatch(/acme-reports::SHOP_DATABASE now points at/)
  expect(carried?.done.join('\n')).toMatch(/credential analyst recreated/)
  expect(carried?.done.join('\n')).toMatch(/daily backups .* scheduled at 2:00 UTC/)
  const newFollower = after.addons.find((a) => a.following === database.name)
  expect(newFollower?.plan).toMatch(/premium-0$/)
  expect(main.summary).toContain('### Carried over to the new database')
  const issue = after.github_issues.at(-1)
  expect(issue?.body).toContain('## Carried over by the run')
  expect(main.log).toContain('was recreated on')
  expect(main.log).toMatch(/DATABASE_CONNECTION_POOL → /)
})
