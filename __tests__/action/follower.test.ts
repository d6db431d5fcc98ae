// The action against the simulator over real HTTP on 127.0.0.1.
import { describe, expect, it } from 'vitest'
import { cleanUpAfterEachTest, appState, expectNoSecrets, FAST, job, simulator } from './simulated'

const OLD = 'postgresql-curved-12345'

cleanUpAfterEachTest()

describe('the follower method against the simulator', () => {
  it('upgrades with no lost writes, restores the app exactly and opens one follow-up issue', async () => {
    const sim = await simulator()
    const before = (await appState(sim)).app.formation
    const run = job(sim)
    const main = await run.main(FAST)
    expect(main.record?.error).toBeUndefined()
    expect(main.outputs.status).toBe('succeeded')
    expect(main.failed).toBe(false)

    const { current, app } = await appState(sim)
    const database = current.addons.find((a) => a.name === app.database)!
    expect(database.name).not.toBe(OLD)
    expect(database.version).toMatch(/^17\./)
    expect(database.following).toBeNull()
    expect(app.formation).toEqual(before)
    expect(app.maintenance).toBe(false)
    expect(current.lost_writes).toBe(0)
    expect(current.github_issues).toHaveLength(1)
    const issues = JSON.stringify(current.github_issues)
    expect(issues).not.toMatch(/postgres:\/\/|sim-heroku-token|sim-github-token/)
    expect(main.outputs).toMatchObject({
      method: 'follower',
      'old-database': OLD,
      'new-database': database.name,
    })
    expect(main.log).toMatch(
      /\[4\/10\] done in [\d.]+s: acme-web: maintenance on, web=0 worker=0 clock=0 \(was web=2:standard-2x, worker=1:standard-1x, clock=1:standard-1x\)/i,
    )
    expectNoSecrets(main)

    const post = await run.post(FAST)
    expect(post.log).toContain('nothing to do')
  })

  it('rides out a storm of 429 and 503 answers', async () => {
    const sim = await simulator([
      { method: 'GET', path: '/apps/*', status: 429, times: 5, retry_after: 0 },
      { method: 'POST', path: '/client/v11/databases/*/upgrade/run', status: 503, times: 2 },
      { method: 'PATCH', path: '/apps/*/formation', status: 503, times: 2 },
      { method: 'GET', path: '/client/v11/databases/*', status: 500, times: 3 },
    ])
    const before = (await appState(sim)).app.formation
    const main = await job(sim).main(FAST)
    expect(main.record?.error).toBeUndefined()
    expect(main.outputs.status).toBe('succeeded')
    const { current, app } = await appState(sim)
    expect(app.formation).toEqual(before)
    expect(current.lost_writes).toBe(0)
    expect(main.log).toContain('answered 429')
  })

  it('survives dropped connections', async () => {
    const sim = await simulator([
      { drop: true, method: 'GET', path: '/client/v11/databases/*', times: 1 },
      { drop: true, method: 'PATCH', path: '/apps/acme-web', times: 1 },
    ])
    const main = await job(sim).main(FAST)
    expect(main.record?.error).toBeUndefined()
    expect(main.outputs.status).toBe('succeeded')
    expect((await appState(sim)).current.lost_writes).toBe(0)
  })

  it('changes only the plan by unfollowing when the version stays the same', async () => {
    const sim = await simulator()
    const before = (await appState(sim)).app.formation
    const main = await job(sim, { version: '14', plan: 'standard-2' }).main(FAST)
    expect(main.record?.error).toBeUndefined()
    expect(main.outputs.status).toBe('succeeded')
    expect(main.record?.steps.map((s) => s.name)).toContain('unfollow')
    const { current, app } = await appState(sim)
    const database = current.addons.find((a) => a.name === app.database)!
    expect(database.name).not.toBe(OLD)
    expect(database.plan).toMatch(/standard-2$/)
    expect(database.version).toMatch(/^14\./)
    expect(app.formation).toEqual(before)
    expect(current.lost_writes).toBe(0)
  })

  it('upgrades to the newest supported version when no version is given', async () => {
    const sim = await simulator()
    const before = (await appState(sim)).app.formation
    const main = await job(sim, { version: '' }).main(FAST)
    expect(main.record?.error).toBeUndefined()
    const { current, app } = await appState(sim)
    expect(current.addons.find((a) => a.name === app.database)!.version).toMatch(/^18\./)
    expect(app.formation).toEqual(before)
  })
})
