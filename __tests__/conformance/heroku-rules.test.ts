import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startSimulator, type SimulatorHandle } from '../../simulator/index'
import { pgInfoBlockOfAddon } from './pg-info'
import { CLI_TEST_TIMEOUT_MS, createDatabaseAndWait, herokuOn, type Heroku } from './procedure'
import { advanceClock, CONFORMANCE_API_KEY, startFastScenario, type RunningSimulator } from './simulator'

// Heroku's rules as the official CLI shows them: storage limits, no PG Backups on Shield, the SIGTERM grace of
// stopped dynos, the release a new database makes, Heroku's follower refusal, and transfers that fail.

type ScenarioJson = Record<string, unknown> & { apps: Record<string, unknown>[] }

/** The CLI wraps long error messages over several lines; compare them as one line of words. */
function oneLine(text: string): string {
  return text.replace(/\s*›\s*/g, ' ').replace(/\s+/g, ' ')
}

function addDatabase(scenario: ScenarioJson, appIndex: number, database: Record<string, unknown>): void {
  const app = scenario.apps[appIndex] as { databases: Record<string, unknown>[] }
  app.databases.push(database)
}

/** standard-pg14 with an 8 GB DATABASE and a second database (`plan`) attached as HEROKU_POSTGRESQL_<NAME>. */
const withTarget = (plan: string, name: string) => (scenario: Record<string, unknown>) => {
  const s = scenario as ScenarioJson
  const databases = (s.apps[0] as { databases: Record<string, unknown>[] }).databases
  Object.assign(databases[0]!, { data_size_mb: 8192 })
  addDatabase(s, 0, {
    addon: 'postgresql-target-20001',
    plan,
    version: '16',
    data_size_mb: 8,
    tables: 3,
    attachments: [`HEROKU_POSTGRESQL_${name}`],
  })
}

describe('Heroku’s rules, as the official Heroku CLI shows them', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let running: RunningSimulator | undefined
  let direct: SimulatorHandle | undefined
  let heroku: Heroku
  afterEach(async () => {
    await running?.stop()
    await direct?.stop()
    running = direct = undefined
  })

  async function start(name: string, adjust?: (scenario: Record<string, unknown>) => void): Promise<void> {
    running = await startFastScenario(name, adjust)
    heroku = herokuOn(running.target)
  }

  it('pg:copy of 8 GB into essential-0 runs, and pg:info then shows the target Over Plan Capacity', async () => {
    await start('standard-pg14', withTarget('essential-0', 'TINY'))
    const copy = await heroku.ok(
      'pg:copy',
      'DATABASE_URL',
      'HEROKU_POSTGRESQL_TINY_URL',
      '--confirm',
      'TINY',
      '-a',
      'acme-web',
    )
    expect(copy.stderr).toContain('Copying... done')
    const info = await heroku.ok('pg:info', 'HEROKU_POSTGRESQL_TINY', '-a', 'acme-web')
    const target = pgInfoBlockOfAddon(info.stdout, 'postgresql-target-20001')
    expect(target.fields['Status']).toBe('Over Plan Capacity: Access Restricted')
    expect(target.fields['Data Size']).toMatch(/^8\.0 GB \/ 1 GB \(Not in compliance\)$/)
  })

  it('pg:copy under the transfer-fails fault fails midway: pg:copy and pg:backups show it, the target is empty', async () => {
    await start('standard-pg14', withTarget('standard-0', 'TEAL'))
    const injected = await fetch(`${running!.target.url}/__simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ type: 'transfer-fails', transfer: 'copy' }),
    })
    expect(injected.status).toBe(201)
    const copy = await heroku.run(
      'pg:copy',
      'DATABASE_URL',
      'HEROKU_POSTGRESQL_TEAL_URL',
      '--confirm',
      'TEAL',
      '-a',
      'acme-web',
    )
    expect(copy.code).not.toBe(0)
    const printed = oneLine(copy.stderr)
    expect(printed).toContain('An error occurred and the backup did not finish.')
    expect(printed).toContain('pg_dump: error: connection to server was lost')
    expect(printed).toContain('heroku pg:backups:info c001')
    const backups = await heroku.ok('pg:backups', '-a', 'acme-web')
    expect(backups.stdout).toMatch(/^\s*c001 +\S+ +Failed \S+/m)
    const info = await heroku.ok('pg:info', 'HEROKU_POSTGRESQL_TEAL', '-a', 'acme-web')
    const target = pgInfoBlockOfAddon(info.stdout, 'postgresql-target-20001')
    expect(target.fields['Tables']).toBe('0')
    expect(target.fields['Data Size']).toMatch(/^0 B \//)
  })

  it('refuses pg:backups:capture on Shield, and a follower too far below its leader in Heroku’s words', async () => {
    await start('private-space-migration', (scenario) => {
      const s = scenario as ScenarioJson
      addDatabase(s, 1, {
        addon: 'postgresql-shielded-30001',
        plan: 'shield-0',
        version: '16.9',
        attachments: ['HEROKU_POSTGRESQL_COBALT'],
      })
      addDatabase(s, 1, {
        addon: 'postgresql-large-30002',
        plan: 'private-4',
        version: '16.9',
        attachments: ['HEROKU_POSTGRESQL_ONYX'],
      })
    })
    const capture = await heroku.run('pg:backups:capture', 'HEROKU_POSTGRESQL_COBALT', '-a', 'acme-ps')
    expect(capture.code).not.toBe(0)
    expect(oneLine(capture.stderr)).toContain(
      'A backup cannot use postgresql-shielded-30001: it is a Heroku Shield database (heroku-postgresql:shield-0), and PG Backups (backups, restores and pg:copy) do not work with Shield databases.',
    )
    const follower = await heroku.run(
      'addons:create',
      'heroku-postgresql:private-0',
      '-a',
      'acme-ps',
      '--',
      '--follow',
      'HEROKU_POSTGRESQL_ONYX_URL',
    )
    expect(follower.code).not.toBe(0)
    expect(oneLine(follower.stderr)).toContain(
      "Database followers are not supported more than 1 levels below this leader's plan. Please provision at least a private-3 plan.",
    )
  })

  it('addons:create heroku-postgresql makes releases: the attachment at once, the config vars when provisioned', async () => {
    await start('standard-pg14')
    const created = await createDatabaseAndWait(heroku, 'acme-web', 'heroku-postgresql:essential-0')
    const releases = JSON.parse((await heroku.ok('releases', '--json', '-a', 'acme-web')).stdout) as {
      description: string
      status: string
    }[]
    const descriptions = releases.map((r) => r.description)
    const attach = descriptions.find(
      (d) => d.startsWith('Attach HEROKU_POSTGRESQL_') && d.endsWith(`(@ref:${created})`),
    )
    expect(attach).toBeDefined()
    const attachment = /^Attach (\S+) /.exec(attach!)![1]
    expect(descriptions[0]).toBe(`Update ${attachment} by heroku-postgresql`)
  })

  it('ps:stop and ps:scale hide the stopped dynos from ps at once, while their writes land for 30 s', async () => {
    const path = join(process.cwd(), 'simulator', 'scenarios', 'standard-pg14.json')
    const scenario = JSON.parse(readFileSync(path, 'utf8')) as ScenarioJson
    Object.assign(scenario, { api_key: CONFORMANCE_API_KEY, speed: 0.001 })
    Object.assign(scenario.apps[0]!, { writes_per_second: { worker: 5, run: 4 } })
    direct = await startSimulator({ scenario })
    const url = direct.url
    heroku = herokuOn({ url, apiKey: CONFORMANCE_API_KEY })
    const world = direct.world
    const commits = () => {
      world.advance()
      return world.store.findAddon('postgresql-curved-12345')!.db.origin.count
    }

    const run = await heroku.ok('run:detached', '-a', 'acme-web', '--', 'rake', 'task')
    const oneOff = /done, (run\.\d{4,5})/.exec(run.stderr)?.[1] ?? ''
    expect(oneOff, run.stderr).not.toBe('')
    await advanceClock(url, 10)
    expect((await heroku.ok('ps', '-a', 'acme-web')).stdout).toContain(`${oneOff} (Standard-1X): up`)

    await heroku.ok('ps:stop', oneOff, '-a', 'acme-web')
    await heroku.ok('ps:scale', 'worker=0', '-a', 'acme-web')
    const before = commits()
    const ps = (await heroku.ok('ps', '-a', 'acme-web')).stdout
    expect(ps).not.toContain(oneOff)
    expect(ps).not.toMatch(/^worker\.1/m)

    // Both still write (4 + 5 commits/s) for the 30 s after SIGTERM, then stop.
    await advanceClock(url, 29)
    expect(commits() - before).toBeCloseTo(29 * 9, 0)
    expect((await heroku.ok('ps', '-a', 'acme-web')).stdout).not.toContain(oneOff)
    await advanceClock(url, 61)
    expect(commits() - before).toBeCloseTo(30 * 9, 0)
  })

  it('pages lists at 200: ps follows Next-Range and shows all 250 workers', async () => {
    await start('standard-pg14')
    await heroku.ok('ps:scale', 'worker=250', '-a', 'acme-web')
    const ps = (await heroku.ok('ps', '-a', 'acme-web')).stdout
    expect(ps).toMatch(/^=== worker \(Standard-1X\): npm run worker \(250\)$/m)
    expect(ps.match(/^worker\.\d+: /gm)).toHaveLength(250)
    expect(ps).toMatch(/^worker\.250: /m)
    const pages = (
      (await (await fetch(`${running!.target.url}/__simulator/requests`)).json()) as {
        method: string
        path: string
        status: number
      }[]
    ).filter((r) => r.method === 'GET' && r.path === '/apps/acme-web/dynos')
    expect(pages.map((r) => r.status)).toEqual([206, 200])
  })
})
