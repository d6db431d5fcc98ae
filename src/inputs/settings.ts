// The input helper: every input of action.yml is read here, validated, and returned as one frozen,
// typed Settings object. All problems are collected and reported together, before any request, in the
// order of action.yml.
import * as core from '@actions/core'
import { booleanInput, durationInput, POLL_RANGE, TIMEOUT_RANGE } from './parse-values'
import {
  apiKeyInput,
  appInput,
  choiceInput,
  confirmInput,
  databaseInput,
  planIdInput,
  planInput,
  versionInput,
} from './parse-target'
import { readOnlyWindowProblems, scaleDownInput, verifyCommandInput, windowEndInput } from './parse-window'
import { apiUrls, assigneesInput, githubTokenInput, labelsInput } from './parse-report'
import { readRawInputs, type InputName, type InputReader } from './read'
import { FENCES, METHODS, PHASES, WINDOWS, type Settings } from './types'

// Read by the plan, the steps and the engine: the type stays importable from the entry they call.
export type { Settings } from './types'

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? (problems[0] ?? '')
        : `${problems.length} inputs are invalid:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    )
    this.name = 'SettingsError'
  }
}

/** Reads the inputs through @actions/core (INPUT_* variables) unless a reader is given. */
export function readSettings(
  read: InputReader = (name) => core.getInput(name),
  env: NodeJS.ProcessEnv = process.env,
): Readonly<Settings> {
  const problems: string[] = []
  const raw = readRawInputs(read)
  const flag = (name: InputName, fallback: boolean): boolean =>
    booleanInput(name, raw[name], fallback, problems)
  const timeout = (name: InputName, fallback: string): number =>
    durationInput(name, raw[name] || fallback, TIMEOUT_RANGE, problems)

  const apiKey = apiKeyInput(raw['heroku-api-key'], problems)
  const app = appInput(raw.app, problems)
  const database = databaseInput(raw.database, app, problems)
  const method = choiceInput('method', raw.method, METHODS, 'auto', problems)
  const phase = choiceInput('phase', raw.phase, PHASES, 'all', problems)
  const planId = planIdInput(raw['plan-id'], phase, problems)
  const maxDowntimeMs = raw['max-downtime']
    ? durationInput('max-downtime', raw['max-downtime'], TIMEOUT_RANGE, problems)
    : undefined
  const windowEnd = windowEndInput(raw['window-end'], problems)
  const version = versionInput(raw.version, problems)
  const plan = planInput(raw.plan, problems)
  confirmInput(raw.confirm, app, problems)

  const window = choiceInput('window', raw.window, WINDOWS, 'maintenance', problems)
  const maintenance = flag('maintenance', true)
  const followUpIssue = flag('follow-up-issue', true)
  const recreateFollowers = flag('recreate-followers', true)
  const acceptLostWrites = flag('accept-lost-writes', false)
  const scaleDown = scaleDownInput(raw['scale-down'], problems)
  const fence = choiceInput('fence', raw.fence, FENCES, 'auto', problems)
  problems.push(...readOnlyWindowProblems(window, scaleDown, fence))

  const catchUpTimeoutMs = timeout('catch-up-timeout', '2h')
  const lagTimeoutMs = timeout('lag-timeout', '5m')
  const upgradeTimeoutMs = timeout('upgrade-timeout', '1h')
  // Under GitHub's 6-hour job limit, with an hour left for the window and the report (see action.yml).
  const prepareTimeoutMs = timeout('prepare-timeout', '5h')
  const pollIntervalMs = durationInput('poll-interval', raw['poll-interval'] || '5s', POLL_RANGE, problems)
  const verifyTimeoutMs = timeout('verify-timeout', '5m')
  const verifyCommand = verifyCommandInput(raw['verify-command'], problems)

  const githubToken = githubTokenInput(raw['github-token'], followUpIssue, problems)
  const issueLabels = labelsInput(raw['issue-labels'], problems)
  const issueAssignees = assigneesInput(raw['issue-assignees'], problems)
  const urls = apiUrls(env, problems)

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
    version: version === 'latest' ? undefined : version || undefined,
    // A plan change alone never changes the major version: only a version input does.
    keepVersion: version === '' && raw.plan !== '',
    plan,
    window,
    maintenance,
    scaleDown,
    acceptLostWrites,
    fence,
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
    ...urls,
    repository: env.GITHUB_REPOSITORY || undefined,
  })
}
