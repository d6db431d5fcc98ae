// The follow-up issue through Octokit against the simulator's GitHub routes: the pair the action and the
// demo rely on. Every test uses a repository of its own, so faults and issues of one do not reach another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type SimulatorHandle } from '../../simulator/index'
import {
  createGitHubClient,
  MAX_RATE_LIMIT_RETRIES,
  shouldRetryAfterRateLimit,
  type GitHubClientOptions,
} from '../../src/report/github/client'
import { describeGitHubError, findOrCreateIssue, splitRepository } from '../../src/report/github/issues'
import { issueMarker } from '../../src/report/issue'
import { addFaults, GITHUB_TOKEN, githubRequests, rawList, seedIssues, storedIssues } from './github-sim'

let simulator: SimulatorHandle

beforeAll(async () => {
  simulator = await startSimulator({ scenario: 'standard-pg14' })
})
afterAll(async () => {
  await simulator.stop()
})

const LABELS = ['heroku-postgres-upgrade', 'database']

const issue = (addon: string, assignees = ['octocat']) => ({
  title: `Destroy the old Heroku Postgres database ${addon} (acme-web)`,
  body: `${issueMarker(addon)}\n\nbody`,
  labels: LABELS,
  assignees,
  marker: issueMarker(addon),
})

const client = (overrides: Partial<GitHubClientOptions> = {}) =>
  createGitHubClient({ token: GITHUB_TOKEN, baseUrl: simulator.url, retryDelayMs: 10, ...overrides })

/** The GitHub requests about one repository, as `METHOD status`. */
async function requestsOf(repository: string): Promise<string[]> {
  return (await githubRequests(simulator))
    .filter((request) => request.path.startsWith(`/repos/${repository}/`))
    .map((request) => `${request.method} ${request.status}`)
}

describe('the follow-up issue through Octokit against the simulator', () => {
  it('opens one issue per old add-on with its labels and assignees, and finds it again instead of duplicating it', async () => {
    // A client per run, as the action makes: one client spaces its own issue creations by 3 s.
    const first = await findOrCreateIssue(client(), 'acme/web', issue('postgresql-curved-12345'))
    const again = await findOrCreateIssue(client(), 'acme/web', issue('postgresql-curved-12345'))
    const other = await findOrCreateIssue(client(), 'acme/web', issue('postgresql-other-99999'))
    expect(first).toEqual({
      number: 1,
      url: `${simulator.url}/acme/web/issues/1`,
      created: true,
      droppedAssignees: false,
    })
    expect(again).toEqual({ ...first, created: false })
    expect(other).toMatchObject({ number: 2, created: true })
    const stored = await storedIssues(simulator, 'acme/web')
    expect(stored.map((s) => s.title)).toEqual([
      'Destroy the old Heroku Postgres database postgresql-curved-12345 (acme-web)',
      'Destroy the old Heroku Postgres database postgresql-other-99999 (acme-web)',
    ])
    expect(stored[0]?.labels).toEqual(LABELS)
    expect(stored[0]?.assignees).toEqual(['octocat'])
    expect(stored[0]?.body).toContain(issueMarker('postgresql-curved-12345'))
  })

  it('a re-run finds the open issue by its marker on a later page, following the Link header', async () => {
    const repository = 'acme/many'
    const first = await findOrCreateIssue(client(), repository, issue('postgresql-curved-12345'))
    // Newest first: the follow-up issue ends up on page two of 100.
    await seedIssues(simulator, repository, 120, LABELS)
    const before = (await requestsOf(repository)).length
    const again = await findOrCreateIssue(client(), repository, issue('postgresql-curved-12345'))
    expect(again).toEqual({ ...first, created: false })
    expect((await requestsOf(repository)).slice(before)).toEqual(['GET 200', 'GET 200'])
    expect(await storedIssues(simulator, repository)).toHaveLength(121)
  })

  it('a closed issue does not count: a new one is opened', async () => {
    const repository = 'acme/closed'
    await findOrCreateIssue(client(), repository, issue('postgresql-curved-12345'))
    await client().rest.issues.update({ ...splitRepository(repository), issue_number: 1, state: 'closed' })
    const third = await findOrCreateIssue(client(), repository, issue('postgresql-curved-12345'))
    expect(third).toMatchObject({ number: 2, created: true })
  })

  it('sends the creation again after 502 answers, each time after a look for the marker, and opens exactly one issue', async () => {
    const repository = 'acme/retry'
    await addFaults(simulator, [{ method: 'POST', path: '/repos/*/retry/issues', status: 502, times: 2 }])
    const result = await findOrCreateIssue(client(), repository, issue('postgresql-curved-12345'))
    expect(result).toMatchObject({ number: 1, created: true })
    expect(await requestsOf(repository)).toEqual([
      'GET 200',
      'POST 502',
      'GET 200',
      'POST 502',
      'GET 200',
      'POST 201',
    ])
    expect(await storedIssues(simulator, repository)).toHaveLength(1)
  })

  it('retries a dropped connection', async () => {
    const repository = 'acme/dropped'
    await addFaults(simulator, [{ method: 'GET', path: '/repos/acme/dropped/issues', drop: true, times: 1 }])
    const result = await findOrCreateIssue(client(), repository, issue('postgresql-curved-12345'))
    expect(result.created).toBe(true)
    expect(await requestsOf(repository)).toEqual(['GET 0', 'GET 200', 'POST 201'])
  })

  it('gives up after three retries with an error naming the request, the status and GitHub’s message', async () => {
    const repository = 'acme/down'
    await addFaults(simulator, [
      {
        method: 'GET',
        path: '/repos/acme/down/issues',
        status: 503,
        times: 4,
        body: { message: `Service unavailable ${GITHUB_TOKEN}` },
      },
    ])
    const error = await findOrCreateIssue(client(), repository, issue('x')).catch((e: unknown) => e)
    expect(await requestsOf(repository)).toEqual(['GET 503', 'GET 503', 'GET 503', 'GET 503'])
    expect(describeGitHubError(error)).toBe(
      `GitHub API GET /repos/acme/down/issues answered 503: Service unavailable ${GITHUB_TOKEN}`,
    )
  })

  it('a wrong token gets GitHub’s 401 at once, without retrying and without the token in the message', async () => {
    const repository = 'acme/secret'
    const error = await findOrCreateIssue(client({ token: 'wrong-token-123' }), repository, issue('x')).catch(
      (e: unknown) => e,
    )
    expect(describeGitHubError(error)).toBe(
      'GitHub API GET /repos/acme/secret/issues answered 401: Bad credentials',
    )
    expect(JSON.stringify(error)).not.toContain('wrong-token-123')
    expect(await requestsOf(repository)).toEqual(['GET 401'])
  })

  it('a token without issues: write gets a 403 at once, and the error says what to do', async () => {
    const repository = 'acme/readonly'
    await addFaults(simulator, [
      {
        method: 'POST',
        path: '/repos/acme/readonly/issues',
        status: 403,
        body: {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
          status: '403',
        },
      },
    ])
    const error = await findOrCreateIssue(client(), repository, issue('x')).catch((e: unknown) => e)
    expect(await requestsOf(repository)).toEqual(['GET 200', 'POST 403'])
    expect(describeGitHubError(error)).toBe(
      'GitHub API POST /repos/acme/readonly/issues answered 403: Resource not accessible by integration. ' +
        'Likely the token lacks permission to write issues: give the job `permissions: issues: write` ' +
        '(or pass a github-token that has it), or set follow-up-issue to false.',
    )
  })

  it('a repository the token cannot see gets a 404 at once', async () => {
    const repository = 'acme/private'
    await addFaults(simulator, [{ method: 'GET', path: '/repos/acme/private/issues', status: 404 }])
    const error = await findOrCreateIssue(client(), repository, issue('x')).catch((e: unknown) => e)
    expect(await requestsOf(repository)).toEqual(['GET 404'])
    expect(describeGitHubError(error)).toMatch(
      /^GitHub API GET \/repos\/acme\/private\/issues answered 404: .*the repository or its issues are not visible to the token/,
    )
  })

  it('waits out a short secondary rate limit, then opens the issue', async () => {
    const repository = 'acme/busy'
    await addFaults(simulator, [
      {
        method: 'POST',
        path: '/repos/acme/busy/issues',
        status: 403,
        retry_after: 2,
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        },
      },
    ])
    const told: string[] = []
    const result = await findOrCreateIssue(
      client({ onRateLimit: (message) => told.push(message) }),
      repository,
      issue('postgresql-curved-12345'),
    )
    expect(result.created).toBe(true)
    expect(await requestsOf(repository)).toEqual(['GET 200', 'POST 403', 'POST 201'])
    expect(told).toEqual([
      "GitHub's secondary rate limit on POST /repos/{owner}/{repo}/issues: it asks to wait 2 s; retrying then (retry 1 of 2).",
    ])
  })

  it('does not sit through a rate limit longer than a minute, nor retry one more than twice', async () => {
    const busy = { message: 'You have exceeded a secondary rate limit.' }
    await addFaults(simulator, [
      { method: 'POST', path: '/repos/acme/long/issues', status: 403, retry_after: 3600, body: busy },
      { method: 'GET', path: '/repos/acme/stuck/issues', status: 429, retry_after: 1, times: 5, body: busy },
    ])
    const told: string[] = []
    const long = await findOrCreateIssue(
      client({ onRateLimit: (message) => told.push(message) }),
      'acme/long',
      issue('x'),
    ).catch((e: unknown) => e)
    expect(await requestsOf('acme/long')).toEqual(['GET 200', 'POST 403'])
    expect(describeGitHubError(long)).toContain('answered 403: You have exceeded a secondary rate limit.')
    expect(describeGitHubError(long)).not.toContain('issues: write')
    expect(told.at(-1)).toContain(
      'it asks to wait 3600 s, longer than the 60 s this action waits; not retrying.',
    )

    await findOrCreateIssue(
      client({ onRateLimit: (message) => told.push(message) }),
      'acme/stuck',
      issue('x'),
    ).catch(() => undefined)
    expect(await requestsOf('acme/stuck')).toEqual(['GET 429', 'GET 429', 'GET 429'])
    expect(told.at(-1)).toContain(`not retrying again after ${MAX_RATE_LIMIT_RETRIES} retries.`)
  })

  it('opens the issue without the assignees GitHub refuses, and says so', async () => {
    const repository = 'acme/assignees'
    await addFaults(simulator, [
      {
        method: 'POST',
        path: '/repos/acme/assignees/issues',
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [{ resource: 'Issue', field: 'assignees', code: 'invalid', value: 'nobody' }],
        },
      },
    ])
    const result = await findOrCreateIssue(client(), repository, issue('x', ['nobody']))
    expect(result).toMatchObject({ created: true, droppedAssignees: true })
    expect((await storedIssues(simulator, repository))[0]?.assignees).toEqual([])
  })

  it('without the refused assignees, a creation whose answer is lost is found, not sent twice', async () => {
    const repository = 'acme/assignees-dropped'
    const path = `/repos/${repository}/issues`
    await addFaults(simulator, [
      { method: 'POST', path, status: 422, body: { message: 'Validation Failed' } },
      { method: 'POST', path, drop_after: true },
    ])
    const result = await findOrCreateIssue(client(), repository, issue('x', ['nobody']))
    expect(result).toMatchObject({ number: 1, created: true, droppedAssignees: true })
    expect(await requestsOf(repository)).toEqual(['GET 200', 'POST 422', 'POST 201', 'GET 200'])
    expect(await storedIssues(simulator, repository)).toHaveLength(1)
  })

  it('uses the base URL it is given, never GITHUB_API_URL', async () => {
    const saved = process.env.GITHUB_API_URL
    process.env.GITHUB_API_URL = 'http://127.0.0.1:9'
    try {
      const result = await findOrCreateIssue(
        client({ baseUrl: `${simulator.url}/` }),
        'acme/ghes',
        issue('x'),
      )
      expect(result.url).toBe(`${simulator.url}/acme/ghes/issues/1`)
    } finally {
      if (saved === undefined) delete process.env.GITHUB_API_URL
      else process.env.GITHUB_API_URL = saved
    }
  })
})

describe('the simulator’s issue list pages like GitHub', () => {
  it('sends Link next and last, then first and prev, with page and per_page', async () => {
    await seedIssues(simulator, 'acme/pages', 5, ['p'])
    const base = `${simulator.url}/repos/acme/pages/issues`
    const first = await rawList(simulator, '/repos/acme/pages/issues?labels=p&per_page=2')
    expect(first.headers.get('link')).toBe(
      `<${base}?labels=p&per_page=2&page=2>; rel="next", <${base}?labels=p&per_page=2&page=3>; rel="last"`,
    )
    const middle = await rawList(simulator, '/repos/acme/pages/issues?labels=p&per_page=2&page=2')
    expect(middle.headers.get('link')).toBe(
      `<${base}?labels=p&per_page=2&page=3>; rel="next", <${base}?labels=p&per_page=2&page=3>; rel="last", ` +
        `<${base}?labels=p&per_page=2&page=1>; rel="first", <${base}?labels=p&per_page=2&page=1>; rel="prev"`,
    )
    const last = await rawList(simulator, '/repos/acme/pages/issues?labels=p&per_page=2&page=3')
    expect(((await last.json()) as unknown[]).length).toBe(1)
    expect(last.headers.get('link')).not.toContain('rel="next"')
    const single = await rawList(simulator, '/repos/acme/pages/issues?labels=p')
    expect(single.headers.get('link')).toBeNull()
  })

  it('Octokit’s paginate reads every page', async () => {
    const github = client()
    const all = await github.paginate(github.rest.issues.listForRepo, {
      owner: 'acme',
      repo: 'pages',
      labels: 'p',
      per_page: 2,
    })
    expect(all.map((i) => i.number)).toEqual([5, 4, 3, 2, 1])
  })
})

describe('shouldRetryAfterRateLimit', () => {
  it('retries at most twice, and only waits of a minute or less', () => {
    expect(shouldRetryAfterRateLimit(60, 0)).toBe(true)
    expect(shouldRetryAfterRateLimit(1, 1)).toBe(true)
    expect(shouldRetryAfterRateLimit(1, 2)).toBe(false)
    expect(shouldRetryAfterRateLimit(61, 0)).toBe(false)
  })
})
