import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { builtInScenarios, loadScenario, startSimulator } from '../../simulator/index.js'
import { state } from './helpers.js'

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx')

function writeScenario(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'sim-scenario-'))
  const path = join(dir, 'scenario.json')
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

const issueExample = {
  api_key: 'sim-heroku-token',
  github_token: 'sim-github-token',
  speed: 60,
  versions: { supported: ['15', '16', '17', '18'], default: '18' },
  durations: {
    provision: 180,
    follower_catch_up: 300,
    upgrade: 420,
    promote: 10,
    copy_mb_per_s: 20,
    plan_change: 60,
  },
  apps: [
    {
      name: 'acme-web',
      space: null,
      release_phase: true,
      formation: [
        { type: 'web', quantity: 2, size: 'standard-2x' },
        { type: 'worker', quantity: 1, size: 'standard-1x' },
      ],
      writes_per_second: { web: 20, worker: 5 },
      databases: [
        {
          addon: 'postgresql-curved-12345',
          plan: 'standard-0',
          version: '14.17',
          attachments: ['DATABASE'],
          data_size_mb: 2048,
          tables: 61,
        },
      ],
    },
  ],
  faults: [{ method: 'POST', path: '/client/v11/databases/*/upgrade/run', status: 503, times: 2 }],
}

describe('scenario loading', () => {
  it('ships the four built-in scenarios', () => {
    expect(builtInScenarios).toEqual(
      expect.arrayContaining([
        'essential-pg15',
        'premium-follower-pooler',
        'private-space-migration',
        'standard-pg14',
      ]),
    )
  })

  it('accepts the example scenario of the original specification exactly as written', () => {
    const scenario = loadScenario(writeScenario(issueExample))
    expect(scenario.apps[0]?.databases[0]?.plan).toBe('standard-0')
    expect(scenario.faults).toHaveLength(1)
    expect(scenario.durations.upgrade).toBe(420)
  })

  it('defaults the tokens when absent', () => {
    const scenario = loadScenario(writeScenario({ apps: [] }))
    expect(scenario.api_key).toBe('sim-heroku-token')
    expect(scenario.github_token).toBe('sim-github-token')
  })

  it('rejects an unknown scenario name and lists the known ones', () => {
    expect(() => loadScenario('no-such-scenario')).toThrow(
      /Unknown scenario "no-such-scenario".*standard-pg14/,
    )
  })

  it('names the path of a bad key', () => {
    const bad = structuredClone(issueExample)
    ;(bad.apps[0]!.formation[1] as { quantity: unknown }).quantity = -1
    expect(() => loadScenario(writeScenario(bad))).toThrow(
      'apps[0].formation[1].quantity: expected a non-negative integer',
    )
  })

  it('rejects unknown keys and dangling references', () => {
    expect(() => loadScenario(writeScenario({ apps: [], durations: { provison: 1 } }))).toThrow(
      /durations\.provison: unknown key/,
    )
    const dangling = structuredClone(issueExample) as { apps: { databases: Record<string, unknown>[] }[] }
    dangling.apps[0]!.databases[0]!.following = 'postgresql-missing-1'
    expect(() => loadScenario(writeScenario(dangling))).toThrow(
      /apps\[0\]\.databases\[0\]\.following: no add-on/,
    )
  })

  it('rejects a file that is not JSON', () => {
    expect(() => loadScenario(writeScenario('{ nope'))).toThrow(/not valid JSON/)
  })

  it('startSimulator accepts an already-parsed object and validates it', async () => {
    await expect(startSimulator({ scenario: { apps: [{ name: 'Bad Name' }] } })).rejects.toThrow(
      /apps\[0\]\.name/,
    )
  })

  it.each(builtInScenarios)('built-in scenario %s starts and serves its apps', async (name) => {
    const sim = await startSimulator({ scenario: name })
    try {
      expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const s = await state(sim)
      expect(s.apps.length).toBeGreaterThan(0)
      expect(s.addons.length).toBeGreaterThan(0)
      expect(s.lost_writes).toBe(0)
    } finally {
      await sim.stop()
    }
  })
})

describe('simulator command', () => {
  it('exits 2 listing the known scenarios for an unknown name', () => {
    const run = spawnSync(TSX, ['simulator/cli.ts', '--scenario', 'nope'], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain(
      'Known scenarios: essential-pg15, fleet-standard-pg14, premium-follower-pooler',
    )
  })

  it('exits 2 naming the bad key of a malformed file', () => {
    const path = writeScenario({ apps: [{ name: 'acme', formation: [{ type: 'web', quantity: 'two' }] }] })
    const run = spawnSync(TSX, ['simulator/cli.ts', '--scenario', path], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('apps[0].formation[0].quantity: expected a non-negative integer')
  })
})
