// The end of a run, in the main step and in the post step alike: the report published (job summary,
// outputs, follow-up issue), a prepared change Heroku will run by itself said on the run's page too.
import * as core from '@actions/core'
import { errorMessage } from '../domain/error-message'
import type { RetryPolicy } from '../heroku/retry'
import type { Settings } from '../inputs/settings'
import type { Journal } from '../record/journal'
import { leftForHeroku, leftForHerokuText } from '../record/left-for-heroku'
import type { RunRecord } from '../record/record'
import { publishReport } from '../report/index'
import type { Clock } from '../runtime/clock'

/** What the entry points take from their caller: the runner gives none of it; tests give all of it. */
export interface RunDependencies {
  clock?: Clock
  /** Aborting it behaves like SIGINT/SIGTERM from the runner. */
  signal?: AbortSignal
  retryPolicy?: Partial<RetryPolicy>
  /** Backoff of the GitHub client (tests use a short one). */
  githubRetryDelayMs?: number
  /** Listen to SIGINT/SIGTERM (the real entry point does; in-process tests do not). */
  handleSignals?: boolean
}

export async function report(
  journal: Journal,
  settings: Readonly<Settings>,
  dependencies: RunDependencies,
): Promise<void> {
  try {
    const { issueUrl } = await publishReport(journal.record, {
      githubToken: settings.githubToken,
      githubApiUrl: settings.githubApiUrl,
      repository: settings.repository,
      followUpIssue: settings.followUpIssue,
      issueLabels: settings.issueLabels,
      issueAssignees: settings.issueAssignees,
      secrets: [settings.apiKey],
      githubRetryDelayMs: dependencies.githubRetryDelayMs,
    })
    if (issueUrl) journal.issueOpened(issueUrl)
  } catch (error) {
    core.warning(`Could not publish the report: ${errorMessage(error)}`)
  }
}

/** A prepared change Heroku will run by itself, shown on the run's page as well as in the summary. */
export function warnIfLeftForHeroku(record: Readonly<RunRecord>): void {
  const left = leftForHeroku(record)
  if (left) core.warning(leftForHerokuText(record, left))
}
