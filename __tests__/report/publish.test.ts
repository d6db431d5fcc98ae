import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { startSimulator, type SimulatorHandle } from '../../simulator/index'
import { MAX_CREATE_SENDS } from '../../src/report/github/issues'
import { publishReport, type PublishOptions } from '../../src/report/index'
import { parseFileCommands } from '../../scripts/run-action'
import { API_KEY, DB_PASSWORD, failedAfterPromoteRecord, rolledBackRecord, succeededRecord } from './fixtures'
import { addFaults, GITHUB_TOKEN, githubRequests, seedIssues, storedIssues } from './github-sim'

// Octokit's defaults take GITHUB_API_URL when @actions/github loads: point it nowhere, so only
// githubApiUrl can reach the simulator.
vi.hoisted(() => {
  process.env.GITHUB_API_URL = 'http://127.0.0.1:9'
})

let simulator: SimulatorHandle
let dir: string
let stdout: string[]

const files = () => ({
  summary: readFileSync(process.env.GITHUB_STEP_SUMMARY as string, 'utf8'),
  outputs: parseFileCommands(readFileSync(process.env.GITHUB_OUTPUT as string, 'utf8')),
})

const options = (overrides: Partial<PublishOptions> = {}): PublishOptions => ({
  githubToken: GITHUB_TOKEN,
  githubApiUrl: simulator.url,
  repository: 'acme/web',
  followUpIssue: true,
  issueLabels: ['heroku-postgres-upgrade'],
  issueAssignees: [],
  now: new Date('2026-11-21T10:07:00Z'),
  secrets: [API_KEY],
  githubRetryDelayMs: 10,
  ...overrides,
})

// @actions/core remembers the summary file of the process, so every test uses the same two files.
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'report-'))
  process.env.GITHUB_STEP_SUMMARY = join(dir, 'GITHUB_STEP_SUMMARY')
  process.env.GITHUB_OUTPUT = join(dir, 'GITHUB_OUTPUT')
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

beforeEach(async () => {
  simulator = await startSimulator({ scenario: 'standard-pg14' })
  writeFileSync(process.env.GITHUB_STEP_SUMMARY as string, '')
  writeFileSync(process.env.GITHUB_OUTPUT as string, '')
  stdout = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk))
    return true
  })
})
afterEach(async () => {
  vi.restoreAllMocks()
  await simulator.stop()
})

describe('publishReport', () => {
  const issueUrl = (n: number): string => `${simulator.url}/acme/web/issues/${n}`

  it('after a success opens the follow-up issue, writes the summary and sets every output', async () => {
    const result = await publishReport(succeededRecord(), options({ issueAssignees: ['octocat'] }))
    expect(result.issueUrl).toBe(issueUrl(1))
    const issues = await storedIssues(simulator, 'acme/web')
    expect(issues).toHaveLength(1)
    expect(issues[0]?.title).toBe(
      'Destroy the old Heroku Postgres database postgresql-curved-12345 (acme-web)',
    )
    expect(issues[0]?.labels).toEqual(['heroku-postgres-upgrade'])
    expect(issues[0]?.assignees).toEqual(['octocat'])
    expect(issues[0]?.body).toContain('<!-- heroku-postgres-upgrade:old-addon=postgresql-curved-12345 -->')
    const { summary, outputs } = files()
    expect(summary).toContain('**Succeeded**')
    expect(summary).toContain(`follow-up issue: ${issueUrl(1)}`)
    expect(outputs).toEqual({
      status: 'succeeded',
      method: 'follower',
      'old-database': 'postgresql-curved-12345',
      'new-database': 'postgresql-silky-67890',
      'old-version': '14.17',
      'new-version': '17.2',
      'downtime-seconds': '42',
      'issue-url': issueUrl(1),
      'plan-id': '',
      'estimated-downtime-seconds': '',
      'heroku-runs-at': '',
    })
  })

  it('a second run for the same old database finds the open issue instead of opening another', async () => {
    await publishReport(succeededRecord(), options())
    const second = await publishReport(succeededRecord(), options())
    expect(second.issueUrl).toBe(issueUrl(1))
    expect(await storedIssues(simulator, 'acme/web')).toHaveLength(1)
    expect(stdout.join('')).toContain(`The follow-up issue is already open: ${issueUrl(1)}`)
  })

  it('a re-run finds the open issue behind more than a page of newer issues with the same label', async () => {
    await publishReport(succeededRecord(), options())
    await seedIssues(simulator, 'acme/web', 150, ['heroku-postgres-upgrade'])
    const second = await publishReport(succeededRecord(), options())
    expect(second.issueUrl).toBe(issueUrl(1))
    expect(await storedIssues(simulator, 'acme/web')).toHaveLength(151)
    const lists = (await githubRequests(simulator)).filter((request) => request.method === 'GET')
    expect(lists).toHaveLength(3)
  })

  it('rides out 502 answers when opening the issue', async () => {
    await addFaults(simulator, [{ method: 'POST', path: '/repos/*/issues', status: 502, times: 2 }])
    const result = await publishReport(succeededRecord(), options())
    expect(result.issueUrl).toBe(issueUrl(1))
    // A 5xx may come after GitHub created the issue: each send again follows a look for the marker.
    expect((await githubRequests(simulator)).map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 200',
      'POST 502',
      'GET 200',
      'POST 502',
      'GET 200',
      'POST 201',
    ])
    expect(await storedIssues(simulator, 'acme/web')).toHaveLength(1)
  })

  it.each([1, 2])(
    'opens exactly one issue when the connection drops %i time(s) after GitHub created it',
    async (drops) => {
      await addFaults(simulator, [
        { method: 'POST', path: '/repos/*/issues', drop_after: true, times: drops },
      ])
      const result = await publishReport(succeededRecord(), options())
      const issues = await storedIssues(simulator, 'acme/web')
      expect(issues).toHaveLength(1)
      expect(result.issueUrl).toBe(issueUrl(1))
      expect(files().outputs['issue-url']).toBe(issueUrl(1))
      // The lost answer is followed by a look for the marker, which finds the issue: no second send.
      expect((await githubRequests(simulator)).map((r) => `${r.method} ${r.status}`)).toEqual([
        'GET 200',
        'POST 201',
        'GET 200',
      ])
    },
  )

  it('sends the issue again after a lost answer only when the look finds no issue', async () => {
    await addFaults(simulator, [{ method: 'POST', path: '/repos/*/issues', drop: true }])
    const result = await publishReport(succeededRecord(), options())
    expect(result.issueUrl).toBe(issueUrl(1))
    expect(await storedIssues(simulator, 'acme/web')).toHaveLength(1)
    expect((await githubRequests(simulator)).map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 200',
      'POST 0',
      'GET 200',
      'POST 201',
    ])
  })

  it(`gives up after ${MAX_CREATE_SENDS} sends of the issue without a clear answer: a warning, no issue`, async () => {
    await addFaults(simulator, [{ method: 'POST', path: '/repos/*/issues', status: 502, times: 10 }])
    const result = await publishReport(succeededRecord(), options())
    expect(result.issueUrl).toBeUndefined()
    expect(stdout.join('')).toContain(
      '::warning::Could not open the follow-up issue (the upgrade itself is not affected): GitHub API POST /repos/acme/web/issues answered 502',
    )
    expect((await githubRequests(simulator)).map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 200',
      'POST 502',
      'GET 200',
      'POST 502',
      'GET 200',
      'POST 502',
    ])
    expect(files().outputs.status).toBe('succeeded')
  })

  it('opens no issue after a rollback or a failure', async () => {
    await publishReport(rolledBackRecord(), options())
    await publishReport(failedAfterPromoteRecord(), options())
    expect(await githubRequests(simulator)).toHaveLength(0)
    expect(files().outputs['issue-url']).toBe('')
  })

  it('opens no issue when the input turns it off or no repository is known', async () => {
    await publishReport(succeededRecord(), options({ followUpIssue: false }))
    await publishReport(succeededRecord(), options({ repository: undefined }))
    expect(await githubRequests(simulator)).toHaveLength(0)
  })

  it('without issues: write the upgrade still succeeds, and the summary says why there is no issue', async () => {
    await addFaults(simulator, [
      {
        method: 'POST',
        path: '/repos/*/issues',
        status: 403,
        body: { message: 'Resource not accessible by integration', status: '403' },
      },
    ])
    const result = await publishReport(succeededRecord(), options())
    expect(result.issueUrl).toBeUndefined()
    const why =
      'Could not open the follow-up issue (the upgrade itself is not affected): GitHub API POST /repos/acme/web/issues ' +
      'answered 403: Resource not accessible by integration. Likely the token lacks permission to write issues: ' +
      'give the job `permissions: issues: write` (or pass a github-token that has it), or set follow-up-issue to false.'
    expect(stdout.join('')).toContain(`::warning::${why}`)
    const { summary, outputs } = files()
    expect(summary).toContain('**Succeeded**')
    expect(summary).toContain('### Warnings')
    expect(summary).toContain(why)
    expect(summary).not.toContain('follow-up issue: ')
    expect(outputs.status).toBe('succeeded')
    expect(outputs['issue-url']).toBe('')
    expect((await githubRequests(simulator)).map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 200',
      'POST 403',
    ])
  })

  it('a repository the token cannot see (404) is a warning in the log and the summary too', async () => {
    await addFaults(simulator, [
      { method: 'GET', path: '/repos/*/issues', status: 404, body: { message: 'Not Found', status: '404' } },
    ])
    const result = await publishReport(succeededRecord(), options())
    expect(result.issueUrl).toBeUndefined()
    const { summary, outputs } = files()
    expect(summary).toContain('GitHub API GET /repos/acme/web/issues answered 404: Not Found')
    expect(summary).toContain('permissions: issues: write')
    expect(outputs.status).toBe('succeeded')
  })

  it('a GitHub outage is a warning after bounded retries: the summary and the outputs are still written', async () => {
    await addFaults(simulator, [
      {
        method: 'GET',
        path: '/repos/*/issues',
        status: 503,
        times: 4,
        body: { message: 'Service Unavailable' },
      },
    ])
    const result = await publishReport(succeededRecord(), options())
    expect(result.issueUrl).toBeUndefined()
    expect(stdout.join('')).toContain(
      '::warning::Could not open the follow-up issue (the upgrade itself is not affected): GitHub API GET /repos/acme/web/issues answered 503: Service Unavailable',
    )
    expect(await githubRequests(simulator)).toHaveLength(4)
    const { summary, outputs } = files()
    expect(summary).toContain('**Succeeded**')
    expect(summary).toContain('answered 503: Service Unavailable')
    expect(outputs.status).toBe('succeeded')
    expect(outputs['issue-url']).toBe('')
  })

  it('never writes the API key, the GitHub token, a database URL or a password, even when the record carries them', async () => {
    const record = succeededRecord()
    record.warnings.push(`Heroku said: invalid key ${API_KEY}`)
    record.newDatabase!.info.push({ name: 'Warning', values: [`key=${API_KEY}`] })
    await publishReport(record, options())
    await addFaults(simulator, [
      {
        method: 'GET',
        path: '/repos/*/issues',
        status: 500,
        times: 4,
        body: { message: `boom ${GITHUB_TOKEN}` },
      },
    ])
    await publishReport(record, options())
    const written = [
      readFileSync(process.env.GITHUB_STEP_SUMMARY as string, 'utf8'),
      readFileSync(process.env.GITHUB_OUTPUT as string, 'utf8'),
      (await storedIssues(simulator, 'acme/web'))[0]?.body ?? '',
      stdout.join(''),
    ].join('\n')
    expect(written).toContain('invalid key ***')
    expect(written).toContain('answered 500: boom ***')
    expect(written).not.toContain(API_KEY)
    expect(written).not.toContain(GITHUB_TOKEN)
    expect(written).not.toContain(DB_PASSWORD)
    expect(written).not.toMatch(/postgres(ql)?:\/\//)
  })
})
