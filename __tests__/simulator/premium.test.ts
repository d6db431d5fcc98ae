import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, infoValue, jump, state } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

describe('premium-follower-pooler scenario', () => {
  it('has a follower, a pooler, a credential attachment, an attachment on another app and a backup schedule', async () => {
    sim = await frozenSimulator('premium-follower-pooler')
    const api = client(sim)
    const attachments = (
      await api('GET', '/apps/acme-shop/addon-attachments', undefined, {
        'Accept-Inclusion': 'addon:plan,config_vars',
      })
    ).body as { name: string; namespace: string | null; config_vars: string[] }[]
    expect(attachments.map((a) => [a.name, a.namespace])).toEqual(
      expect.arrayContaining([
        ['DATABASE', null],
        ['DATABASE_CONNECTION_POOL', 'connection-pooling:default'],
        ['ANALYST', 'credential:analyst'],
        ['HEROKU_POSTGRESQL_AMBER', null],
      ]),
    )
    const config = (await api('GET', '/apps/acme-shop/config-vars')).body as Record<string, string>
    expect(config.DATABASE_CONNECTION_POOL_URL).not.toBe(config.DATABASE_URL)
    const reports = (await api('GET', '/apps/acme-reports/config-vars')).body as Record<string, string>
    expect(reports.SHOP_DATABASE_URL).toBe(config.DATABASE_URL)

    const leader = (await api('GET', '/client/v11/databases/postgresql-rigid-40213')).body
    expect(infoValue(leader, 'Followers')).toHaveLength(1)
    expect(infoValue(leader, 'HA Status')).toEqual(['Available'])
    expect(infoValue(leader, 'Credentials')).toEqual(['2'])
    const follower = (await api('GET', '/client/v11/databases/postgresql-amber-40214')).body as {
      leader: { name: string }
    }
    expect(follower.leader.name).toBe('postgresql-rigid-40213')

    const schedules = await api('GET', '/client/v11/databases/postgresql-rigid-40213/transfer-schedules')
    expect(schedules.body).toEqual([
      expect.objectContaining({ name: 'DATABASE_URL', hour: 2, timezone: 'UTC' }),
    ])

    const creds = await api('GET', '/postgres/v0/databases/postgresql-rigid-40213/credentials')
    expect((creds.body as { name: string }[]).map((c) => c.name)).toEqual(['default', 'analyst'])
  })

  it('re-attaches the pooler to the promoted database; unfollowing while writes run loses the lag', async () => {
    sim = await frozenSimulator('premium-follower-pooler')
    const api = client(sim)
    await jump(sim, 60)
    await api('PUT', '/client/v11/databases/postgresql-amber-40214/unfollow')
    const body = {
      addon: { name: 'postgresql-amber-40214' },
      app: { name: 'acme-shop' },
      confirm: 'acme-shop',
    }
    await api('POST', '/addon-attachments', { ...body, name: 'DATABASE', namespace: null })
    await api('POST', '/addon-attachments', {
      ...body,
      name: 'DATABASE_CONNECTION_POOL',
      namespace: 'connection-pooling:default',
    })
    await jump(sim, 30)
    const s = await state(sim)
    const promoted = s.addons.find((a) => a.name === 'postgresql-amber-40214')
    expect(promoted?.attachments).toEqual(
      expect.arrayContaining(['acme-shop::DATABASE', 'acme-shop::DATABASE_CONNECTION_POOL']),
    )
    const old = s.addons.find((a) => a.name === 'postgresql-rigid-40213')
    expect(old?.attachments).toEqual(
      expect.arrayContaining(['acme-shop::ANALYST', 'acme-reports::SHOP_DATABASE']),
    )
    expect(s.lost_writes).toBeGreaterThan(0)
  })

  it('asks for confirmation before replacing an attachment name without confirm', async () => {
    sim = await frozenSimulator('premium-follower-pooler')
    const api = client(sim)
    const call = await api('POST', '/addon-attachments', {
      addon: 'postgresql-amber-40214',
      app: 'acme-shop',
      name: 'DATABASE',
    })
    expect(call.status).toBe(423)
    expect(call.body).toMatchObject({ id: 'confirmation_required' })
  })
})
