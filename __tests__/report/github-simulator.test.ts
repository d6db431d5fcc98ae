// The GitHub client against the simulator's GitHub routes: the pair the action and the demo rely on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator } from '../../simulator/index'
import { GitHubApiError, GitHubIssues } from '../../src/github/issues'
import { issueMarker } from '../../src/report/issue'

let simulator: Awaited<ReturnType<typeof startSimulator>>

beforeAll(async () => {
  simulator = await startSimulator({ scenario: 'standard-pg14' })
})
afterAll(async () => {
  await simulator.stop()
})

const issue = (addon: string) => ({
  title: `Destroy the old Heroku Postgres database ${addon} (acme-web)`,
  body: `${issueMarker(addon)}\n\nbody`,
  labels: ['heroku-postgres-upgrade', 'database'],
  assignees: ['octocat'],
  marker: issueMarker(addon),
})

describe('GitHubIssues against the simulator', () => {
  it('opens one issue per old add-on, finds it again instead of duplicating it', async () => {
    const client = new GitHubIssues({ token: 'sim-github-token', apiUrl: simulator.url })
    const first = await client.findOrCreateIssue('acme/web', issue('postgresql-curved-12345'))
    const again = await client.findOrCreateIssue('acme/web', issue('postgresql-curved-12345'))
    const other = await client.findOrCreateIssue('acme/web', issue('postgresql-other-99999'))
    expect(first.created).toBe(true)
    expect(again).toEqual({ ...first, created: false })
    expect(other.created).toBe(true)
    const state = (await (await fetch(`${simulator.url}/__simulator/state`)).json()) as {
      github_issues: Array<{
        title: string
        labels: string[]
        assignees: string[]
      }>
    }
    expect(state.github_issues.map((stored) => stored.title)).toEqual([
      'Destroy the old Heroku Postgres database postgresql-curved-12345 (acme-web)',
      'Destroy the old Heroku Postgres database postgresql-other-99999 (acme-web)',
    ])
    expect(state.github_issues[0]?.labels).toEqual(['heroku-postgres-upgrade', 'database'])
    expect(state.github_issues[0]?.assignees).toEqual(['octocat'])
  })

  it('a wrong token gets GitHub’s 401 message, without the token', async () => {
    const client = new GitHubIssues({ token: 'wrong-token-123', apiUrl: simulator.url })
    const error = await client.findOrCreateIssue('acme/web', issue('postgresql-x-1')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubApiError)
    expect((error as Error).message).toMatch(
      /^GitHub API GET \/repos\/acme\/web\/issues answered 401: Bad credentials/,
    )
    expect((error as Error).message).not.toContain('wrong-token-123')
  })
})
