import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, infoValue, jump, state, type Api } from './helpers.js'

// Transfers as Heroku runs them: no PG Backups on Shield, a copy or restore empties its target first, a
// transfer larger than transfer_timeout_gb times out, and the transfer-fails fault.

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

interface TransferJson {
  uuid: string
  num: number
  succeeded: boolean
  finished_at: string | null
  processed_bytes: number
  source_bytes: number
  to_url: string
  logs?: { level: string; message: string }[]
}

/** acme (writing 10 commits/s through DATABASE) with DATABASE and a second database attached as TARGET. */
function twoDatabases(sourceMb = 570, top: Record<string, unknown> = {}): object {
  return {
    ...top,
    apps: [
      {
        name: 'acme',
        formation: [{ type: 'worker', quantity: 1 }],
        writes_per_second: { worker: 10 },
        databases: [
          {
            addon: 'postgresql-source-10001',
            plan: 'standard-2',
            version: '16',
            data_size_mb: sourceMb,
            attachments: ['DATABASE'],
          },
          {
            addon: 'postgresql-target-10002',
            plan: 'standard-2',
            version: '16',
            data_size_mb: 100,
            tables: 7,
            attachments: ['TARGET'],
          },
        ],
      },
    ],
  }
}

async function copy(api: Api, from = 'DATABASE', to = 'TARGET'): Promise<TransferJson> {
  const config = (await api('GET', '/apps/acme/config-vars')).body as Record<string, string>
  const started = await api('POST', '/client/v11/databases/postgresql-target-10002/transfers', {
    from_name: from,
    from_url: config[`${from}_URL`],
    to_name: to,
    to_url: config[`${to}_URL`],
  })
  expect(started.status).toBe(201)
  return started.body as TransferJson
}

const transfer = async (api: Api, uuid: string) =>
  (await api('GET', `/client/v11/apps/acme/transfers/${uuid}?verbose=true`)).body as TransferJson

async function injectFault(fault: object): Promise<void> {
  const response = await fetch(`${sim!.url}/__simulator/faults`, {
    method: 'POST',
    body: JSON.stringify(fault),
  })
  expect(response.status).toBe(201)
}

describe('Shield databases', () => {
  const shieldScenario = {
    apps: [
      {
        name: 'acme',
        space: 'acme-shield-space',
        databases: [
          { addon: 'postgresql-shield-10001', plan: 'shield-0', version: '16', attachments: ['DATABASE'] },
          { addon: 'postgresql-other-10002', plan: 'private-0', version: '16', attachments: ['OTHER'] },
        ],
      },
    ],
  }

  it('refuses backups, pg:copy and restores from or into a Shield database with a 422', async () => {
    sim = await frozenSimulator(shieldScenario)
    const api = client(sim)
    const backup = await api('POST', '/client/v11/databases/postgresql-shield-10001/backups')
    expect(backup.status).toBe(422)
    expect(backup.body).toEqual({
      id: 'unprocessable_entity',
      message:
        'A backup cannot use postgresql-shield-10001: it is a Heroku Shield database (heroku-postgresql:shield-0), and PG Backups (backups, restores and pg:copy) do not work with Shield databases.',
    })
    const config = (await api('GET', '/apps/acme/config-vars')).body as Record<string, string>
    for (const [from, to] of [
      ['DATABASE', 'OTHER'],
      ['OTHER', 'DATABASE'],
    ]) {
      const refused = await api('POST', '/client/v11/databases/postgresql-other-10002/transfers', {
        from_url: config[`${from}_URL`],
        to_url: config[`${to}_URL`],
      })
      expect(refused.status).toBe(422)
      expect((refused.body as { message: string }).message).toMatch(
        /^pg:copy cannot use postgresql-shield-10001/,
      )
    }
    const otherBackup = (await api('POST', '/client/v11/databases/postgresql-other-10002/backups'))
      .body as TransferJson
    await jump(sim, 600)
    const restore = await api('POST', '/client/v11/databases/postgresql-shield-10001/restores', {
      backup_url: otherBackup.to_url,
    })
    expect(restore.status).toBe(422)
    expect((restore.body as { message: string }).message).toMatch(
      /^A restore cannot use postgresql-shield-10001/,
    )
    expect((await api('GET', '/client/v11/apps/acme/transfers')).body).toHaveLength(1)
  })
})

describe('a copy removes all data from its target first', () => {
  it('empties the target when it starts; a copy that fails under transfer-fails leaves it empty', async () => {
    sim = await frozenSimulator(twoDatabases())
    const api = client(sim)
    await injectFault({ type: 'transfer-fails', transfer: 'copy' })
    const started = await copy(api)
    const target = (await api('GET', '/client/v11/databases/postgresql-target-10002')).body
    expect(infoValue(target, 'Data Size')?.[0]).toMatch(/^0 B \//)
    expect(infoValue(target, 'Tables')).toEqual(['0'])
    // 570 MB at 5.7 MB/s would take 100 s: the fault makes it fail halfway.
    await jump(sim, 49)
    expect((await transfer(api, started.uuid)).finished_at).toBeNull()
    await jump(sim, 1)
    const failed = await transfer(api, started.uuid)
    expect(failed).toMatchObject({ succeeded: false, finished_at: expect.any(String) })
    expect(failed.processed_bytes).toBeGreaterThan(0)
    expect(failed.processed_bytes).toBeLessThan(failed.source_bytes)
    expect(failed.logs?.map((l) => l.message)).toContain('pg_dump: error: connection to server was lost')
    const after = (await api('GET', '/client/v11/databases/postgresql-target-10002')).body
    expect(infoValue(after, 'Tables')).toEqual(['0'])
    expect(infoValue(after, 'Data Size')?.[0]).toMatch(/^0 B \//)
  })

  it('counts what the app wrote to the target as lost once the app uses the wiped target', async () => {
    sim = await frozenSimulator(twoDatabases())
    const api = client(sim)
    // As pg:promote does: an alias for the old database, then the target becomes DATABASE.
    const common = { app: { name: 'acme' }, confirm: 'acme', namespace: null }
    const alias = (
      await api('POST', '/addon-attachments', { ...common, addon: { name: 'postgresql-source-10001' } })
    ).body as { name: string }
    await api('POST', '/addon-attachments', {
      ...common,
      addon: { name: 'postgresql-target-10002' },
      name: 'DATABASE',
    })
    // The release restarts the worker: its old process writes 300 commits to the source through its 30 s
    // grace (its config is the old one), lost to the app; the new one writes the next 700 to the target.
    await jump(sim, 100)
    expect((await state(sim)).lost_writes).toBe(10 * 30)
    await injectFault({ type: 'transfer-fails', addon: 'postgresql-target-10002' })
    const started = await copy(api, alias.name, 'DATABASE')
    await jump(sim, 60)
    expect((await transfer(api, started.uuid)).succeeded).toBe(false)
    // The 700 commits only the target had are gone too; what the worker wrote during the copy is still there.
    expect((await state(sim)).lost_writes).toBe(10 * 30 + 700)
  })

  it('a transfer-fails fault for backups leaves copies alone, and fails the next backup halfway', async () => {
    sim = await frozenSimulator(twoDatabases())
    const api = client(sim)
    await injectFault({ type: 'transfer-fails', transfer: 'backup' })
    const copied = await copy(api)
    await jump(sim, 110)
    expect((await transfer(api, copied.uuid)).succeeded).toBe(true)
    const backup = (await api('POST', '/client/v11/databases/postgresql-source-10001/backups'))
      .body as TransferJson
    await jump(sim, 110)
    const failed = await transfer(api, backup.uuid)
    expect(failed.succeeded).toBe(false)
    expect(failed.logs?.at(-1)).toEqual({
      created_at: expect.any(String),
      level: 'error',
      message: 'backup failed: the transfer did not finish',
    })
  })
})

describe('transfers larger than transfer_timeout_gb', () => {
  it('times out once 20 GB have moved (about an hour at 5.7 MB/s), with the reason in the logs', async () => {
    sim = await frozenSimulator(twoDatabases(25 * 1024))
    const api = client(sim)
    const backup = (await api('POST', '/client/v11/databases/postgresql-source-10001/backups'))
      .body as TransferJson
    const timeout = (20 * 1024) / 5.7
    await jump(sim, timeout - 1)
    expect((await transfer(api, backup.uuid)).finished_at).toBeNull()
    await jump(sim, 1)
    const failed = await transfer(api, backup.uuid)
    expect(failed.succeeded).toBe(false)
    expect(failed.processed_bytes).toBe(20 * 1024 ** 3)
    expect(failed.logs?.at(-1)?.message).toBe(
      'backup timed out after 3593 s: transfers of more than 20 GB can time out; back up from a fork or run pg_dump from a one-off dyno',
    )
  })

  it('follows the transfer_timeout_gb key', async () => {
    sim = await frozenSimulator(twoDatabases(570, { transfer_timeout_gb: 0.5 }))
    const api = client(sim)
    const started = await copy(api)
    await jump(sim, 100)
    expect((await transfer(api, started.uuid)).succeeded).toBe(false)
  })
})
