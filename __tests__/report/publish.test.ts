import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { publishReport, type PublishOptions } from '../../src/report/index'
import { parseFileCommands } from '../../scripts/run-action'
import { API_KEY, DB_PASSWORD, failedAfterPromoteRecord, rolledBackRecord, succeededRecord } from './fixtures'
import { startFakeGitHub, type FakeGitHub } from './github-server'

let github: FakeGitHub
let dir: string
let stdout: string[]

const files = () => ({
  summary: readFileSync(process.env.GITHUB_STEP_SUMMARY as string, 'utf8'),
  outputs: parseFileCommands(readFileSync(process.env.GITHUB_OUTPUT as string, 'utf8')),
})

const options = (overrides: Partial<PublishOptions> = {}): PublishOptions => ({
  githubToken: github.token,
  githubApiUrl: github.url,
  repository: 'acme/web',
  followUpIssue: true,
  issueLabels: ['heroku-postgres-upgrade'],
  issueAssignees: [],
  now: new Date('2026-11-21T10:07:00Z'),
  secrets: [API_KEY],
  githubRetryDelayMs: 1,
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
  github = await startFakeGitHub()
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
  await github.close()
})

describe('publishReport', () => {
  it('after a success opens the follow-up issue, writes the summary and sets every output', async () => {
    const result = await publishReport(succeededRecord(), options())
    expect(result.issueUrl).toBe('https://github.com/acme/web/issues/1')
    expect(github.issues).toHaveLength(1)
    expect(github.issues[0]?.title).toBe(
      'Destroy the old Heroku Postgres database postgresql-curved-12345 (acme-web)',
    )
    expect(github.issues[0]?.labels).toEqual(['heroku-postgres-upgrade'])
    const { summary, outputs } = files()
    expect(summary).toContain('**Succeeded**')
    expect(summary).toContain('follow-up issue: https://github.com/acme/web/issues/1')
    expect(outputs).toEqual({
      status: 'succeeded',
      method: 'follower',
      'old-database': 'postgresql-curved-12345',
      'new-database': 'postgresql-silky-67890',
      'old-version': '14.17',
      'new-version': '17.2',
      'downtime-seconds': '42',
      'issue-url': 'https://github.com/acme/web/issues/1',
    })
  })

  it('a second run for the same old database finds the open issue instead of opening another', async () => {
    await publishReport(succeededRecord(), options())
    const second = await publishReport(succeededRecord(), options())
    expect(second.issueUrl).toBe('https://github.com/acme/web/issues/1')
    expect(github.issues).toHaveLength(1)
  })

  it('opens no issue after a rollback or a failure', async () => {
    await publishReport(rolledBackRecord(), options())
    await publishReport(failedAfterPromoteRecord(), options())
    expect(github.requests).toHaveLength(0)
    expect(files().outputs['issue-url']).toBe('')
  })

  it('opens no issue when the input turns it off or no repository is known', async () => {
    await publishReport(succeededRecord(), options({ followUpIssue: false }))
    await publishReport(succeededRecord(), options({ repository: undefined }))
    expect(github.requests).toHaveLength(0)
  })

  it('a GitHub failure is a warning: the summary and the outputs are still written', async () => {
    github.failures.push(
      ...Array.from({ length: 4 }, () => ({ status: 503, body: { message: 'Service Unavailable' } })),
    )
    const result = await publishReport(succeededRecord(), options())
    expect(result.issueUrl).toBeUndefined()
    expect(stdout.join('')).toContain(
      '::warning::Could not open the follow-up issue (the upgrade itself is not affected): GitHub API GET /repos/acme/web/issues answered 503: Service Unavailable',
    )
    const { summary, outputs } = files()
    expect(summary).toContain('**Succeeded**')
    expect(outputs.status).toBe('succeeded')
    expect(outputs['issue-url']).toBe('')
  })

  it('never writes the API key, a database URL or a password, even when the record carries them', async () => {
    const record = succeededRecord()
    record.warnings.push(`Heroku said: invalid key ${API_KEY}`)
    record.newDatabase!.info.push({ name: 'Warning', values: [`key=${API_KEY}`] })
    await publishReport(record, options())
    const written = [
      readFileSync(process.env.GITHUB_STEP_SUMMARY as string, 'utf8'),
      readFileSync(process.env.GITHUB_OUTPUT as string, 'utf8'),
      github.issues[0]?.body ?? '',
      stdout.join(''),
    ].join('\n')
    expect(written).toContain('invalid key ***')
    expect(written).not.toContain(API_KEY)
    expect(written).not.toContain(DB_PASSWORD)
    expect(written).not.toMatch(/postgres(ql)?:\/\//)
  })
})
