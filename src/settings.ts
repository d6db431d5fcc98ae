// The input helper: every input of action.yml is read here, validated, and returned as one frozen,
// typed Settings object. All problems are collected and reported together, before any request.
import * as core from '@actions/core'
import { parseDuration } from './duration'
import type { Method } from './run-record'

export const METHODS = ['auto', 'follower', 'in-place', 'copy', 'backup-restore', 'plan-change'] as const
export type MethodInput = 'auto' | Method

export type ScaleDown = { kind: 'all' } | { kind: 'none' } | { kind: 'list'; types: string[] }

export interface Settings {
  apiKey: string
  app: string
  database: string
  method: MethodInput
  /** Target major version; undefined means the newest Heroku supports. */
  version?: string
  /** Canonical plan (heroku-postgresql:standard-0); undefined keeps the current plan. */
  plan?: string
  maintenance: boolean
  scaleDown: ScaleDown
  catchUpTimeoutMs: number
  upgradeTimeoutMs: number
  pollIntervalMs: number
  githubToken: string
  followUpIssue: boolean
  issueLabels: string[]
  issueAssignees: string[]
  herokuApiUrl: string
  herokuDataApiUrl: string
  githubApiUrl: string
  repository?: string
}

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `${problems.length} inputs are invalid:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    )
    this.name = 'SettingsError'
  }
}

export type InputReader = (name: string) => string

const APP_NAME = /^[a-z][a-z0-9-]{1,29}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATABASE = /^(?:[a-z][a-z0-9-]*::)?[A-Za-z0-9][A-Za-z0-9_-]*$/
const PLAN = /^(?:heroku-postgresql:)?([a-z0-9][a-z0-9-]*)$/
const PROCESS_TYPE = /^[A-Za-z0-9_-]+$/
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/
const MIN_POLL_MS = 100

const quote = (value: string): string => JSON.stringify(value)

function invalid(input: string, value: string, allowed: string): string {
  return `Input "${input}" has an invalid value ${quote(value)}. Allowed: ${allowed}.`
}

function list(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** Reads the inputs through @actions/core (INPUT_* variables) unless a reader is given. */
export function readSettings(
  read: InputReader = (name) => core.getInput(name),
  env: NodeJS.ProcessEnv = process.env,
): Readonly<Settings> {
  const problems: string[] = []
  const text = (name: string): string => read(name).trim()

  const apiKey = text('heroku-api-key')
  if (apiKey) core.setSecret(apiKey)
  else problems.push('Input "heroku-api-key" is required and was empty. Pass a Heroku API key from a secret.')
  if (/\s/.test(apiKey))
    problems.push('Input "heroku-api-key" contains whitespace. Allowed: a Heroku API key.')

  const app = text('app')
  if (!app) problems.push('Input "app" is required and was empty. Allowed: the name of a Heroku app.')
  else if (!APP_NAME.test(app) && !UUID.test(app))
    problems.push(
      invalid(
        'app',
        app,
        'a Heroku app name (lowercase letters, digits and dashes, starting with a letter) or an app id',
      ),
    )

  const database = text('database') || 'DATABASE_URL'
  if (!DATABASE.test(database))
    problems.push(
      invalid(
        'database',
        database,
        'an attachment name (DATABASE), a config var (DATABASE_URL) or an add-on name',
      ),
    )

  const methodText = text('method') || 'auto'
  const method = (METHODS as readonly string[]).includes(methodText) ? (methodText as MethodInput) : 'auto'
  if (method !== methodText) problems.push(invalid('method', methodText, METHODS.join(', ')))

  const versionText = text('version')
  if (versionText && !/^\d{1,3}$/.test(versionText))
    problems.push(
      invalid(
        'version',
        versionText,
        'a Postgres major version such as 17, or empty for the newest Heroku supports',
      ),
    )

  const planText = text('plan')
  const planMatch = PLAN.exec(planText)
  if (planText && !planMatch)
    problems.push(
      invalid(
        'plan',
        planText,
        'a Heroku Postgres plan such as standard-0 or heroku-postgresql:standard-0, or empty to keep the current plan',
      ),
    )

  const confirm = text('confirm')
  if (!confirm)
    problems.push(
      `Input "confirm" is required and was empty. Allowed: the app name${app ? ` ${quote(app)}` : ''}.`,
    )
  else if (app && confirm !== app)
    problems.push(
      `Input "confirm" has the value ${quote(confirm)}, which does not match the app ${quote(app)}. Allowed: exactly the app name.`,
    )

  const maintenance = booleanInput('maintenance', text('maintenance'), true, problems)
  const followUpIssue = booleanInput('follow-up-issue', text('follow-up-issue'), true, problems)

  const scaleDown = parseScaleDown(text('scale-down') || 'all', problems)

  const catchUpTimeoutMs = durationInput('catch-up-timeout', text('catch-up-timeout') || '2h', 1000, problems)
  const upgradeTimeoutMs = durationInput('upgrade-timeout', text('upgrade-timeout') || '1h', 1000, problems)
  const pollIntervalMs = durationInput('poll-interval', text('poll-interval') || '5s', MIN_POLL_MS, problems)

  const githubToken = text('github-token')
  if (githubToken) core.setSecret(githubToken)
  if (followUpIssue && !githubToken)
    problems.push(
      'Input "github-token" is empty but "follow-up-issue" is true. Allowed: a token with issues: write, or set follow-up-issue to false.',
    )

  const issueLabels = list(read('issue-labels'))
  const issueAssignees = list(read('issue-assignees'))
  for (const login of issueAssignees)
    if (!GITHUB_LOGIN.test(login))
      problems.push(invalid('issue-assignees', login, 'comma-separated GitHub logins'))

  const herokuApiUrl = urlFromEnv('HEROKU_API_URL', env.HEROKU_API_URL, 'https://api.heroku.com', problems)
  const herokuDataApiUrl = urlFromEnv(
    'HEROKU_DATA_API_URL',
    env.HEROKU_DATA_API_URL,
    'https://api.data.heroku.com',
    problems,
  )
  const githubApiUrl = urlFromEnv('GITHUB_API_URL', env.GITHUB_API_URL, 'https://api.github.com', problems)

  if (problems.length > 0) throw new SettingsError(problems)

  return Object.freeze({
    apiKey,
    app,
    database,
    method,
    version: versionText || undefined,
    plan: planMatch ? `heroku-postgresql:${planMatch[1]}` : undefined,
    maintenance,
    scaleDown,
    catchUpTimeoutMs,
    upgradeTimeoutMs,
    pollIntervalMs,
    githubToken,
    followUpIssue,
    issueLabels: Object.freeze(issueLabels) as string[],
    issueAssignees: Object.freeze(issueAssignees) as string[],
    herokuApiUrl,
    herokuDataApiUrl,
    githubApiUrl,
    repository: env.GITHUB_REPOSITORY || undefined,
  })
}

function booleanInput(name: string, value: string, fallback: boolean, problems: string[]): boolean {
  if (value === '') return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  problems.push(invalid(name, value, 'true or false'))
  return fallback
}

function durationInput(name: string, value: string, minimumMs: number, problems: string[]): number {
  const ms = parseDuration(value)
  if (ms === undefined || ms < minimumMs) {
    problems.push(
      invalid(
        name,
        value,
        `a duration such as 90s, 45m, 2h or 1h30m${minimumMs < 1000 ? ' (at least 100ms)' : ' (at least 1s)'}`,
      ),
    )
    return 0
  }
  return ms
}

function parseScaleDown(value: string, problems: string[]): ScaleDown {
  if (value === 'all') return { kind: 'all' }
  if (value === 'none') return { kind: 'none' }
  const types = list(value)
  const bad = types.filter((type) => !PROCESS_TYPE.test(type))
  if (types.length === 0 || bad.length > 0) {
    problems.push(
      invalid(
        'scale-down',
        value,
        'all, none, or a comma-separated list of process types such as worker,clock',
      ),
    )
    return { kind: 'none' }
  }
  return { kind: 'list', types: [...new Set(types)] }
}

function urlFromEnv(name: string, value: string | undefined, fallback: string, problems: string[]): string {
  const text = (value ?? '').trim() || fallback
  try {
    const url = new URL(text)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http')
    return text.replace(/\/+$/, '')
  } catch {
    problems.push(
      `Environment variable ${name} has an invalid value ${quote(text)}. Allowed: an http(s) URL such as ${fallback}.`,
    )
    return fallback
  }
}
