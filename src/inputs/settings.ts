// The input helper: every input of action.yml is read here, validated, and returned as one frozen,
// typed Settings object. All problems are collected and reported together, before any request.
import * as core from '@actions/core'
import { parseDuration } from '../domain/duration'
import type { Method, MethodInput } from '../domain/vocabulary'
import { maskDatabaseUrl } from '../domain/secrets'

export const METHODS = ['auto', 'follower', 'in-place', 'copy', 'backup-restore', 'plan-change'] as const
export const PHASES = ['all', 'plan', 'prepare', 'switch'] as const
export type PhaseInput = (typeof PHASES)[number]

/** When the maintenance window must have ended: an instant, or a time of day in UTC. */
export type WindowEnd = { at: number; text: string } | { hour: number; minute: number; text: string }

export type ScaleDown = { kind: 'all' } | { kind: 'none' } | { kind: 'list'; types: string[] }

export interface Settings {
  apiKey: string
  app: string
  database: string
  method: MethodInput
  /** plan: read-only report; prepare: only what can happen with the app up; switch/all: the whole run. */
  phase: PhaseInput
  /** The plan an approver saw: prepare and switch refuse when the facts changed since. */
  planId?: string
  /** The window is not opened when the estimate exceeds it, and rolled back when it lasts longer. */
  maxDowntimeMs?: number
  windowEnd?: WindowEnd
  /** Target major version; undefined means the newest Heroku supports (unless keepVersion). */
  version?: string
  /** `version` was left empty and `plan` was set: the major version stays as it is. */
  keepVersion: boolean
  /** Canonical plan (heroku-postgresql:standard-0); undefined keeps the current plan. */
  plan?: string
  maintenance: boolean
  scaleDown: ScaleDown
  /**
   * Process types that scale-down leaves running may keep writing while the app moves to a new database:
   * what they write to the old one is lost. False: the window waits until their dynos are stopped.
   */
  acceptLostWrites: boolean
  /** Bounds provisioning and catching up while the app is still up. */
  catchUpTimeoutMs: number
  /** Bounds the wait for 0 commits behind inside the maintenance window. */
  lagTimeoutMs: number
  /** A shell command run inside the window against the new database; undefined when not given. */
  verifyCommand?: string
  verifyTimeoutMs: number
  upgradeTimeoutMs: number
  /** Bounds the wait for Heroku to prepare an in-place upgrade (Standard and higher) while the app is up. */
  prepareTimeoutMs: number
  /** Recreate the old database's followers on the new one after the switch. */
  recreateFollowers: boolean
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
const VERSION = /^[1-9]\d{0,2}$/
const PROCESS_TYPE = /^[A-Za-z0-9_-]{1,63}$/
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/
/** What an HTTP header can carry: a token with anything else fails only when it is first sent. */
const TOKEN = /^[\x21-\x7e]+$/
const URL_WITH_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i

const MAX_PLAN_LENGTH = 64
const MAX_DATABASE_LENGTH = 128
const MAX_TOKEN_LENGTH = 1000
const MAX_URL_LENGTH = 500
const MAX_PROCESS_TYPES = 20
/** GitHub's own limits: longer label names and more assignees make the follow-up issue fail after the upgrade. */
const MAX_LABEL_LENGTH = 50
const MAX_ASSIGNEES = 10

interface DurationRange {
  minMs: number
  maxMs: number
  text: string
}
/** 120h is the longest a self-hosted runner lets a job run. */
const MAX_COMMAND_LENGTH = 4_000
const TIMEOUT_RANGE: DurationRange = { minMs: 1_000, maxMs: 120 * 3_600_000, text: 'from 1s to 120h' }
const POLL_RANGE: DurationRange = { minMs: 100, maxMs: 10 * 60_000, text: 'from 100ms to 10m' }

const SHOWN_WHOLE_UP_TO = 80
const SHOWN_WHEN_CUT = 60

/** The value quoted for a message; a long one is cut so that a pasted blob does not flood the log. */
function shown(value: string): string {
  const characters = [...value]
  if (characters.length <= SHOWN_WHOLE_UP_TO) return JSON.stringify(value)
  return `${JSON.stringify(characters.slice(0, SHOWN_WHEN_CUT).join(''))}… (${characters.length} characters)`
}

function invalid(input: string, value: string, allowed: string): string {
  return `Input "${input}" has an invalid value ${shown(value)}. Allowed: ${allowed}.`
}

/** One problem for all the bad items of a list input, naming the first few. */
function invalidItems(input: string, bad: string[], allowed: string): string {
  if (bad.length === 1) return invalid(input, bad[0]!, allowed)
  const named = bad.slice(0, 3).map(shown).join(', ')
  const more = bad.length > 3 ? ` and ${bad.length - 3} more` : ''
  return `Input "${input}" has invalid values ${named}${more}. Allowed: ${allowed}.`
}

/** Secrets are never shown, not even cut: only what is wrong with them. */
function tokenProblem(input: string, value: string, allowed: string): string | undefined {
  const why = /\s/.test(value)
    ? 'contains whitespace'
    : !TOKEN.test(value)
      ? 'contains characters other than printable ASCII'
      : value.length > MAX_TOKEN_LENGTH
        ? `is ${value.length} characters long`
        : undefined
  if (why === undefined) return undefined
  return `Input "${input}" ${why} (the value is a secret and is not shown). Allowed: ${allowed} (printable ASCII without spaces, at most ${MAX_TOKEN_LENGTH} characters).`
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
  const apiKeyProblem = apiKey && tokenProblem('heroku-api-key', apiKey, 'a Heroku API key')
  if (apiKeyProblem) problems.push(apiKeyProblem)

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
  const databaseAllowed = `an attachment name (DATABASE), a config var (DATABASE_URL) or an add-on name, at most ${MAX_DATABASE_LENGTH} characters`
  if (URL_WITH_SCHEME.test(database)) {
    maskDatabaseUrl(database)
    problems.push(
      `Input "database" is a connection URL (not shown: it may contain a password). Allowed: ${databaseAllowed}.`,
    )
  } else if (!DATABASE.test(database) || database.length > MAX_DATABASE_LENGTH)
    problems.push(invalid('database', database, databaseAllowed))
  else if (database.includes('::') && app && database.split('::')[0] !== app)
    problems.push(
      `Input "database" is ${shown(database)}, which names a database of app ${shown(database.split('::')[0] ?? '')}. This action upgrades the DATABASE of app ${shown(app)}: run it for that app instead. Allowed: ${databaseAllowed}, of app ${shown(app)}.`,
    )

  const methodText = text('method') || 'auto'
  const method = (METHODS as readonly string[]).includes(methodText) ? (methodText as MethodInput) : 'auto'
  if (method !== methodText) problems.push(invalid('method', methodText, METHODS.join(', ')))

  const phaseText = text('phase') || 'all'
  const phase = (PHASES as readonly string[]).includes(phaseText) ? (phaseText as PhaseInput) : 'all'
  if (phase !== phaseText) problems.push(invalid('phase', phaseText, PHASES.join(', ')))

  const planId = text('plan-id') || undefined
  if (planId && !PLAN_ID.test(planId))
    problems.push(
      invalid(
        'plan-id',
        planId,
        'the plan-id output of a run with phase plan of this version of the action (p2- and seven groups of 4 hex digits)',
      ),
    )
  if (planId && phase === 'plan')
    problems.push(
      'Input "plan-id" is set with phase "plan", which computes a new one. Allowed: plan-id with phase prepare, switch or all.',
    )

  const maxDowntimeText = text('max-downtime')
  const maxDowntimeMs = maxDowntimeText
    ? durationInput('max-downtime', maxDowntimeText, TIMEOUT_RANGE, problems)
    : undefined
  const windowEnd = windowEndInput(text('window-end'), problems)

  const versionText = text('version')
  if (versionText && versionText !== 'latest' && !VERSION.test(versionText))
    problems.push(
      invalid(
        'version',
        versionText,
        'a Postgres major version such as 17 (1 to 3 digits, no leading zero), latest for the newest Heroku supports, or empty (the newest, or the current version when "plan" is set)',
      ),
    )

  const planText = text('plan')
  const planMatch = planText.length <= MAX_PLAN_LENGTH ? PLAN.exec(planText) : null
  if (planText && !planMatch)
    problems.push(
      invalid(
        'plan',
        planText,
        `a Heroku Postgres plan such as standard-0 or heroku-postgresql:standard-0 (at most ${MAX_PLAN_LENGTH} characters), or empty to keep the current plan`,
      ),
    )

  const confirm = text('confirm')
  if (!confirm)
    problems.push(
      `Input "confirm" is required and was empty. Allowed: the app name${app ? ` ${shown(app)}` : ''}.`,
    )
  else if (app && confirm !== app)
    problems.push(
      `Input "confirm" has the value ${shown(confirm)}, which does not match the app ${shown(app)}. Allowed: exactly the app name.`,
    )

  const maintenance = booleanInput('maintenance', text('maintenance'), true, problems)
  const followUpIssue = booleanInput('follow-up-issue', text('follow-up-issue'), true, problems)
  const recreateFollowers = booleanInput('recreate-followers', text('recreate-followers'), true, problems)
  const acceptLostWrites = booleanInput('accept-lost-writes', text('accept-lost-writes'), false, problems)

  const scaleDown = parseScaleDown(text('scale-down') || 'all', problems)

  const duration = (name: string, fallback: string, range: DurationRange): number =>
    durationInput(name, text(name) || fallback, range, problems)
  const catchUpTimeoutMs = duration('catch-up-timeout', '2h', TIMEOUT_RANGE)
  const lagTimeoutMs = duration('lag-timeout', '5m', TIMEOUT_RANGE)
  const upgradeTimeoutMs = duration('upgrade-timeout', '1h', TIMEOUT_RANGE)
  // Under GitHub's 6-hour job limit, with an hour left for the window and the report (see action.yml).
  const prepareTimeoutMs = duration('prepare-timeout', '5h', TIMEOUT_RANGE)
  const pollIntervalMs = duration('poll-interval', '5s', POLL_RANGE)
  const verifyTimeoutMs = duration('verify-timeout', '5m', TIMEOUT_RANGE)
  const verifyCommand = read('verify-command').trim() || undefined
  if (verifyCommand && verifyCommand.length > MAX_COMMAND_LENGTH)
    problems.push(
      `Input "verify-command" is ${verifyCommand.length} characters long. Allowed: a shell command of at most ${MAX_COMMAND_LENGTH} characters (put a longer check in a script and call it).`,
    )

  const githubToken = text('github-token')
  if (githubToken) core.setSecret(githubToken)
  if (followUpIssue && !githubToken)
    problems.push(
      'Input "github-token" is empty but "follow-up-issue" is true. Allowed: a token with issues: write, or set follow-up-issue to false.',
    )
  const githubTokenProblem =
    githubToken && tokenProblem('github-token', githubToken, 'a GitHub token with issues: write')
  if (githubTokenProblem) problems.push(githubTokenProblem)

  const issueLabels = list(read('issue-labels'))
  const longLabels = issueLabels.filter((label) => [...label].length > MAX_LABEL_LENGTH)
  if (longLabels.length > 0)
    problems.push(
      invalidItems(
        'issue-labels',
        longLabels,
        `comma-separated label names of at most ${MAX_LABEL_LENGTH} characters each`,
      ),
    )

  const issueAssignees = list(read('issue-assignees'))
  const assigneesAllowed = `comma-separated GitHub logins, at most ${MAX_ASSIGNEES}`
  const badLogins = issueAssignees.filter((login) => !GITHUB_LOGIN.test(login))
  if (badLogins.length > 0) problems.push(invalidItems('issue-assignees', badLogins, assigneesAllowed))
  else if (issueAssignees.length > MAX_ASSIGNEES)
    problems.push(
      `Input "issue-assignees" names ${issueAssignees.length} logins. Allowed: ${assigneesAllowed}.`,
    )

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
    phase,
    planId,
    maxDowntimeMs,
    windowEnd,
    version: versionText === 'latest' ? undefined : versionText || undefined,
    // A plan change alone never changes the major version: only a version input does.
    keepVersion: versionText === '' && planText !== '',
    plan: planMatch ? `heroku-postgresql:${planMatch[1]}` : undefined,
    maintenance,
    scaleDown,
    acceptLostWrites,
    catchUpTimeoutMs,
    lagTimeoutMs,
    verifyCommand,
    verifyTimeoutMs,
    upgradeTimeoutMs,
    prepareTimeoutMs,
    recreateFollowers,
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

const PLAN_ID = /^p2(-[0-9a-f]{4}){7}$/
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/
/** An ISO 8601 instant with a date, a time and an offset (Z or ±hh:mm): a bare date or local time is ambiguous. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

function windowEndInput(value: string, problems: string[]): WindowEnd | undefined {
  if (!value) return undefined
  const clock = TIME_OF_DAY.exec(value)
  if (clock) return { hour: Number(clock[1]), minute: Number(clock[2]), text: `${value} UTC` }
  const at = INSTANT.test(value) && isCalendarInstant(value) ? Date.parse(value) : Number.NaN
  if (Number.isFinite(at)) return { at, text: value }
  problems.push(
    invalid(
      'window-end',
      value,
      'a time of day in UTC such as 04:30, or an ISO 8601 instant with its offset such as 2026-12-02T04:30:00Z',
    ),
  )
  return undefined
}

/** The date and time as written exist (Date.parse turns 2030-02-31 into March 3 without a word). */
function isCalendarInstant(value: string): boolean {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value)
  if (!parts) return false
  const [year, month, day, hour, minute, second] = parts.slice(1).map((part) => Number(part ?? 0))
  const date = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!))
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  )
}

function booleanInput(name: string, value: string, fallback: boolean, problems: string[]): boolean {
  if (value === '') return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  problems.push(invalid(name, value, 'true or false'))
  return fallback
}

function durationInput(name: string, value: string, range: DurationRange, problems: string[]): number {
  const ms = parseDuration(value)
  if (ms === undefined || ms < range.minMs || ms > range.maxMs) {
    problems.push(invalid(name, value, `a duration such as 90s, 45m, 2h or 1h30m, ${range.text}`))
    return 0
  }
  return ms
}

function parseScaleDown(value: string, problems: string[]): ScaleDown {
  if (value === 'all') return { kind: 'all' }
  if (value === 'none') return { kind: 'none' }
  const types = [...new Set(list(value))]
  const valid =
    types.length > 0 &&
    types.length <= MAX_PROCESS_TYPES &&
    types.every((type) => PROCESS_TYPE.test(type) && type !== 'all' && type !== 'none')
  if (!valid) {
    problems.push(
      invalid(
        'scale-down',
        value,
        `all, none, or a comma-separated list of at most ${MAX_PROCESS_TYPES} process types such as worker,clock`,
      ),
    )
    return { kind: 'none' }
  }
  return { kind: 'list', types }
}

function urlFromEnv(name: string, value: string | undefined, fallback: string, problems: string[]): string {
  const text = (value ?? '').trim() || fallback
  const allowed = `an http(s) URL such as ${fallback}, without user name, password, query or fragment, at most ${MAX_URL_LENGTH} characters`
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  if (url && (url.username || url.password)) {
    problems.push(
      `Environment variable ${name} contains a user name or password (not shown). Allowed: ${allowed}.`,
    )
    return fallback
  }
  const valid =
    url !== undefined &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    !url.search &&
    !url.hash &&
    !text.endsWith('?') &&
    !text.endsWith('#') &&
    text.length <= MAX_URL_LENGTH
  if (!valid) {
    problems.push(`Environment variable ${name} has an invalid value ${shown(text)}. Allowed: ${allowed}.`)
    return fallback
  }
  return text.replace(/\/+$/, '')
}
