import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, jump, state, type Api } from './helpers.js'

let sim: SimulatorHandle | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const OLD = 'postgresql-curved-12345'
const lastBilling = (name: string, addon: string) => ({
  id: 'unprocessable_entity',
  message: `${name} on acme-web is the last billing attachment to ${addon}; either remove the add-on entirely or add a new attachment`,
})

interface AttachmentJson {
  id: string
  name: string
  addon: { name: string }
}

async function attachments(api: Api): Promise<AttachmentJson[]> {
  return (await api('GET', '/apps/acme-web/addon-attachments')).body as AttachmentJson[]
}

async function releaseCount(api: Api): Promise<number> {
  return ((await api('GET', '/apps/acme-web/releases')).body as unknown[]).length
}

async function provisionedDatabase(api: Api, s: SimulatorHandle): Promise<string> {
  const created = await api('POST', '/apps/acme-web/addons', {
    plan: { name: 'heroku-postgresql:standard-0' },
    config: {},
    attachment: {},
  })
  expect(created.status).toBe(201)
  await jump(s, 180)
  return (created.body as { name: string }).name
}

/** What `pg:promote` sends: an alias for the current DATABASE first (no name: the server picks one), then DATABASE. */
async function cliPromote(api: Api, addon: string) {
  const alias = await api('POST', '/addon-attachments', {
    addon: { name: OLD },
    app: { name: 'acme-web' },
    confirm: 'acme-web',
    namespace: null,
  })
  const promoted = await api('POST', '/addon-attachments', {
    addon: { name: addon },
    app: { name: 'acme-web' },
    confirm: 'acme-web',
    name: 'DATABASE',
    namespace: null,
  })
  return { alias, promoted }
}

describe('the last billing attachment', () => {
  it('refuses to detach the only attachment of an add-on and changes nothing', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const [database] = await attachments(api)
    const releases = await releaseCount(api)
    const refused = await api('DELETE', `/addon-attachments/${database?.id}`)
    expect(refused.status).toBe(422)
    expect(refused.body).toEqual(lastBilling('DATABASE', OLD))
    expect((await attachments(api)).map((a) => a.name)).toEqual(['DATABASE'])
    expect((await state(sim)).apps[0]?.config_var_names).toContain('DATABASE_URL')
    expect(await releaseCount(api)).toBe(releases)
  })

  it('refuses to replace DATABASE when it is the old database’s only attachment', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const created = await provisionedDatabase(api, sim)
    const before = await attachments(api)
    const releases = await releaseCount(api)
    const refused = await api('POST', '/addon-attachments', {
      addon: { name: created },
      app: { name: 'acme-web' },
      confirm: 'acme-web',
      name: 'DATABASE',
      namespace: null,
    })
    expect(refused.status).toBe(422)
    expect(refused.body).toEqual(lastBilling('DATABASE', OLD))
    expect(await attachments(api)).toEqual(before)
    expect(await releaseCount(api)).toBe(releases)
    expect((await state(sim)).apps[0]).toMatchObject({ database: OLD })
  })

  it('lets the CLI-style promote through: an alias first, then DATABASE', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const created = await provisionedDatabase(api, sim)
    const { alias, promoted } = await cliPromote(api, created)
    expect(alias.status).toBe(201)
    expect((alias.body as AttachmentJson).name).toMatch(/^HEROKU_POSTGRESQL_[A-Z]+$/)
    expect(promoted.status).toBe(201)
    const now = await attachments(api)
    expect(now.find((a) => a.name === 'DATABASE')?.addon.name).toBe(created)
    const oldOnes = now.filter((a) => a.addon.name === OLD)
    expect(oldOnes.map((a) => a.name)).toEqual([(alias.body as AttachmentJson).name])
    // The old database's alias is now its last attachment: only addons:destroy removes it.
    expect((await api('DELETE', `/addon-attachments/${oldOnes[0]?.id}`)).body).toEqual(
      lastBilling((alias.body as AttachmentJson).name, OLD),
    )
    // The new database has DATABASE and its colour: either may go.
    const colour = now.find((a) => a.addon.name === created && a.name !== 'DATABASE')
    expect((await api('DELETE', `/addon-attachments/${colour?.id}`)).status).toBe(200)
  })
})

describe('the attachment on the owning app', () => {
  it('stays: replacing the owner’s last attachment is refused even while another app holds one', async () => {
    // acme-cr owns postgresql-looking-24490 (DATABASE on acme-cr and on acme-ps).
    sim = await frozenSimulator('private-space-migration')
    const api = client(sim)
    const created = await api('POST', '/apps/acme-cr/addons', {
      plan: { name: 'heroku-postgresql:standard-0' },
      config: {},
      attachment: {},
    })
    await jump(sim, 180)
    const replace = () =>
      api('POST', '/addon-attachments', {
        addon: { name: (created.body as { name: string }).name },
        app: { name: 'acme-cr' },
        confirm: 'acme-cr',
        name: 'DATABASE',
        namespace: null,
      })
    const refused = await replace()
    expect(refused.status).toBe(422)
    expect((refused.body as { message: string }).message).toBe(
      'DATABASE on acme-cr is the last billing attachment to postgresql-looking-24490; either remove the add-on entirely or add a new attachment',
    )
    // An alias on the owner first, as pg:promote does, lets it through.
    const alias = await api('POST', '/addon-attachments', {
      addon: { name: 'postgresql-looking-24490' },
      app: { name: 'acme-cr' },
      confirm: 'acme-cr',
      namespace: null,
    })
    expect(alias.status).toBe(201)
    expect((await replace()).status).toBe(201)
  })

  it('does not bind attachments on other apps: acme-ps may replace its DATABASE', async () => {
    sim = await frozenSimulator('private-space-migration')
    const api = client(sim)
    const created = await api('POST', '/apps/acme-ps/addons', {
      plan: { name: 'heroku-postgresql:private-0' },
      config: {},
      attachment: {},
    })
    await jump(sim, 600)
    const replaced = await api('POST', '/addon-attachments', {
      addon: { name: (created.body as { name: string }).name },
      app: { name: 'acme-ps' },
      confirm: 'acme-ps',
      name: 'DATABASE',
      namespace: null,
    })
    expect(replaced.status).toBe(201)
  })
})

describe('creating an add-on under an attachment name the app already has', () => {
  const createAs = (name: string, extra: Record<string, unknown> = {}) => ({
    plan: { name: 'heroku-postgresql:standard-0' },
    config: {},
    attachment: { name },
    ...extra,
  })

  it('needs confirm, and creates nothing without it', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const refused = await api('POST', '/apps/acme-web/addons', createAs('DATABASE'))
    expect(refused.status).toBe(423)
    expect(refused.body).toMatchObject({ id: 'confirmation_required' })
    expect((refused.body as { message: string }).message).toMatch(
      /^DATABASE is already attached to acme-web\. /,
    )
    expect((await state(sim)).addons.map((a) => a.name)).toEqual([OLD])
  })

  it('with confirm still refuses to replace the last attachment of the old add-on', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    const refused = await api('POST', '/apps/acme-web/addons', createAs('DATABASE', { confirm: 'acme-web' }))
    expect(refused.status).toBe(422)
    expect(refused.body).toEqual(lastBilling('DATABASE', OLD))
    expect((await state(sim)).addons.map((a) => a.name)).toEqual([OLD])
  })

  it('with confirm replaces the attachment once the old add-on has another one', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    await api('POST', '/addon-attachments', {
      addon: { name: OLD },
      app: { name: 'acme-web' },
      confirm: 'acme-web',
      namespace: null,
    })
    const created = await api('POST', '/apps/acme-web/addons', createAs('database', { confirm: 'acme-web' }))
    expect(created.status).toBe(201)
    const name = (created.body as { name: string }).name
    const app = (await state(sim)).apps[0]
    expect(app).toMatchObject({ database: name })
    // The replacing add-on is still provisioning: no DATABASE_URL until it is provisioned.
    expect(app?.config_var_names).not.toContain('DATABASE_URL')
    await jump(sim, 180)
    expect((await state(sim)).apps[0]?.config_var_names).toContain('DATABASE_URL')
    expect((await attachments(api)).filter((a) => a.addon.name === name).map((a) => a.name)).toEqual([
      'DATABASE',
    ])
  })

  it('does not ask when the name is free', async () => {
    sim = await frozenSimulator('standard-pg14')
    const api = client(sim)
    expect((await api('POST', '/apps/acme-web/addons', createAs('FOLLOWER'))).status).toBe(201)
  })
})
