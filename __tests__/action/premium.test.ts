// A Premium database with a follower, the default pooler, a credential and an attachment on another app.
import { readFileSync } from 'node:fs'
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
  // the backup schedule recreated, the follower recreated on the new database. Only the credential's
  // attachment is left, named with the command that moves it.
  expect(main.record?.leftovers).toEqual({
    otherAppAttachments: [],
    nonDefaultPoolers: [],
    credentials: [],
    followers: [],
    backupSchedule: false,
  })
  const carried = main.record?.carriedOver
  expect(carried?.left).toEqual([
    expect.stringContaining('ANALYST (credential analyst) still points at the old database'),
  ])
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

it('moves every alias and pooler the app may write through; the old database keeps only its colour alias', async () => {
  const scenario = JSON.parse(
    readFileSync(new URL('../../simulator/scenarios/premium-follower-pooler.json', import.meta.url), 'utf8'),
  ) as { apps: Array<Record<string, unknown> & { databases: Array<{ attachments: unknown[] }> }> }
  const [shop, reports] = scenario.apps
  // acme-shop writes through an alias of its database, not through DATABASE_URL.
  const attachments = [
    ...shop!.databases[0]!.attachments,
    'REPORTING_DATABASE',
    { name: 'ANALYTICS_POOL', namespace: 'connection-pooling:default' },
  ]
  const apps = [
    {
      ...shop,
      writes_through: 'REPORTING_DATABASE',
      databases: [{ ...shop!.databases[0], attachments }, shop!.databases[1]],
    },
    reports,
  ]
  const sim = await simulator([], 600, 'premium-follower-pooler', { apps })
  const main = await job(sim, { app: 'acme-shop', confirm: 'acme-shop', version: '17' }).main(FAST)
  expect(main.record?.error).toBeUndefined()
  expect(main.outputs.status).toBe('succeeded')
  const after = await state(sim)
  const database = after.addons.find(
    (a) => a.name === after.apps.find((x) => x.name === 'acme-shop')!.database,
  )!
  expect(database.attachments).toEqual(
    expect.arrayContaining([
      'acme-shop::DATABASE',
      'acme-shop::REPORTING_DATABASE',
      'acme-shop::ANALYTICS_POOL',
      'acme-shop::DATABASE_CONNECTION_POOL',
    ]),
  )
  const old = after.addons.find((a) => a.name === OLD)!
  // Besides its colour alias it keeps only the credential's attachment, which the summary names with the
  // command that moves it.
  expect(old.attachments.filter((name) => name.startsWith('acme-shop::')).sort()).toEqual([
    'acme-shop::ANALYST',
    expect.stringMatching(/^acme-shop::HEROKU_POSTGRESQL_[A-Z]+$/),
  ])
  expect(main.record?.carriedOver?.left).toEqual([
    expect.stringContaining(
      'ANALYST (credential analyst) still points at the old database: heroku addons:attach',
    ),
  ])
  expect(after.lost_writes).toBe(0)
  expect(main.record?.leftovers?.nonDefaultPoolers).toEqual([])
})
