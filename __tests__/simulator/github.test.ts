import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SimulatorHandle } from '../../simulator/index.js'
import { client, frozenSimulator, GITHUB_TOKEN, state, type Api } from './helpers.js'

let sim: SimulatorHandle
let gh: Api

beforeAll(async () => {
  sim = await frozenSimulator('standard-pg14')
  gh = client(sim, `token ${GITHUB_TOKEN}`)
})
afterAll(() => sim.stop())

describe('GitHub issues', () => {
  it('rejects a wrong or Heroku token with GitHub’s 401', async () => {
    const call = await client(sim, 'Bearer sim-heroku-token')('GET', '/repos/acme/web/issues')
    expect(call.status).toBe(401)
    expect(call.body).toMatchObject({ message: 'Bad credentials' })
  })

  it('creates, lists by label and state, and adds labels', async () => {
    const created = await gh('POST', '/repos/acme/web/issues', {
      title: 'Postgres upgrade failed',
      body: 'details',
      labels: ['pg-upgrade', 'failed'],
      assignees: ['octo'],
    })
    expect(created.status).toBe(201)
    const issue = created.body as { number: number; html_url: string }
    expect(issue.number).toBe(1)
    expect(issue.html_url).toBe(`${sim.url}/acme/web/issues/1`)
    await client(sim, `Bearer ${GITHUB_TOKEN}`)('POST', '/repos/acme/web/issues', {
      title: 'Other',
      labels: ['pg-upgrade'],
    })

    const both = (await gh('GET', '/repos/acme/web/issues?labels=pg-upgrade,failed&state=open')).body as {
      number: number
    }[]
    expect(both.map((i) => i.number)).toEqual([1])
    const any = (await gh('GET', '/repos/acme/web/issues?labels=pg-upgrade')).body as { number: number }[]
    expect(any.map((i) => i.number)).toEqual([2, 1])

    const labels = await gh('POST', '/repos/acme/web/issues/2/labels', { labels: ['resolved'] })
    expect((labels.body as { name: string }[]).map((l) => l.name)).toEqual(['pg-upgrade', 'resolved'])

    await gh('PATCH', '/repos/acme/web/issues/2', { state: 'closed' })
    expect(((await gh('GET', '/repos/acme/web/issues?labels=pg-upgrade')).body as unknown[]).length).toBe(1)
    expect(((await gh('GET', '/repos/acme/web/issues?state=closed')).body as unknown[]).length).toBe(1)
    expect(((await gh('GET', '/repos/acme/web/issues?state=all')).body as unknown[]).length).toBe(2)
    expect(((await gh('GET', '/repos/other/repo/issues?state=all')).body as unknown[]).length).toBe(0)

    const s = await state(sim)
    expect(s.github_issues.map((i) => [i.number, i.state])).toEqual([
      [1, 'open'],
      [2, 'closed'],
    ])
  })

  it('answers 422 Validation Failed without a title', async () => {
    const call = await gh('POST', '/repos/acme/web/issues', { body: 'no title' })
    expect(call.status).toBe(422)
    expect(call.body).toMatchObject({ message: 'Validation Failed' })
  })
})
