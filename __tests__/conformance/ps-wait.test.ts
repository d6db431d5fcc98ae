import { describe, expect, it } from 'vitest'
import { runHerokuOk } from './heroku-cli'
import { CLI_TEST_TIMEOUT_MS, fastScenarioPerTest, STOPPED_CLOCK } from './procedure'
import { advanceClock } from './simulator'

const app = 'acme-web'

async function dynoPolls(url: string): Promise<number> {
  const requests = (await (await fetch(`${url}/__simulator/requests`)).json()) as {
    method: string
    path: string
  }[]
  return requests.filter((r) => r.method === 'GET' && r.path === `/apps/${app}/dynos`).length
}

async function nextDynoPoll(url: string, after: number): Promise<void> {
  const deadline = Date.now() + 30_000
  while ((await dynoPolls(url)) <= after) {
    if (Date.now() > deadline) throw new Error('ps:wait never listed the dynos')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

// ps:wait lists the dynos every 10 s (its minimum) until each runs the latest release. The clock is all but
// stopped and the test moves it, so what the CLI sees does not depend on how fast this machine is.
describe('ps:wait driven by the official Heroku CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  const scenario = fastScenarioPerTest('standard-pg14', STOPPED_CLOCK)

  it('waits until the dynos restarted by a release run it, and ends at once when they already do', async () => {
    const { url } = scenario.simulator.target
    expect((await scenario.heroku.ok('ps:wait', '-a', app)).stderr).toBe('')

    // acme-web has a release phase: the release is pending and no dyno runs it yet.
    const set = await scenario.heroku.ok('config:set', 'FEATURE_FLAG=on', '-a', app)
    const version = /done, v(\d+)/.exec(set.stderr)?.[1]
    expect(version, set.stderr).toBeDefined()

    const polled = await dynoPolls(url)
    // At least one poll every 10 s, each a CLI round trip: more than the default 30 s on a busy runner.
    const waiting = runHerokuOk(['ps:wait', '-a', app, '--wait-interval', '10'], {
      ...scenario.simulator.target,
      timeoutMs: 120_000,
    })
    await nextDynoPoll(url, polled)
    // The release phase ends and restarts every formation dyno onto the release; they boot for dyno_boot.
    await advanceClock(url, 1)
    const booting = (await (
      await fetch(`${url}/apps/${app}/dynos`, {
        headers: { Authorization: `Bearer ${scenario.simulator.target.apiKey}` },
      })
    ).json()) as { state: string; release: { version: number } }[]
    expect(booting.map((d) => `${d.state} v${d.release.version}`)).toEqual(
      Array(4).fill(`starting v${version}`),
    )
    await advanceClock(url, 10)

    const waited = await waiting
    expect(waited.stderr).toContain(`Waiting for every dyno to be running v${version}... 4 / 4, done`)
    expect((await scenario.heroku.ok('ps:wait', '-a', app)).stderr).toBe('')
  })
})
