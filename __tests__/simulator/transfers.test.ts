import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, infoValue, jump, state, type Api } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

/** acme-web's 2 GB database moves at 5.7 MB/s (Heroku's "about 3 minutes per GB") in about 360 s. */
const TRANSFER_SECONDS = 380

async function newDatabase(
  api: Api,
  version = '17',
): Promise<{ id: string; name: string; app: { id: string } }> {
  const created = await api('POST', '/apps/acme-web/addons', {
    plan: { name: 'heroku-postgresql:standard-0' },
    config: { version },
    attachment: {},
  })
  expect(created.status).toBe(201)
  return created.body as { id: string; name: string; app: { id: string } }
}

/**
 * Maintenance on and every process type scaled to 0 (seed 004: maintenance mode does not stop web dynos), then
 * wait until the stopped dynos have exited (durations.dyno_stop, 30 s): they are not listed meanwhile, but write.
 */
async function quiesce(api: Api) {
  await api('PATCH', '/apps/acme-web', { maintenance: true })
  await api('PATCH', '/apps/acme-web/formation', {
    updates: [
      { type: 'web', quantity: '0' },
      { type: 'worker', quantity: '0' },
      { type: 'clock', quantity: '0' },
    ],
  })
  expect((await api('GET', '/apps/acme-web/dynos')).body).toEqual([])
  await jump(sim!, 30)
}

/** Seed 002 to the letter: maintenance on, worker (and clock) scaled to 0, and the backup started at once. */
async function quiesceAsSeed002Says(api: Api) {
  await api('PATCH', '/apps/acme-web', { maintenance: true })
  await api('PATCH', '/apps/acme-web/formation', {
    updates: [
      { type: 'worker', quantity: '0' },
      { type: 'clock', quantity: '0' },
    ],
  })
}

async function backupRestorePromote(api: Api, target: { id: string; name: string }): Promise<void> {
  const backup = (await api('POST', '/client/v11/databases/postgresql-curved-12345/backups')).body as {
    to_url: string
  }
  await jump(sim!, TRANSFER_SECONDS)
  await api('POST', `/client/v11/databases/${target.id}/restores`, { backup_url: backup.to_url })
  await jump(sim!, TRANSFER_SECONDS)
  await promote(api, target.name)
  await jump(sim!, 10)
}

/** pg:promote: an alias for the old database first (Heroku refuses to remove an add-on's last attachment). */
async function promote(api: Api, name: string) {
  await api('POST', '/addon-attachments', {
    addon: { name: 'postgresql-curved-12345' },
    app: { name: 'acme-web' },
    confirm: 'acme-web',
    namespace: null,
  })
  await api('POST', '/addon-attachments', {
    addon: { name },
    app: { name: 'acme-web' },
    confirm: 'acme-web',
    name: 'DATABASE',
    namespace: null,
  })
}

describe('transfers', () => {
  it('backs up, restores into a new database (seed 002) and loses nothing', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const target = await newDatabase(api)
    await jump(sim, 200)
    await quiesce(api)
    const backup = (await api('POST', '/client/v11/databases/postgresql-curved-12345/backups')).body as {
      uuid: string
      num: number
      to_url: string
    }
    expect(backup).toMatchObject({ num: 1, from_type: 'pg_dump', to_type: 'gof3r', from_name: 'DATABASE' })
    const running = (await api('GET', `/client/v11/apps/acme-web/transfers/${backup.uuid}`)).body
    expect(running).toMatchObject({ finished_at: null, processed_bytes: 0 })
    await jump(sim, 180)
    const halfway = (await api('GET', '/client/v11/apps/acme-web/transfers/1')).body as {
      processed_bytes: number
      source_bytes: number
    }
    expect(halfway.processed_bytes).toBeGreaterThan(0)
    expect(halfway.processed_bytes).toBeLessThan(halfway.source_bytes)
    await jump(sim, TRANSFER_SECONDS - 180)
    const done = (await api('GET', `/client/v11/apps/acme-web/transfers/${backup.uuid}?verbose=true`))
      .body as Record<string, unknown>
    expect(done).toMatchObject({ succeeded: true })
    expect(done.finished_at).not.toBeNull()
    expect(done.logs).toBeInstanceOf(Array)

    const restore = (
      await api('POST', `/client/v11/databases/${target.id}/restores`, { backup_url: backup.to_url })
    ).body as {
      uuid: string
    }
    await jump(sim, TRANSFER_SECONDS)
    const restored = (await api('GET', `/client/v11/apps/${target.app.id}/transfers/${restore.uuid}`)).body
    expect(restored).toMatchObject({ succeeded: true, from_type: 'gof3r', to_type: 'pg_restore' })
    await promote(api, target.name)
    await jump(sim, 10) // the release phase of the Attach release; dynos switch when it succeeds
    await api('PATCH', '/apps/acme-web/formation', {
      updates: [
        { type: 'web', quantity: '2' },
        { type: 'worker', quantity: '1' },
        { type: 'clock', quantity: '1' },
      ],
    })
    await api('PATCH', '/apps/acme-web', { maintenance: false })
    await jump(sim, 60)
    expect((await state(sim)).lost_writes).toBe(0)
    const list = (await api('GET', '/client/v11/apps/acme-web/transfers')).body as { created_at: string }[]
    expect(list).toHaveLength(2)
    expect(list.every((t) => typeof t.created_at === 'string')).toBe(true)
  })

  it('following seed 002 to the letter loses what web, worker and clock wrote after the backup started', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const target = await newDatabase(api)
    await jump(sim, 200)
    await quiesceAsSeed002Says(api)
    await backupRestorePromote(api, target)
    // maintenance_write_seconds (5 s) of web (20/s), dyno_stop (30 s) of worker (5/s) and clock (1/s).
    expect((await state(sim)).lost_writes).toBe(5 * 20 + 30 * (5 + 1))
  })

  it('pg:copy takes the source as of the start: writes after it are lost', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const target = await newDatabase(api)
    await jump(sim, 200)
    const config = (await api('GET', '/apps/acme-web/config-vars')).body as Record<string, string>
    const targetVar = Object.keys(config).find((k) => k.startsWith('HEROKU_POSTGRESQL_')) as string
    const copy = await api('POST', `/client/v11/databases/${target.id}/transfers`, {
      from_name: 'DATABASE',
      from_url: config.DATABASE_URL,
      to_name: targetVar.replace(/^HEROKU_POSTGRESQL_|_URL$/g, ''),
      to_url: config[targetVar],
    })
    expect(copy.status).toBe(201)
    expect(copy.body).toMatchObject({ from_type: 'pg_dump', to_type: 'pg_restore' })
    await jump(sim, TRANSFER_SECONDS)
    await promote(api, target.name)
    await jump(sim, 10)
    expect((await state(sim)).lost_writes).toBeGreaterThan(0)
    const info = (await api('GET', `/client/v11/databases/${target.id}`)).body
    expect(infoValue(info, 'Tables')).toEqual(['61'])
  })

  it('refuses to copy a database onto itself', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const config = (await api('GET', '/apps/acme-web/config-vars')).body as Record<string, string>
    const call = await api('POST', '/client/v11/databases/postgresql-curved-12345/transfers', {
      from_url: config.DATABASE_URL,
      to_url: config.DATABASE_URL,
    })
    expect(call.status).toBe(422)
  })
})
