// Bad inputs, unimplemented methods and preflight findings stop the run before any request that changes anything.
import { afterEach, describe, expect, it } from 'vitest'
import { ActionJob } from '../action/harness'
import { json, startFakeServer, type SeenRequest } from './fake-server'

const OLD = { id: '11111111-1111-1111-1111-111111111111', name: 'postgresql-curved-12345' }

/** A read-only Heroku: enough for the preflight, and it records every request. */
async function readOnlyHeroku(plan = 'heroku-postgresql:standard-0', version = '14.17') {
  return startFakeServer((request: SeenRequest, response) => {
    const app = { id: 'app-1', name: 'acme-web' }
    const attachment = {
      id: 'att-1',
      name: 'DATABASE',
      namespace: null,
      app,
      addon: { id: OLD.id, name: OLD.name, app, plan: { name: plan } },
      config_vars: ['DATABASE_URL'],
    }
    const route = `${request.method} ${request.path}`
    if (route === 'GET /account') return json(response, 200, { id: 'user-1', email: 'dev@example.com' })
    if (route === 'GET /apps/acme-web') return json(response, 200, { ...app, maintenance: false })
    if (route === 'POST /actions/addon-attachments/resolve') return json(response, 200, [attachment])
    if (route === `GET /client/v11/databases/${OLD.id}`)
      return json(response, 200, {
        resource_url: 'postgres://u:secret@db.example.com:5432/d1',
        info: [{ name: 'PG Version', values: [version] }],
      })
    if (route === 'GET /apps/acme-web/formation')
      return json(response, 200, [{ type: 'web', quantity: 1, size: 'standard-1x' }])
    if (route === 'GET /apps/acme-web/addon-attachments') return json(response, 200, [attachment])
    if (route === `GET /addons/${OLD.id}/addon-attachments`) return json(response, 200, [attachment])
    if (route === 'GET /apps/acme-web/dynos') return json(response, 200, [])
    if (route === 'GET /addon-services/heroku-postgresql/plans')
      return json(response, 200, [
        { name: 'heroku-postgresql:essential-0' },
        { name: 'heroku-postgresql:essential-1' },
        { name: 'heroku-postgresql:standard-0' },
        { name: 'heroku-postgresql:standard-2' },
      ])
    if (route === `GET /client/v11/databases/${OLD.id}/transfer-schedules`) return json(response, 200, [])
    if (route === `GET /client/v11/databases/${OLD.id}/upgrade/wait_status`)
      return json(response, 200, { 'waiting?': false, message: 'available' })
    json(response, 404, { id: 'not_found', message: `No route for ${route}` })
  })
}

let server: Awaited<ReturnType<typeof readOnlyHeroku>> | undefined
let job: ActionJob | undefined
afterEach(async () => {
  await server?.close()
  job?.cleanup()
})

function newJob(url: string, inputs: Record<string, string>): ActionJob {
  job = new ActionJob(
    {
      'heroku-api-key': 'key-123',
      app: 'acme-web',
      confirm: 'acme-web',
      'github-token': 'gh',
      'poll-interval': '100ms',
      ...inputs,
    },
    { HEROKU_API_URL: url, HEROKU_DATA_API_URL: url, GITHUB_API_URL: url, GITHUB_REPOSITORY: '' },
  )
  return job
}

const mutating = (requests: SeenRequest[]) =>
  requests.filter((r) => r.method !== 'GET' && r.path !== '/actions/addon-attachments/resolve')

describe('before anything changes', () => {
  it('refuses bad inputs without making any request', async () => {
    server = await readOnlyHeroku()
    const result = await newJob(server.url, {
      method: 'fast',
      confirm: 'acme-prod',
      'catch-up-timeout': 'soon',
    }).main()
    expect(result.failed).toBe(true)
    expect(result.log).toContain(
      'Input "method" has an invalid value "fast". Allowed: auto, follower, in-place, copy, backup-restore, plan-change.',
    )
    expect(result.log).toContain(
      'Input "confirm" has the value "acme-prod", which does not match the app "acme-web"',
    )
    expect(result.log).toContain('Input "catch-up-timeout" has an invalid value "soon"')
    expect(result.outputs.status).toBe('failed')
    expect(server.requests).toEqual([])
  })

  it.each([
    [
      'in-place',
      { plan: 'standard-2' },
      'The method "in-place" keeps the plan (heroku-postgresql:standard-0)',
    ],
    ['plan-change', {}, 'The method "plan-change" keeps the Postgres version (14.17)'],
    [
      'plan-change',
      { version: '14', plan: 'essential-1' },
      'Heroku changes plans only within the Essential tier or only above it',
    ],
    ['follower', { plan: 'essential-1' }, 'followers need Standard or higher'],
    ['copy', { plan: 'standard-9' }, 'Input "plan" is "standard-9", which is not a plan Heroku lists'],
  ])(
    'refuses method %s when it cannot do what was asked (%o), naming why, before any change',
    async (method, inputs, message) => {
      server = await readOnlyHeroku()
      const result = await newJob(server.url, { method, 'follow-up-issue': 'false', ...inputs }).main()
      expect(result.failed).toBe(true)
      expect(result.log).toContain(message)
      expect(result.outputs.status).toBe('failed')
      expect(mutating(server.requests)).toEqual([])
    },
  )

  it('lets auto pick in-place for an Essential database, saying why, and still refuse before any change', async () => {
    server = await readOnlyHeroku('heroku-postgresql:essential-0')
    const result = await newJob(server.url, { 'follow-up-issue': 'false', 'scale-down': 'worker' }).main()
    expect(result.failed).toBe(true)
    expect(result.log).toContain('Method: in-place (Heroku upgrades Essential databases in place).')
    expect(result.log).toContain('Input "scale-down" names process types that app acme-web does not have')
    expect(result.record?.method).toBe('in-place')
    expect(mutating(server.requests)).toEqual([])
  })

  it('refuses a target version older than the current one, after read-only calls only', async () => {
    server = await readOnlyHeroku()
    const result = await newJob(server.url, { version: '13', 'follow-up-issue': 'false' }).main()
    expect(result.failed).toBe(true)
    expect(result.record?.status).toBe('failed')
    expect(result.log).toContain(
      'Input "version" is "13", which is older than postgresql-curved-12345\'s current version 14.17',
    )
    expect(mutating(server.requests)).toEqual([])
  })

  it('refuses a target version Heroku does not offer, before the maintenance window', async () => {
    server = await readOnlyHeroku()
    const result = await newJob(server.url, { version: '19', 'follow-up-issue': 'false' }).main()
    expect(result.record?.status).toBe('failed')
    expect(result.log).toContain(
      'Input "version" is "19", which Heroku does not offer as an upgrade target. Allowed: 15, 16, 17, 18.',
    )
    expect(mutating(server.requests)).toEqual([])
  })

  it('refuses scale-down process types the app does not have', async () => {
    server = await readOnlyHeroku()
    const result = await newJob(server.url, { 'scale-down': 'worker', 'follow-up-issue': 'false' }).main()
    expect(result.log).toContain(
      'Input "scale-down" names process types that app acme-web does not have: worker. Allowed: all, none, or some of web.',
    )
    expect(mutating(server.requests)).toEqual([])
  })

  it('skips when the database is already on the target version and plan', async () => {
    server = await readOnlyHeroku('heroku-postgresql:standard-0', '17.4')
    const result = await newJob(server.url, { version: '17', 'follow-up-issue': 'false' }).main()
    expect(result.failed).toBe(false)
    expect(result.outputs.status).toBe('skipped')
    expect(mutating(server.requests)).toEqual([])
  })

  it('says clearly when the Heroku API key is refused, and changes nothing', async () => {
    server = await startFakeServer((_request, response) =>
      json(
        response,
        401,
        { id: 'unauthorized', message: 'Invalid credentials provided.' },
        { 'Request-Id': 'req-401' },
      ),
    )
    const result = await newJob(server.url, { 'follow-up-issue': 'false' }).main()
    expect(result.failed).toBe(true)
    expect(result.record?.error).toBe(
      'The Heroku API key was refused (GET /account answered 401, Request-Id req-401). Check the heroku-api-key secret.',
    )
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /account'])
  })
})
