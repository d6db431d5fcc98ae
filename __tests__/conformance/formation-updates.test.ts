import { describe, expect, it } from 'vitest'
import { CLI_TEST_TIMEOUT_MS, fastScenarioPerTest } from './procedure'
import { simulatorState } from './simulator'

const app = 'acme-web'

async function formationOf(url: string): Promise<string[]> {
  const state = await simulatorState(url)
  const acme = state.apps.find((a) => a.name === app)
  return (acme?.formation ?? []).map((f) => `${f.type}=${f.quantity}:${f.size}`)
}

// ps:scale sends one batch (PATCH /apps/:app/formation {updates}); a bad entry must leave every type as it was.
describe('ps:scale batches as the official Heroku CLI sends them', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  const scenario = fastScenarioPerTest('standard-pg14')

  it('refuses an unknown process type or dyno size without scaling anything, then scales and resizes', async () => {
    const { simulator, heroku } = scenario
    const before = await formationOf(simulator.target.url)

    const unknownType = await heroku.run('ps:scale', 'web=0', 'urgent=1', '-a', app)
    expect(unknownType.code).toBe(2)
    expect(unknownType.stderr).toContain('Scaling dynos... !')
    expect(unknownType.stderr).toContain("Error: Couldn't find that process type (urgent).")
    expect(unknownType.stderr).toContain('Error ID: not_found')
    expect(await formationOf(simulator.target.url)).toEqual(before)

    const unknownSize = await heroku.run('ps:scale', 'worker=2', 'web=1:Hobby', '-a', app)
    expect(unknownSize.code).toBe(2)
    expect(unknownSize.stderr).toMatch(
      /Error: No such size as Hobby\. Available dyno sizes are Eco, Basic, Standard-1X, .* and Performance-2XL\./,
    )
    expect(unknownSize.stderr).toContain('Error ID: invalid_params')
    expect(await formationOf(simulator.target.url)).toEqual(before)

    const scaled = await heroku.ok('ps:scale', 'web=1:standard-1x', 'worker+1', '-a', app)
    expect(scaled.stderr).toContain(
      'Scaling dynos... done, now running web at 1:Standard-1X, worker at 2:Standard-1X',
    )
    const shown = await heroku.ok('ps:scale', '-a', app)
    expect(shown.stdout.trim().split(' ')).toEqual(
      expect.arrayContaining(['web=1:Standard-1X', 'worker=2:Standard-1X', 'clock=1:Standard-1X']),
    )
  })
})
