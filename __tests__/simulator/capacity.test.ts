import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { overCapacityRefusal } from '../../simulator/model/plans.js'
import { client, frozenSimulator, infoValue, jump, state, type Api } from './helpers.js'

// Storage limits: a database holding more than its plan stores is "Over Plan Capacity", and by default
// (over_plan_capacity "access_restricted") refuses writes: they fail, they are not lost.

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const GB = 1024 ** 3

/** acme with an 8 GB Standard-2 DATABASE and an empty Essential-0 attached as TARGET. */
function copyScenario(top: Record<string, unknown> = {}): object {
  return {
    ...top,
    apps: [
      {
        name: 'acme',
        databases: [
          {
            addon: 'postgresql-big-10001',
            plan: 'standard-2',
            version: '16',
            data_size_mb: 8192,
            attachments: ['DATABASE'],
          },
          {
            addon: 'postgresql-small-10002',
            plan: 'essential-0',
            version: '16',
            data_size_mb: 8,
            attachments: ['TARGET'],
          },
        ],
      },
    ],
  }
}

/** acme whose DATABASE (Essential-0, 2 GB) is already over capacity, with a worker writing 10 commits/s. */
function overScenario(top: Record<string, unknown> = {}): object {
  return {
    ...top,
    apps: [
      {
        name: 'acme',
        formation: [{ type: 'worker', quantity: 1 }],
        writes_per_second: { worker: 10 },
        databases: [
          {
            addon: 'postgresql-full-10001',
            plan: 'essential-0',
            version: '16',
            data_size_mb: 2048,
            attachments: ['DATABASE'],
          },
        ],
      },
    ],
  }
}

async function copyIntoTarget(api: Api): Promise<{ uuid: string }> {
  const config = (await api('GET', '/apps/acme/config-vars')).body as Record<string, string>
  const copy = await api('POST', '/client/v11/databases/postgresql-small-10002/transfers', {
    from_name: 'DATABASE',
    from_url: config.DATABASE_URL,
    to_name: 'TARGET',
    to_url: config.TARGET_URL,
  })
  expect(copy.status).toBe(201)
  return copy.body as { uuid: string }
}

const info = async (api: Api, addon: string) => (await api('GET', `/client/v11/databases/${addon}`)).body

const commitsOf = (addon: string) => sim!.world.store.findAddon(addon)!.db.origin.count

describe('Over Plan Capacity', () => {
  it('runs a pg:copy of 8 GB into essential-0; the target ends over capacity and refuses writes', async () => {
    sim = await frozenSimulator(copyScenario())
    const api = client(sim)
    expect(infoValue(await info(api, 'postgresql-small-10002'), 'Status')).toEqual(['Available'])
    const copy = await copyIntoTarget(api)
    // 8 GB at 5.7 MB/s (Heroku's "about 3 minutes per GB") takes about 1,440 s.
    await jump(sim, 1400)
    expect((await api('GET', `/client/v11/apps/acme/transfers/${copy.uuid}`)).body).toMatchObject({
      finished_at: null,
    })
    await jump(sim, 100)
    expect((await api('GET', `/client/v11/apps/acme/transfers/${copy.uuid}`)).body).toMatchObject({
      succeeded: true,
    })
    const target = await info(api, 'postgresql-small-10002')
    expect(infoValue(target, 'Status')).toEqual(['Over Plan Capacity: Access Restricted'])
    expect(infoValue(target, 'Data Size')?.[0]).toMatch(/^8\.0 GB \/ 1 GB \(Not in compliance\)$/)
    expect(infoValue(await info(api, 'postgresql-big-10001'), 'Status')).toEqual(['Available'])
  })

  it('refuses the writes of a database over capacity: they fail and are not counted as lost', async () => {
    sim = await frozenSimulator(overScenario())
    const api = client(sim)
    expect(infoValue(await info(api, 'postgresql-full-10001'), 'Status')).toEqual([
      'Over Plan Capacity: Access Restricted',
    ])
    await jump(sim, 100)
    expect(commitsOf('postgresql-full-10001')).toBe(0)
    expect((await state(sim)).lost_writes).toBe(0)
  })

  it('only shows Action Required, and keeps taking writes, under over_plan_capacity "action_required"', async () => {
    sim = await frozenSimulator(overScenario({ over_plan_capacity: 'action_required' }))
    const api = client(sim)
    expect(infoValue(await info(api, 'postgresql-full-10001'), 'Status')).toEqual([
      'Over Plan Capacity: Action Required',
    ])
    await jump(sim, 100)
    expect(commitsOf('postgresql-full-10001')).toBe(1000)
  })

  it('gives the plan-change refusal for a plan smaller than the data, and null when it fits', () => {
    expect(overCapacityRefusal('standard-0', 8 * GB)).toBeNull()
    expect(overCapacityRefusal('heroku-postgresql:essential-0', 8 * GB)).toBe(
      "The database's data (8.0 GB) exceeds the 1 GB storage limit of heroku-postgresql:essential-0: the database would be over plan capacity. Choose heroku-postgresql:essential-1 or a larger plan, or delete data first.",
    )
    expect(overCapacityRefusal('essential-2', 40 * GB)).toMatch(/No essential-tier plan can store it\.$/)
  })
})
