import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { listDynos, type ListedDyno } from './dyno-helpers.js'
import { client, frozenSimulator, jump, type Api } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

interface ReleaseJson {
  id: string
  version: number
  status: string
  eligible_for_rollback: boolean
}

async function latestRelease(api: Api, app: string): Promise<ReleaseJson> {
  const call = await api('GET', `/apps/${app}/releases`, undefined, {
    Range: 'version ..; max=1, order=desc',
  })
  return (call.body as ReleaseJson[])[0]!
}

function formationDynos(dynos: ListedDyno[]): ListedDyno[] {
  return dynos.filter((d) => d.type !== 'run')
}

describe('GET /apps/:app/releases/:version/config-vars', () => {
  it('answers the config vars as each release has them, by version, vN or id', async () => {
    sim = await frozenSimulator('essential-pg15')
    const api = client(sim)
    const before = await latestRelease(api, 'acme-small')
    await api('PATCH', '/apps/acme-small/config-vars', { FEATURE_FLAG: 'on' })
    const after = await latestRelease(api, 'acme-small')
    expect(after.version).toBe(before.version + 1)

    const old = (await api('GET', `/apps/acme-small/releases/${before.version}/config-vars`)).body as Record<
      string,
      string
    >
    expect(old).toHaveProperty('DATABASE_URL')
    expect(old).not.toHaveProperty('FEATURE_FLAG')
    const current = await api('GET', `/apps/acme-small/releases/v${after.version}/config-vars`)
    expect(current.body).toMatchObject({ FEATURE_FLAG: 'on', DATABASE_URL: old.DATABASE_URL })
    expect((await api('GET', `/apps/acme-small/releases/${after.id}/config-vars`)).body).toEqual(current.body)
    const missing = await api('GET', '/apps/acme-small/releases/999/config-vars')
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({
      id: 'not_found',
      message: "Couldn't find that release.",
      resource: 'release',
    })
  })

  it('marks only succeeded releases eligible for rollback', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    await api('PATCH', '/apps/acme-web/config-vars', { FEATURE_FLAG: 'on' })
    expect(await latestRelease(api, 'acme-web')).toMatchObject({
      status: 'pending',
      eligible_for_rollback: false,
    })
    await jump(sim, 10)
    expect(await latestRelease(api, 'acme-web')).toMatchObject({
      status: 'succeeded',
      eligible_for_rollback: true,
    })
  })
})

describe('dynos and releases', () => {
  it('a release that succeeds restarts the formation dynos onto it; one-off dynos keep theirs', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const oneOff = (await api('POST', '/apps/acme-web/dynos', { command: 'rake task' })).body as ListedDyno
    await jump(sim, 10)
    const first = await listDynos(api, 'acme-web')
    const original = first[0]!.release
    expect(first.every((d) => d.release.version === original.version && d.state === 'up')).toBe(true)

    await api('PATCH', '/apps/acme-web/config-vars', { FEATURE_FLAG: 'on' })
    const release = await latestRelease(api, 'acme-web')
    await jump(sim, 9)
    // The release phase still runs: nothing restarts yet.
    expect((await listDynos(api, 'acme-web')).map((d) => `${d.id} ${d.state} v${d.release.version}`)).toEqual(
      first.map((d) => `${d.id} up v${original.version}`),
    )
    await jump(sim, 1)
    const restarted = await listDynos(api, 'acme-web')
    for (const dyno of formationDynos(restarted)) {
      expect(dyno).toMatchObject({ state: 'starting', release: { id: release.id, version: release.version } })
      expect(first.map((d) => d.id)).not.toContain(dyno.id)
    }
    expect(restarted.find((d) => d.name === oneOff.name)).toMatchObject({
      id: oneOff.id,
      state: 'up',
      release: original,
    })
    await jump(sim, 10)
    expect(formationDynos(await listDynos(api, 'acme-web')).every((d) => d.state === 'up')).toBe(true)
  })

  it('a failed release leaves the dynos where they were', async () => {
    sim = await frozenSimulator({
      faults: [{ type: 'attach-release-fails' }],
      apps: [
        {
          name: 'acme',
          release_phase: true,
          formation: [{ type: 'web', quantity: 1 }],
          databases: [
            {
              addon: 'postgresql-old-10001',
              plan: 'standard-0',
              version: '16',
              attachments: ['DATABASE', 'OLD'],
            },
            {
              addon: 'postgresql-new-10002',
              plan: 'standard-0',
              version: '17',
              attachments: ['HEROKU_POSTGRESQL_NEW'],
            },
          ],
        },
      ],
    })
    const api = client(sim)
    const [web] = await listDynos(api, 'acme')
    await api('POST', '/addon-attachments', {
      addon: { name: 'postgresql-new-10002' },
      app: { name: 'acme' },
      confirm: 'acme',
      name: 'DATABASE',
      namespace: null,
    })
    await jump(sim, 30)
    expect((await latestRelease(api, 'acme')).status).toBe('failed')
    expect(await listDynos(api, 'acme')).toEqual([
      expect.objectContaining({ id: web!.id, state: 'up', release: web!.release }),
    ])
  })

  it('ps:restart gives every formation dyno a new id and the running release, booting for dyno_boot', async () => {
    sim = await frozenSimulator('essential-pg15')
    const api = client(sim)
    await api('PATCH', '/apps/acme-small/config-vars', { FEATURE_FLAG: 'on' })
    const release = await latestRelease(api, 'acme-small')
    // Without a release phase the restart is immediate.
    const afterRelease = await listDynos(api, 'acme-small')
    expect(afterRelease.map((d) => `${d.name} ${d.state} v${d.release.version}`)).toEqual([
      `web.1 starting v${release.version}`,
      `worker.1 starting v${release.version}`,
    ])
    await jump(sim, 10)
    expect((await api('DELETE', '/apps/acme-small/dynos/worker.1')).status).toBe(202)
    const [web, worker] = await listDynos(api, 'acme-small')
    expect(web).toMatchObject({ id: afterRelease[0]!.id, state: 'up' })
    expect(worker).toMatchObject({ state: 'starting', release: { version: release.version } })
    expect(worker!.id).not.toBe(afterRelease[1]!.id)
    expect((await api('GET', `/apps/acme-small/dynos/${afterRelease[1]!.id}`)).status).toBe(404)
  })
})

describe('POST /client/v11/databases/:id/restores', () => {
  it('names the target by its attachment on the owning app in to_name', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const target = (
      await api('POST', '/apps/acme-web/addons', {
        plan: { name: 'heroku-postgresql:standard-0' },
        config: { version: '17' },
        attachment: {},
      })
    ).body as { id: string; name: string }
    await jump(sim, 200)
    const backup = (await api('POST', '/client/v11/databases/postgresql-curved-12345/backups')).body as {
      to_url: string
      from_name: string
    }
    expect(backup.from_name).toBe('DATABASE')
    await jump(sim, 380) // 2 GB at 5.7 MB/s
    const attachments = (await api('GET', `/addons/${target.name}/addon-attachments`)).body as {
      name: string
    }[]
    expect(attachments.map((a) => a.name)).toEqual([expect.stringMatching(/^HEROKU_POSTGRESQL_[A-Z]+$/)])
    const restore = await api('POST', `/client/v11/databases/${target.id}/restores`, {
      backup_url: backup.to_url,
    })
    expect(restore.status).toBe(201)
    expect(restore.body).toMatchObject({
      from_name: 'b001',
      to_name: attachments[0]!.name,
      to_type: 'pg_restore',
    })
    const onTheDatabase = await api('POST', '/client/v11/databases/postgresql-curved-12345/restores', {
      backup_url: backup.to_url,
    })
    expect(onTheDatabase.body).toMatchObject({ to_name: 'DATABASE' })
  })
})
