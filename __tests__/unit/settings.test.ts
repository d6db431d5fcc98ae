import { describe, expect, it } from 'vitest'
import { readSettings, SettingsError } from '../../src/settings'

const VALID: Record<string, string> = {
  'heroku-api-key': 'key-123',
  app: 'acme-web',
  confirm: 'acme-web',
  'github-token': 'gh-token',
}

function read(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const all = { ...VALID, ...inputs }
  return readSettings((name) => all[name] ?? '', env)
}

function problemsOf(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    read(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError)
    return (error as SettingsError).problems
  }
  throw new Error('expected the inputs to be refused')
}

describe('readSettings', () => {
  it('returns one frozen, typed object with the documented defaults', () => {
    const settings = read({}, { GITHUB_REPOSITORY: 'acme/web' })
    expect(settings).toMatchObject({
      app: 'acme-web',
      database: 'DATABASE_URL',
      method: 'auto',
      version: undefined,
      plan: undefined,
      maintenance: true,
      scaleDown: { kind: 'all' },
      catchUpTimeoutMs: 7_200_000,
      upgradeTimeoutMs: 3_600_000,
      pollIntervalMs: 5_000,
      followUpIssue: true,
      issueLabels: [],
      herokuApiUrl: 'https://api.heroku.com',
      herokuDataApiUrl: 'https://api.data.heroku.com',
      githubApiUrl: 'https://api.github.com',
      repository: 'acme/web',
    })
    expect(Object.isFrozen(settings)).toBe(true)
  })

  it('canonicalises the plan and parses lists, durations and booleans', () => {
    const settings = read({
      plan: 'standard-2',
      version: '17',
      'scale-down': 'worker, clock',
      'catch-up-timeout': '1h30m',
      'poll-interval': '500ms',
      maintenance: 'false',
      'issue-labels': 'db, upgrade',
      'issue-assignees': 'octocat,hubot',
    })
    expect(settings.plan).toBe('heroku-postgresql:standard-2')
    expect(read({ plan: 'heroku-postgresql:premium-0' }).plan).toBe('heroku-postgresql:premium-0')
    expect(settings.version).toBe('17')
    expect(settings.scaleDown).toEqual({ kind: 'list', types: ['worker', 'clock'] })
    expect(settings.catchUpTimeoutMs).toBe(5_400_000)
    expect(settings.pollIntervalMs).toBe(500)
    expect(settings.maintenance).toBe(false)
    expect(settings.issueLabels).toEqual(['db', 'upgrade'])
    expect(settings.issueAssignees).toEqual(['octocat', 'hubot'])
  })

  it('reads the API base URLs from the environment', () => {
    const settings = read(
      {},
      {
        HEROKU_API_URL: 'http://127.0.0.1:5001/',
        HEROKU_DATA_API_URL: 'http://127.0.0.1:5001',
        GITHUB_API_URL: 'http://127.0.0.1:5002',
      },
    )
    expect(settings.herokuApiUrl).toBe('http://127.0.0.1:5001')
    expect(settings.herokuDataApiUrl).toBe('http://127.0.0.1:5001')
    expect(settings.githubApiUrl).toBe('http://127.0.0.1:5002')
  })

  it.each([
    [
      'method',
      'fast',
      'Input "method" has an invalid value "fast". Allowed: auto, follower, in-place, copy, backup-restore, plan-change.',
    ],
    [
      'version',
      '17.2',
      'Input "version" has an invalid value "17.2". Allowed: a Postgres major version such as 17',
    ],
    [
      'plan',
      'heroku-redis:premium-0',
      'Input "plan" has an invalid value "heroku-redis:premium-0". Allowed: a Heroku Postgres plan',
    ],
    ['maintenance', 'yes', 'Input "maintenance" has an invalid value "yes". Allowed: true or false.'],
    [
      'follow-up-issue',
      'maybe',
      'Input "follow-up-issue" has an invalid value "maybe". Allowed: true or false.',
    ],
    [
      'scale-down',
      'worker;clock',
      'Input "scale-down" has an invalid value "worker;clock". Allowed: all, none, or a comma-separated list',
    ],
    [
      'catch-up-timeout',
      '2 hours',
      'Input "catch-up-timeout" has an invalid value "2 hours". Allowed: a duration such as 90s, 45m, 2h or 1h30m',
    ],
    ['upgrade-timeout', '0s', 'Input "upgrade-timeout" has an invalid value "0s". Allowed: a duration'],
    ['poll-interval', 'often', 'Input "poll-interval" has an invalid value "often". Allowed: a duration'],
    ['app', 'Acme Web', 'Input "app" has an invalid value "Acme Web". Allowed: a Heroku app name'],
    [
      'database',
      'DATABASE URL',
      'Input "database" has an invalid value "DATABASE URL". Allowed: an attachment name',
    ],
    [
      'issue-assignees',
      'octo cat!',
      'Input "issue-assignees" has an invalid value "octo cat!". Allowed: comma-separated GitHub logins',
    ],
  ])('names the input, the value and what is allowed for a bad %s', (input, value, message) => {
    const inputs: Record<string, string> = { [input]: value }
    if (input === 'app') inputs.confirm = value
    expect(problemsOf(inputs)).toEqual([expect.stringContaining(message)])
  })

  it('refuses a confirm that does not equal the app', () => {
    expect(problemsOf({ confirm: 'acme-prod' })).toEqual([
      'Input "confirm" has the value "acme-prod", which does not match the app "acme-web". Allowed: exactly the app name.',
    ])
  })

  it('refuses missing required inputs', () => {
    expect(problemsOf({ 'heroku-api-key': '', confirm: '' })).toEqual([
      expect.stringContaining('Input "heroku-api-key" is required'),
      expect.stringContaining('Input "confirm" is required and was empty. Allowed: the app name "acme-web".'),
    ])
  })

  it('reports every bad input at once', () => {
    const problems = problemsOf({
      method: 'fast',
      version: 'latest',
      'poll-interval': '5 seconds',
      confirm: 'nope',
    })
    expect(problems).toHaveLength(4)
    const error = new SettingsError(problems)
    expect(error.message).toMatch(/^4 inputs are invalid:/)
  })

  it('refuses a base URL that is not http(s)', () => {
    expect(problemsOf({}, { HEROKU_API_URL: 'ftp://example.com' })).toEqual([
      expect.stringContaining('Environment variable HEROKU_API_URL has an invalid value "ftp://example.com"'),
    ])
  })

  it('needs a GitHub token only when a follow-up issue is wanted', () => {
    expect(problemsOf({ 'github-token': '' })).toEqual([
      expect.stringContaining('Input "github-token" is empty'),
    ])
    expect(read({ 'github-token': '', 'follow-up-issue': 'false' }).followUpIssue).toBe(false)
  })
})
