// Publishes the report of a run: follow-up issue (on success), job summary, outputs.
// A report problem is a warning: it never turns a finished upgrade into a failure.

import * as core from '@actions/core'
import { describeGitHubError, findOrCreateIssue } from './github/issues'
import { currentRun } from '../domain/identity'
import { isPromoted, type RunRecord } from '../record/record'
import { scrubSecrets } from './format'
import { issueMarker, renderFollowUpIssue } from './issue'
import { outputsFor } from './outputs'
import { renderSummary } from './summary'

export { renderSummary } from './summary'
export { renderFollowUpIssue, issueMarker } from './issue'
export { outputsFor, downtimeSeconds } from './outputs'

export interface PublishOptions {
  githubToken: string
  githubApiUrl: string
  /** owner/name; without it no issue is opened. */
  repository?: string
  followUpIssue: boolean
  issueLabels: string[]
  issueAssignees: string[]
  now?: Date
  /** Values that must never be written anywhere (the Heroku API key); masked if they ever appear. */
  secrets?: string[]
  /** Test seam: milliseconds per unit of the GitHub client's backoff (1000 by default). */
  githubRetryDelayMs?: number
}

export async function publishReport(
  record: RunRecord,
  options: PublishOptions,
): Promise<{ issueUrl?: string }> {
  const now = options.now ?? new Date()
  const secrets = [...(options.secrets ?? []), options.githubToken].filter((secret) => secret.length > 0)
  const scrub = (text: string): string => scrubSecrets(text, secrets)

  let issueUrl = record.issueUrl
  const warnings = [...record.warnings]
  if (wantsIssue(record, options)) {
    const issue = await openFollowUpIssue(record, options, now, scrub)
    if ('url' in issue) issueUrl = issue.url
    // The summary says why there is no issue to follow up on.
    else warnings.push(issue.problem)
  }
  const reported: RunRecord = { ...record, issueUrl, warnings }

  try {
    await core.summary
      .emptyBuffer()
      .addRaw(scrub(renderSummary(reported)))
      .write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${scrub(messageOf(error))}`)
  }

  for (const [name, value] of Object.entries(outputsFor(reported))) {
    core.setOutput(name, scrub(value))
  }
  return issueUrl ? { issueUrl } : {}
}

function wantsIssue(record: RunRecord, options: PublishOptions): boolean {
  if (record.status !== 'succeeded' || !isPromoted(record) || !record.oldDatabase) return false
  if (!options.followUpIssue) return false
  if (!options.repository) {
    core.info('No GitHub repository is known (GITHUB_REPOSITORY is empty): no follow-up issue is opened.')
    return false
  }
  if (!options.githubToken) {
    core.warning('The follow-up issue was not opened: the github-token input is empty.')
    return false
  }
  return true
}

async function openFollowUpIssue(
  record: RunRecord,
  options: PublishOptions,
  now: Date,
  scrub: (text: string) => string,
): Promise<{ url: string } | { problem: string }> {
  const repository = options.repository as string
  const oldAddon = record.oldDatabase?.addonName ?? ''
  const { title, body } = renderFollowUpIssue(record, now, { runUrl: currentRun().url })
  try {
    // Octokit is loaded only when an issue is opened: it is most of the bundle, and every run's start pays
    // for what is loaded up front.
    const { createGitHubClient } = await import('./github/client')
    const github = createGitHubClient({
      token: options.githubToken,
      baseUrl: options.githubApiUrl,
      ...(options.githubRetryDelayMs === undefined ? {} : { retryDelayMs: options.githubRetryDelayMs }),
      onRateLimit: (message) => core.info(scrub(message)),
    })
    const issue = await findOrCreateIssue(github, repository, {
      title: scrub(title),
      body: scrub(body),
      labels: options.issueLabels,
      assignees: options.issueAssignees,
      marker: issueMarker(oldAddon),
    })
    if (issue.created) core.info(`Opened the follow-up issue ${issue.url}`)
    else core.info(`The follow-up issue is already open: ${issue.url}`)
    if (issue.droppedAssignees) {
      core.warning(
        `GitHub refused the assignees ${options.issueAssignees.join(', ')}; the issue was opened without them.`,
      )
    }
    return { url: issue.url }
  } catch (error) {
    const problem = `Could not open the follow-up issue (the upgrade itself is not affected): ${scrub(describeGitHubError(error))}`
    core.warning(problem)
    return { problem }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
