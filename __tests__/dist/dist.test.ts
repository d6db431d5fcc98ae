// The committed bundle, spawned exactly as the GitHub runner spawns it, against the simulator over HTTP,
// on Node 20 and on Node 24 (the npm package `node`, installed into tools/node24 by the postinstall script).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator } from '../../simulator/index'
import { ENTRY, ROOT, RunnerJob, type StepRun } from '../../scripts/run-action'

const HEROKU_TOKEN = 'sim-heroku-token'
const GITHUB_TOKEN = 'sim-github-token'
const NODE_24 = join(ROOT, 'tools', 'node24', 'node_modules', '.bin', 'node')

/** The tests normally run on Node 20 (the machines' Node); otherwise Node 20 is looked for on PATH. */
function findNode20(): string {
  if (process.version.startsWith('v20.')) return process.execPath
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir.includes('node_modules')) continue
    const candidate = join(dir, 'node')
    if (!existsSync(candidate)) continue
    try {
      if (execFileSync(candidate, ['--version'], { encoding: 'utf8' }).startsWith('v20.')) return candidate
    } catch {
      // not runnable: try the next one
    }
  }
  throw new Error('No Node 20 found on PATH (outside node_modules): the bundle must be tested on Node 20.')
}

interface SimulatorState {
  apps: Array<{ name: string; maintenance: boolean; formation: Array<{ type: string; quantity: number; size: string }> }>
  addons: unknown[]
  github_issues: Array<{ title: string; body: string; labels: unknown[] }>
  lost_writes: number
}

/** What a person could ever see of a run: logs (minus the runner's own mask commands), files, issues. */
function everythingWritten(steps: StepRun[], state: SimulatorState): string {
  const visible = (log: string): string =>
    log
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n')
  return [
    ...steps.flatMap((step) => [
      visible(step.stdout),
      visible(step.stderr),
      step.files.output,
      step.files.state,
      step.files.summary,
    ]),
    ...state.github_issues.flatMap((issue) => [issue.title, issue.body]),
  ].join('\n')
}

const runtimes = [
  { name: 'Node 20', findNode: findNode20, major: 20 },
  { name: 'Node 24', findNode: () => NODE_24, major: 24 },
]

describe.each(runtimes)('dist/index.js on $name, as the runner runs it', ({ findNode, major }) => {
  let node: string
  let simulator: Awaited<ReturnType<typeof startSimulator>>
  let main: StepRun
  let post: StepRun
  let state: SimulatorState
  let formationBefore: SimulatorState['apps'][number]['formation']

  const readState = async (): Promise<SimulatorState> =>
    (await (await fetch(`${simulator.url}/__simulator/state`)).json()) as SimulatorState

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error('dist/index.js is missing: run `npm run build`')
    node = findNode()
    simulator = await startSimulator({ scenario: 'standard-pg14', speed: 600 })
    formationBefore = (await readState()).apps.find((app) => app.name === 'acme-web')?.formation ?? []
    const job = new RunnerJob({
      node,
      githubToken: GITHUB_TOKEN,
      inputs: {
        'heroku-api-key': HEROKU_TOKEN,
        app: 'acme-web',
        confirm: 'acme-web',
        method: 'follower',
        version: '17',
        'poll-interval': '200ms',
        'catch-up-timeout': '2m',
        'upgrade-timeout': '2m',
      },
      env: {
        HEROKU_API_URL: simulator.url,
        HEROKU_DATA_API_URL: simulator.url,
        GITHUB_API_URL: simulator.url,
        GITHUB_REPOSITORY: 'acme/web',
      },
      timeoutMs: 90_000,
    })
    main = await job.main()
    post = await job.post()
    state = await readState()
  }, 120_000)

  afterAll(async () => {
    await simulator?.stop()
  })

  it(`really runs on Node ${major}`, () => {
    expect(execFileSync(node, ['--version'], { encoding: 'utf8' })).toMatch(new RegExp(`^v${major}\\.`))
  })

  it('the main step succeeds and sets the outputs', () => {
    expect(main.exitCode, main.stdout + main.stderr).toBe(0)
    expect(main.outputs.status).toBe('succeeded')
    expect(main.outputs.method).toBe('follower')
    expect(main.outputs['old-database']).toBe('postgresql-curved-12345')
    expect(main.outputs['new-database']).toMatch(/^acme-web-upgrade-(\d+|local)$/)
    expect(main.outputs['new-database']).not.toBe('postgresql-curved-12345')
    expect(main.outputs['old-version']).toBe('14.17')
    expect(main.outputs['new-version']).toMatch(/^17\./)
    expect(main.outputs['downtime-seconds']).toMatch(/^\d+$/)
    expect(main.outputs['issue-url']).toMatch(/^https?:\/\/\S+\/issues\/\d+$/)
  })

  it('writes the job summary with the outcome, the databases, the timeline and the chart', () => {
    expect(main.summary).toContain("**Succeeded**: acme-web's DATABASE moved from postgresql-curved-12345 (PG 14.17) to")
    expect(main.summary).toMatch(/\| PG Version \| 14\.17 \| 17\.\d+ \|/)
    expect(main.summary).toContain('### Timeline')
    expect(main.summary).toMatch(/```mermaid\n(%%\{init: .*\}%%\n)?gantt\n/)
    expect(main.summary).toContain('Downtime')
  })

  it('opens one follow-up issue naming the old add-on, with the destroy command', () => {
    expect(state.github_issues).toHaveLength(1)
    const issue = state.github_issues[0]
    expect(issue?.title).toBe('Destroy the old Heroku Postgres database postgresql-curved-12345 (acme-web)')
    expect(issue?.body).toContain('heroku addons:destroy postgresql-curved-12345 --app acme-web --confirm acme-web')
    expect(issue?.body).toMatch(/heroku addons:detach UPGRADE_HOLD_[0-9A-F]{6} --app acme-web/)
  })

  it('loses no write and leaves the app exactly as it was', () => {
    expect(state.lost_writes).toBe(0)
    const app = state.apps.find((candidate) => candidate.name === 'acme-web')
    expect(app?.maintenance).toBe(false)
    expect(app?.formation).toEqual(formationBefore)
  })

  it('the post step after a finished run changes nothing and succeeds', () => {
    expect(post.exitCode, post.stdout + post.stderr).toBe(0)
  })

  it('nothing it produced contains the API key or a database URL', () => {
    const text = everythingWritten([main, post], state)
    expect(text.length).toBeGreaterThan(1000)
    expect(text).not.toContain(HEROKU_TOKEN)
    expect(text).not.toContain(GITHUB_TOKEN)
    expect(text).not.toMatch(/postgres(ql)?:\/\//i)
  })
})

describe('dist/index.js when the upgrade fails (Node 24, as the runner runs it)', () => {
  let simulator: Awaited<ReturnType<typeof startSimulator>>
  let main: StepRun
  let post: StepRun
  let state: SimulatorState

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error('dist/index.js is missing: run `npm run build`')
    simulator = await startSimulator({ scenario: 'standard-pg14', speed: 600 })
    const injected = await fetch(`${simulator.url}/__simulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'upgrade-fails', step: 3 }),
    })
    expect(injected.status).toBe(201)
    const job = new RunnerJob({
      node: NODE_24,
      githubToken: GITHUB_TOKEN,
      inputs: {
        'heroku-api-key': HEROKU_TOKEN,
        app: 'acme-web',
        confirm: 'acme-web',
        method: 'follower',
        'poll-interval': '200ms',
      },
      env: {
        HEROKU_API_URL: simulator.url,
        HEROKU_DATA_API_URL: simulator.url,
        GITHUB_API_URL: simulator.url,
        GITHUB_REPOSITORY: 'acme/web',
      },
      timeoutMs: 90_000,
    })
    main = await job.main()
    post = await job.post()
    state = (await (await fetch(`${simulator.url}/__simulator/state`)).json()) as SimulatorState
  }, 120_000)

  afterAll(async () => {
    await simulator?.stop()
  })

  it('fails the step, reports rolled-back and keeps the old database serving', () => {
    expect(main.exitCode).toBe(1)
    expect(main.stdout).toMatch(/^::error::Rolled back: /m)
    expect(main.outputs.status).toBe('rolled-back')
    expect(main.outputs['new-database']).toBe('postgresql-curved-12345')
    expect(main.outputs['new-version']).toBe('14.17')
    expect(post.exitCode).toBe(0)
  })

  it('the summary says where things stand and how to retry, and no issue is opened', () => {
    expect(main.summary).toContain('**Rolled back**: acme-web is up on its old database postgresql-curved-12345 (PG 14.17)')
    expect(main.summary).toContain('### Where things stand')
    expect(main.summary).toContain('**What to do next**')
    expect(main.summary).toMatch(/re-run this workflow/i)
    expect(main.summary).toContain('**failed**')
    expect(state.github_issues).toHaveLength(0)
  })

  it('the app is back up with nothing lost, and nothing secret was written', () => {
    const app = state.apps.find((candidate) => candidate.name === 'acme-web')
    expect(app?.maintenance).toBe(false)
    expect(state.lost_writes).toBe(0)
    const text = everythingWritten([main, post], state)
    expect(text).not.toContain(HEROKU_TOKEN)
    expect(text).not.toMatch(/postgres(ql)?:\/\//i)
  })
})

describe('dist/index.js on a database with things attached elsewhere (Node 24)', () => {
  let simulator: Awaited<ReturnType<typeof startSimulator>>
  let main: StepRun
  let state: SimulatorState

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error('dist/index.js is missing: run `npm run build`')
    simulator = await startSimulator({ scenario: 'premium-follower-pooler', speed: 600 })
    const job = new RunnerJob({
      node: NODE_24,
      githubToken: GITHUB_TOKEN,
      inputs: {
        'heroku-api-key': HEROKU_TOKEN,
        app: 'acme-shop',
        confirm: 'acme-shop',
        method: 'follower',
        version: '17',
        'recreate-followers': 'false',
        'poll-interval': '200ms',
        'issue-labels': 'database,upgrade',
      },
      env: {
        HEROKU_API_URL: simulator.url,
        HEROKU_DATA_API_URL: simulator.url,
        GITHUB_API_URL: simulator.url,
        GITHUB_REPOSITORY: 'acme/shop',
      },
      timeoutMs: 90_000,
    })
    main = await job.main()
    state = (await (await fetch(`${simulator.url}/__simulator/state`)).json()) as SimulatorState
  }, 120_000)

  afterAll(async () => {
    await simulator?.stop()
  })

  it('carries over what it can and warns in the summary about what stays on the old database', () => {
    expect(main.exitCode, main.stdout + main.stderr).toBe(0)
    expect(main.summary).toContain('### Carried over to the new database')
    expect(main.summary).toMatch(/acme-reports::SHOP_DATABASE now points at/)
    expect(main.summary).toContain('credential analyst recreated')
    expect(main.summary).toMatch(/daily backups .* scheduled at 2:00 UTC/)
    // recreate-followers is false: the follower is the one thing left behind, with the commands.
    expect(main.summary).toContain('### Left behind on the old database')
    expect(main.summary).toContain('The follower `postgresql-amber-40214` still follows the old database')
    expect(main.summary).not.toContain('`acme-reports::SHOP_DATABASE` on app')
  })

  it('the issue lists what was carried over and a checklist item for what was not, with the labels asked for', () => {
    expect(state.github_issues).toHaveLength(1)
    const issue = state.github_issues[0]
    expect(issue?.labels).toEqual(['database', 'upgrade'])
    expect(issue?.body).toContain('## Carried over by the run')
    const items = (issue?.body ?? '').split('\n').filter((line) => line.startsWith('- [ ] '))
    expect(items.some((item) => item.includes('follower `postgresql-amber-40214`'))).toBe(true)
    expect(items.some((item) => item.includes('credential `analyst`'))).toBe(false)
    expect(items.some((item) => item.includes('backup schedule'))).toBe(false)
    expect(items.at(-1)).toContain('heroku addons:destroy postgresql-rigid-40213 --app acme-shop --confirm acme-shop')
  })
})
