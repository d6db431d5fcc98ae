// The inputs of the follow-up issue (token, labels, assignees) and the API base URLs, which come from the
// environment (GitHub sets GITHUB_API_URL; the tests point the Heroku ones at the simulator).
import * as core from '@actions/core'
import { list } from './parse-values'
import { invalidItems, shown, tokenProblem } from './problems'

const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/
const MAX_URL_LENGTH = 500
/** GitHub's own limits: longer label names and more assignees make the follow-up issue fail after the upgrade. */
const MAX_LABEL_LENGTH = 50
const MAX_ASSIGNEES = 10

/** The token is masked in the log as soon as it is read, before anything could print it. */
export function githubTokenInput(githubToken: string, followUpIssue: boolean, problems: string[]): string {
  if (githubToken) core.setSecret(githubToken)
  if (followUpIssue && !githubToken)
    problems.push(
      'Input "github-token" is empty but "follow-up-issue" is true. Allowed: a token with issues: write, or set follow-up-issue to false.',
    )
  const problem =
    githubToken && tokenProblem('github-token', githubToken, 'a GitHub token with issues: write')
  if (problem) problems.push(problem)
  return githubToken
}

export function labelsInput(value: string, problems: string[]): string[] {
  const labels = list(value)
  const long = labels.filter((label) => [...label].length > MAX_LABEL_LENGTH)
  if (long.length > 0)
    problems.push(
      invalidItems(
        'issue-labels',
        long,
        `comma-separated label names of at most ${MAX_LABEL_LENGTH} characters each`,
      ),
    )
  return labels
}

export function assigneesInput(value: string, problems: string[]): string[] {
  const assignees = list(value)
  const allowed = `comma-separated GitHub logins, at most ${MAX_ASSIGNEES}`
  const bad = assignees.filter((login) => !GITHUB_LOGIN.test(login))
  if (bad.length > 0) problems.push(invalidItems('issue-assignees', bad, allowed))
  else if (assignees.length > MAX_ASSIGNEES)
    problems.push(`Input "issue-assignees" names ${assignees.length} logins. Allowed: ${allowed}.`)
  return assignees
}

export interface ApiUrls {
  herokuApiUrl: string
  herokuDataApiUrl: string
  githubApiUrl: string
}

export function apiUrls(env: NodeJS.ProcessEnv, problems: string[]): ApiUrls {
  return {
    herokuApiUrl: urlFromEnv('HEROKU_API_URL', env.HEROKU_API_URL, 'https://api.heroku.com', problems),
    herokuDataApiUrl: urlFromEnv(
      'HEROKU_DATA_API_URL',
      env.HEROKU_DATA_API_URL,
      'https://api.data.heroku.com',
      problems,
    ),
    githubApiUrl: urlFromEnv('GITHUB_API_URL', env.GITHUB_API_URL, 'https://api.github.com', problems),
  }
}

/** A URL with credentials is never shown; one with a query or fragment would break every path appended. */
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
