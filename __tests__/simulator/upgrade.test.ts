import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, infoValue, jump, type Api } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const upgradeStatus = async (api: Api, id: string) =>
  (await api('GET', `/client/v11/databases/${id}/upgrade/wait_status`)).body as Record<string, unknown>

describe('in-place upgrades', () => {
  it('runs directly on Essential through six steps (no followers to recreate) to the new version', async () => {
    sim = await frozenSimulator('essential-pg15')
    const api = client(sim)
    const id = 'postgresql-silent-20481'
    expect((await api('POST', `/client/v11/databases/${id}/upgrade/run`, { version: '17' })).status).toBe(200)
    expect(await upgradeStatus(api, id)).toMatchObject({
      'waiting?': true,
      message: 'preparing upgrade service',
      step: '1/6',
    })
    const seen = new Set<unknown>()
    for (let t = 0; t < 420; t += 30) {
      const status = await upgradeStatus(api, id)
      expect(status['waiting?']).toBe(true)
      seen.add(status.message)
      await jump(sim, 30)
    }
    expect(seen).not.toContain('recreating followers')
    expect(seen).toContain('updating extensions')
    expect(await upgradeStatus(api, id)).toMatchObject({
      'waiting?': false,
      message: 'updating extensions',
      step: '6/6',
    })
    const info = (await api('GET', `/client/v11/databases/${id}`)).body
    expect(infoValue(info, 'PG Version')).toEqual(['17.5'])
    expect((await api('GET', `/client/v11/databases/${id}/wait_status`)).body).toMatchObject({
      'waiting?': false,
      message: 'performing final cleanup steps after upgrade',
    })
  })

  it('refuses prepare, dry run and cancel on Essential with the CLI’s wording', async () => {
    sim = await frozenSimulator('essential-pg15')
    const api = client(sim)
    const prepare = await api('POST', '/client/v11/databases/postgresql-silent-20481/upgrade/prepare', {})
    expect(prepare.status).toBe(422)
    expect((prepare.body as { message: string }).message).toBe(
      'You can only use heroku pg:upgrade:prepare on Standard-tier and higher leader databases. For Essential-tier databases, use heroku pg:upgrade:run instead.',
    )
  })

  it('requires prepare before run on a Standard leader, then runs once prepared and ready', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const id = 'postgresql-curved-12345'
    const early = await api('POST', `/client/v11/databases/${id}/upgrade/run`, {})
    expect(early.status).toBe(400)
    expect(early.body).toEqual({
      id: 'bad_request',
      message:
        "You haven't scheduled a version upgrade on your database. Run `heroku pg:upgrade:prepare` to schedule an upgrade.",
    })
    expect((await api('POST', `/client/v11/databases/${id}/upgrade/prepare`, { version: '16' })).status).toBe(
      200,
    )
    expect((await api('POST', `/client/v11/databases/${id}/upgrade/prepare`, {})).status).toBe(422)
    expect(await upgradeStatus(api, id)).toEqual({
      'waiting?': true,
      'error?': false,
      message: 'upgrade is being prepared',
    })
    const notReady = await api('POST', `/client/v11/databases/${id}/upgrade/run`, {})
    expect(notReady.status).toBe(400)
    expect((notReady.body as { message: string }).message).toMatch(/^Your database is not ready for upgrade/)
    await jump(sim, 599)
    expect((await upgradeStatus(api, id))['waiting?']).toBe(true)
    await jump(sim, 1)
    const scheduled = await upgradeStatus(api, id)
    expect(scheduled['waiting?']).toBe(false)
    expect(scheduled.message).toMatch(
      /^upgrade is scheduled on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. You could also run/,
    )
    // Scheduled, yet run still refuses it for upgrade_run_ready_after (300 s).
    expect((await api('POST', `/client/v11/databases/${id}/upgrade/run`, {})).status).toBe(400)
    await jump(sim, 300)
    expect((await api('POST', `/client/v11/databases/${id}/upgrade/run`, {})).status).toBe(200)
    const cancel = await api('POST', `/client/v11/databases/${id}/upgrade/cancel`, {})
    expect(cancel.body).toEqual({
      id: 'bad_request',
      message: "You can't cancel the upgrade because it's currently in progress.",
    })
    await jump(sim, 420)
    expect(infoValue((await api('GET', `/client/v11/databases/${id}`)).body, 'PG Version')?.[0]).toMatch(
      /^16\./,
    )
  })

  it('cancels a scheduled upgrade', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const id = 'postgresql-curved-12345'
    const none = await api('POST', `/client/v11/databases/${id}/upgrade/cancel`, {})
    expect(none.status).toBe(422)
    await api('POST', `/client/v11/databases/${id}/upgrade/prepare`, {})
    expect((await api('POST', `/client/v11/databases/${id}/upgrade/cancel`, {})).body).toEqual({
      message: 'You canceled the upgrade.',
    })
  })

  it('reports error? with a message when the upgrade fails at step N', async () => {
    sim = await frozenSimulator({
      apps: [
        {
          name: 'acme',
          databases: [
            {
              addon: 'postgresql-small-10001',
              plan: 'essential-0',
              version: '15',
              attachments: ['DATABASE'],
            },
          ],
        },
      ],
      faults: [{ type: 'upgrade-fails', step: 3 }],
    })
    const api = client(sim)
    await api('POST', '/client/v11/databases/postgresql-small-10001/upgrade/run', {})
    await jump(sim, 420)
    const status = await upgradeStatus(api, 'postgresql-small-10001')
    expect(status).toMatchObject({ 'error?': true, step: '3/6' })
    expect(status.message).toMatch(/failed at step 3\/6/)
    const info = (await api('GET', '/client/v11/databases/postgresql-small-10001')).body
    expect(infoValue(info, 'PG Version')).toEqual(['15'])
  })
})
