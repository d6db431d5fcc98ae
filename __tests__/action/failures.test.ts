// The action against the simulator when things go wrong: before promote it rolls back, after promote it fails loudly.
import { describe, expect, it } from 'vitest'
import { cleanUpAfterEachTest, addFault, appState, expectNoSecrets, FAST, job, simulator } from './simulated'
import { isPromoted } from '../../src/record/record'

const OLD = 'postgresql-curved-12345'

cleanUpAfterEachTest()

describe('the follower method when things go wrong', () => {
  it('stops before the window when the follower never catches up, and changes nothing else', async () => {
    const sim = await simulator([{ type: 'follower-never-catches-up' }])
    const before = (await appState(sim)).app.formation
    const main = await job(sim, { 'catch-up-timeout': '3s' }).main(FAST)
    expect(main.failed).toBe(true)
    expect(main.outputs.status).toBe('failed')
    expect(main.record?.error).toMatch(
      /Timed out waiting for the follower .* to catch up with the old database: catch-up-timeout is 3s/,
    )
    expect(main.record?.steps.map((s) => s.name)).not.toContain('window-open')
    expect(main.record?.nextSteps?.join(' ')).toMatch(/left in place: re-run this workflow run to resume/)

    const events = (await (await fetch(`${sim.url}/__simulator/events`)).json()) as Array<{
      type?: string
      kind?: string
    }>
    expect(JSON.stringify(events)).not.toMatch(/maintenance[_ -]?on/i)
    const { current, app } = await appState(sim)
    expect(app.maintenance).toBe(false)
    expect(app.formation).toEqual(before)
    expect(app.database).toBe(OLD)
    expect(current.lost_writes).toBe(0)
  })

  it('rolls back when the upgrade fails: app up on the old database, formation restored', async () => {
    const sim = await simulator([{ type: 'upgrade-fails', step: 3 }])
    const before = (await appState(sim)).app.formation
    const main = await job(sim).main(FAST)
    expect(main.failed).toBe(true)
    expect(main.outputs.status).toBe('rolled-back')
    expect(main.record?.error).toMatch(/upgrade of .* failed/)
    const { current, app } = await appState(sim)
    expect(app.database).toBe(OLD)
    expect(app.maintenance).toBe(false)
    expect(app.formation).toEqual(before)
    expect(current.lost_writes).toBe(0)
    expect(current.github_issues).toHaveLength(0)
    expectNoSecrets(main)
  })

  it('after a cancellation in the window, restores the app, and a re-run resumes with the same follower', async () => {
    // upgrade/run answers 429 with Retry-After once, which holds the action in the window while it is cancelled.
    const sim = await simulator([
      { method: 'POST', path: '/client/v11/databases/*/upgrade/run', status: 429, times: 1, retry_after: 2 },
    ])
    const before = (await appState(sim)).app.formation
    const first = job(sim)
    const controller = new AbortController()
    const running = first.main({ ...FAST, signal: controller.signal })
    // Cancel as soon as the app is in maintenance, i.e. in the middle of the window.
    for (;;) {
      const { app } = await appState(sim)
      if (app.maintenance) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    controller.abort()
    const main = await running
    expect(main.outputs.status).toBe('rolled-back')
    expect(main.record?.error).toMatch(/cancelled/)
    expect(main.record?.nextSteps?.join(' ')).toMatch(
      /was left in place: re-run this workflow run to resume with it/,
    )
    let { app } = await appState(sim)
    expect(app.maintenance).toBe(false)
    expect(app.formation).toEqual(before)

    const post = await first.post(FAST)
    expect(post.failed).toBe(false)

    const again = await job(sim).main(FAST)
    expect(again.record?.error).toBeUndefined()
    expect(again.outputs.status).toBe('succeeded')
    expect(again.log).toMatch(/Resuming with follower/)
    const after = await appState(sim)
    app = after.app
    const created = after.current.addons.filter((a) => a.name !== OLD)
    expect(created).toHaveLength(1)
    expect(app.database).toBe(created[0]!.name)
    expect(after.current.lost_writes).toBe(0)
  })

  it('when the Attach DATABASE release fails, puts DATABASE back on the old database before reopening the app', async () => {
    const sim = await simulator([{ type: 'attach-release-fails' }])
    const before = (await appState(sim)).app.formation
    const main = await job(sim).main(FAST)
    expect(main.failed).toBe(true)
    expect(main.outputs.status).toBe('rolled-back')
    expect(isPromoted(main.record!)).toBe(false)
    expect(main.record?.switchOutcome).toBe('reverted')
    expect(main.record?.error).toMatch(/the release attaching \S+ failed/)
    expect(main.record?.nextSteps?.join('\n')).toMatch(
      new RegExp(
        `${OLD} serves acme-web again \\(DATABASE\\): the switch was undone before the app reopened, so no write was lost`,
      ),
    )
    expect(main.outputs['new-database']).toBe(OLD)
    const { app, current } = await appState(sim)
    expect(app.database).toBe(OLD)
    expect(current.apps.find((a) => a.name === 'acme-web')).toMatchObject({ serving_database: OLD })
    expect(app.maintenance).toBe(false)
    expect(app.formation).toEqual(before)
    expect(current.lost_writes).toBe(0)
    expect(main.summary).toContain(`${OLD} serves acme-web again`)
    expectNoSecrets(main)
  })

  it('after a cancellation during the upgrade, a re-run refuses the diverged follower instead of making a second one', async () => {
    const sim = await simulator([], 200)
    const first = job(sim)
    const controller = new AbortController()
    const running = first.main({ ...FAST, signal: controller.signal })
    for (;;) {
      const { current } = await appState(sim)
      if (current.addons.some((a) => a.name !== OLD && a.upgrade)) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    controller.abort()
    const main = await running
    expect(main.outputs.status).toBe('rolled-back')
    const created = main.record!.createdAddon!
    expect(main.record?.nextSteps?.join(' ')).toContain(
      `The database ${created} stopped following ${OLD} and cannot be reused: remove it with heroku addons:destroy ${created} -a acme-web --confirm acme-web, then re-run this workflow.`,
    )
    expect((await appState(sim)).app.database).toBe(OLD)

    const again = await job(sim).main(FAST)
    expect(again.outputs.status).toBe('failed')
    expect(again.record?.error).toMatch(new RegExp(`${created} .* no longer follows ${OLD}`))
    expect(again.record?.steps.map((s) => s.name)).toEqual(['preflight'])
    const after = await appState(sim)
    expect(after.current.addons.filter((a) => a.name !== OLD)).toHaveLength(1)
    expect(after.app.maintenance).toBe(false)
    expect(after.current.lost_writes).toBe(0)
  })

  it('when the app cannot be put back, says how to do it by hand, and the post step finishes the job', async () => {
    const sim = await simulator([{ type: 'upgrade-fails', step: 5 }], 200)
    const before = (await appState(sim)).app.formation
    const first = job(sim)
    const running = first.main(FAST)
    for (;;) {
      const { current } = await appState(sim)
      if (current.addons.some((a) => a.name !== OLD && a.upgrade)) break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    // Every restore attempt of the main step (4) is refused.
    await addFault(sim, { method: 'PATCH', path: '/apps/acme-web/formation', status: 503, times: 4 })
    const main = await running
    expect(main.outputs.status).toBe('failed')
    expect(main.record?.windowClosedAt).toBeUndefined()
    expect(main.record?.nextSteps?.join(' ')).toMatch(
      /could not be restored automatically .* heroku ps:scale web=2:\S+ worker=1:\S+ clock=1:\S+ release=0:\S+ -a acme-web && heroku maintenance:off -a acme-web/,
    )

    const post = await first.post(FAST)
    expect(post.failed).toBe(false)
    expect(post.log).toMatch(
      /Post step: restored acme-web: web=2:\S+ worker=1:\S+ clock=1:\S+, acme-web: maintenance off/,
    )
    const { app } = await appState(sim)
    expect(app.formation).toEqual(before)
    expect(app.maintenance).toBe(false)
  })
})
