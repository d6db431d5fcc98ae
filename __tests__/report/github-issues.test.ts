import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GitHubApiError, GitHubIssues } from '../../src/github/issues'
import { startFakeGitHub, type FakeGitHub } from './github-server'

let github: FakeGitHub
const sleeps: number[] = []
const client = (): GitHubIssues =>
  new GitHubIssues({
    token: github.token,
    apiUrl: github.url,
    sleep: async (ms) => {
      sleeps.push(ms)
    },
  })
const marker = '<!-- heroku-postgres-upgrade:old-addon=postgresql-curved-12345 -->'
const issue = {
  title: 'Destroy it',
  body: `${marker}\nbody`,
  labels: ['heroku-postgres-upgrade'],
  assignees: ['octocat'],
  marker,
}

beforeEach(async () => {
  github = await startFakeGitHub()
  sleeps.length = 0
})
afterEach(async () => {
  await github.close()
})

describe('GitHubIssues.findOrCreateIssue', () => {
  it('creates the issue with title, body, labels and assignees when none is open', async () => {
    const result = await client().findOrCreateIssue('acme/web', issue)
    expect(result).toEqual({
      number: 1,
      url: 'https://github.com/acme/web/issues/1',
      created: true,
      droppedAssignees: false,
    })
    expect(github.issues[0]).toMatchObject({
      title: 'Destroy it',
      labels: ['heroku-postgres-upgrade'],
      assignees: ['octocat'],
    })
    expect(github.requests[0]?.path).toBe(
      '/repos/acme/web/issues?state=open&per_page=100&labels=heroku-postgres-upgrade',
    )
  })

  it('does not open a duplicate when an open issue carries the same marker', async () => {
    await client().findOrCreateIssue('acme/web', issue)
    const again = await client().findOrCreateIssue('acme/web', issue)
    expect(again).toMatchObject({ number: 1, created: false })
    expect(github.issues).toHaveLength(1)
  })

  it('finds the open issue on a later page', async () => {
    github.pageSize = 2
    await client().findOrCreateIssue('acme/web', issue)
    for (let i = 0; i < 5; i++) await client().createIssue('acme/web', { ...issue, body: `other ${i}` })
    const again = await client().findOrCreateIssue('acme/web', issue)
    expect(again).toMatchObject({ number: 1, created: false })
    expect(github.issues).toHaveLength(6)
  })

  it('opens a new issue when the earlier one was closed or is about another add-on', async () => {
    await client().findOrCreateIssue('acme/web', issue)
    github.issues[0]!.state = 'closed'
    const otherMarker = '<!-- heroku-postgres-upgrade:old-addon=postgresql-other-1 -->'
    await client().findOrCreateIssue('acme/web', { ...issue, body: otherMarker, marker: otherMarker })
    const third = await client().findOrCreateIssue('acme/web', issue)
    expect(third).toMatchObject({ number: 3, created: true })
  })

  it('retries 5xx and 429 answers, honouring Retry-After', async () => {
    github.failures.push(
      { status: 503 },
      { status: 429, retryAfter: '2', body: { message: 'API rate limit exceeded' } },
      { status: 502 },
    )
    const result = await client().findOrCreateIssue('acme/web', issue)
    expect(result.created).toBe(true)
    expect(sleeps).toHaveLength(3)
    expect(sleeps[1]).toBe(2000)
  })

  it('gives up after its attempts with an error naming the status and GitHub’s message, never the token', async () => {
    github.failures.push(
      ...Array.from({ length: 4 }, () => ({ status: 500, body: { message: `boom ${github.token}` } })),
    )
    const error = await client()
      .findOrCreateIssue('acme/web', issue)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubApiError)
    expect((error as Error).message).toBe('GitHub API GET /repos/acme/web/issues answered 500: boom ***')
    expect((error as Error).message).not.toContain(github.token)
  })

  it('does not retry a 4xx answer', async () => {
    const error = await new GitHubIssues({ token: 'wrong-token', apiUrl: github.url })
      .findOrCreateIssue('acme/web', issue)
      .catch((e: unknown) => e)
    expect((error as GitHubApiError).status).toBe(401)
    expect((error as Error).message).toContain('answered 401: Bad credentials')
    expect(github.requests).toHaveLength(1)
  })

  it('opens the issue without assignees GitHub refuses, and says so', async () => {
    github.invalidAssignees.push('octocat')
    const result = await client().findOrCreateIssue('acme/web', issue)
    expect(result).toMatchObject({ created: true, droppedAssignees: true })
    expect(github.issues[0]?.assignees).toEqual([])
  })

  it('reports a dropped connection by its cause after retrying', async () => {
    const closedUrl = github.url
    await github.close()
    github = await startFakeGitHub()
    const dead = new GitHubIssues({ token: 't0ken', apiUrl: closedUrl, attempts: 2, sleep: async () => {} })
    await expect(dead.findOrCreateIssue('acme/web', issue)).rejects.toThrow(
      /GitHub API GET \/repos\/acme\/web\/issues failed: ECONNREFUSED/,
    )
  })
})
