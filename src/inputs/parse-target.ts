// The inputs that say what is upgraded and how far: the key, the app and its database, the method and the
// phase, the approved plan-id, the target version and plan, and the confirmation that names the app.
import * as core from '@actions/core'
import { maskDatabaseUrl } from '../domain/secrets'
import { databaseOfOtherAppRefusal } from '../domain/messages/refusals'
import { invalid, shown, tokenProblem } from './problems'

const APP_NAME = /^[a-z][a-z0-9-]{1,29}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATABASE = /^(?:[a-z][a-z0-9-]*::)?[A-Za-z0-9][A-Za-z0-9_-]*$/
const PLAN = /^(?:heroku-postgresql:)?([a-z0-9][a-z0-9-]*)$/
const VERSION = /^[1-9]\d{0,2}$/
const PLAN_ID = /^p2(-[0-9a-f]{4}){7}$/
const URL_WITH_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i

const MAX_PLAN_LENGTH = 64
const MAX_DATABASE_LENGTH = 128

/** The key is masked in the log as soon as it is read, before anything could print it. */
export function apiKeyInput(apiKey: string, problems: string[]): string {
  if (apiKey) core.setSecret(apiKey)
  else problems.push('Input "heroku-api-key" is required and was empty. Pass a Heroku API key from a secret.')
  const problem = apiKey && tokenProblem('heroku-api-key', apiKey, 'a Heroku API key')
  if (problem) problems.push(problem)
  return apiKey
}

export function appInput(app: string, problems: string[]): string {
  if (!app) problems.push('Input "app" is required and was empty. Allowed: the name of a Heroku app.')
  else if (!APP_NAME.test(app) && !UUID.test(app))
    problems.push(
      invalid(
        'app',
        app,
        'a Heroku app name (lowercase letters, digits and dashes, starting with a letter) or an app id',
      ),
    )
  return app
}

/** A connection URL is masked and never shown: it may hold the database's password. */
export function databaseInput(value: string, app: string, problems: string[]): string {
  const database = value || 'DATABASE_URL'
  const allowed = `an attachment name (DATABASE), a config var (DATABASE_URL) or an add-on name, at most ${MAX_DATABASE_LENGTH} characters`
  const owner = database.split('::')[0] ?? ''
  if (URL_WITH_SCHEME.test(database)) {
    maskDatabaseUrl(database)
    problems.push(
      `Input "database" is a connection URL (not shown: it may contain a password). Allowed: ${allowed}.`,
    )
  } else if (!DATABASE.test(database) || database.length > MAX_DATABASE_LENGTH)
    problems.push(invalid('database', database, allowed))
  else if (database.includes('::') && app && owner !== app)
    problems.push(
      databaseOfOtherAppRefusal({ database: shown(database), owner: shown(owner), app: shown(app), allowed }),
    )
  return database
}

/** One of a fixed list of words (method, phase); empty is the first default given. */
export function choiceInput<T extends string>(
  name: string,
  value: string,
  allowed: readonly T[],
  fallback: T,
  problems: string[],
): T {
  const text = value || fallback
  const chosen = allowed.find((word) => word === text)
  if (chosen !== undefined) return chosen
  problems.push(invalid(name, text, allowed.join(', ')))
  return fallback
}

export function planIdInput(value: string, phase: string, problems: string[]): string | undefined {
  const planId = value || undefined
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
  return planId
}

/** Returns the text as given (empty, latest or a major version): what it means depends on "plan" too. */
export function versionInput(value: string, problems: string[]): string {
  if (value && value !== 'latest' && !VERSION.test(value))
    problems.push(
      invalid(
        'version',
        value,
        'a Postgres major version such as 17 (1 to 3 digits, no leading zero), latest for the newest Heroku supports, or empty (the newest, or the current version when "plan" is set)',
      ),
    )
  return value
}

/** The canonical plan name (heroku-postgresql:standard-0), or undefined to keep the current plan. */
export function planInput(value: string, problems: string[]): string | undefined {
  const match = value.length <= MAX_PLAN_LENGTH ? PLAN.exec(value) : null
  if (value && !match)
    problems.push(
      invalid(
        'plan',
        value,
        `a Heroku Postgres plan such as standard-0 or heroku-postgresql:standard-0 (at most ${MAX_PLAN_LENGTH} characters), or empty to keep the current plan`,
      ),
    )
  return match ? `heroku-postgresql:${match[1]}` : undefined
}

/** Typing the app's name again is what makes a run on the wrong app impossible by a copied workflow. */
export function confirmInput(confirm: string, app: string, problems: string[]): void {
  if (!confirm)
    problems.push(
      `Input "confirm" is required and was empty. Allowed: the app name${app ? ` ${shown(app)}` : ''}.`,
    )
  else if (app && confirm !== app)
    problems.push(
      `Input "confirm" has the value ${shown(confirm)}, which does not match the app ${shown(app)}. Allowed: exactly the app name.`,
    )
}
