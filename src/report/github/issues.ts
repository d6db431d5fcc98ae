// The follow-up issue on GitHub: find the open issue of an old add-on by its hidden marker, or open it,
// once: a create whose answer was lost is followed by another look for the marker, never by a blind resend.

import { setTimeout as sleep } from 'node:timers/promises'
import { backoffUnitMs, type GitHubClient } from './client'

export interface IssueRef {
  number: number
  url: string
}

export interface FollowUpIssue {
  title: string
  body: string
  labels: string[]
  assignees: string[]
  /** Hidden line of the body that identifies the issue. */
  marker: string
}

/** Pages of 100 open issues read when looking for the marker. */
export const MAX_PAGES = 10

/** owner/name, refusing anything that is not a repository name. */
export function splitRepository(repository: string): { owner: string; repo: string } {
  const [owner, repo, ...rest] = repository.split('/')
  if (!owner || !repo || rest.length > 0) {
    throw new Error(`"${repository}" is not a repository name of the form owner/name`)
  }
  return { owner, repo }
}

/** The first open issue with the given labels whose body contains the marker; pull requests do not count. */
export async function findOpenIssue(
  github: GitHubClient,
  repository: string,
  labels: string[],
  marker: string,
): Promise<IssueRef | undefined> {
  const pages = github.paginate.iterator(github.rest.issues.listForRepo, {
    ...splitRepository(repository),
    state: 'open',
    per_page: 100,
    ...(labels.length > 0 ? { labels: labels.join(',') } : {}),
  })
  let read = 0
  for await (const { data } of pages) {
    const match = data.find((issue) => !issue.pull_request && (issue.body ?? '').includes(marker))
    if (match) return { number: match.number, url: match.html_url }
    if (++read >= MAX_PAGES) break
  }
  return undefined
}

/**
 * Sends of the create request at most, each after the first preceded by a look for the marker. The client's
 * throttling keeps 3 s between issue creations, so two more sends cost at least 6 s besides the backoff.
 */
export const MAX_CREATE_SENDS = 3

/**
 * Returns the open issue that carries the marker, or opens one. When GitHub refuses the assignees
 * (422: not collaborators), the issue is opened without them rather than not at all.
 */
export async function findOrCreateIssue(
  github: GitHubClient,
  repository: string,
  issue: FollowUpIssue,
): Promise<IssueRef & { created: boolean; droppedAssignees: boolean }> {
  const existing = await findOpenIssue(github, repository, issue.labels, issue.marker)
  if (existing) return { ...existing, created: false, droppedAssignees: false }
  try {
    return { ...(await createOnce(github, repository, issue, issue.assignees)), droppedAssignees: false }
  } catch (error) {
    if (statusOf(error) !== 422 || issue.assignees.length === 0) throw error
    return { ...(await createOnce(github, repository, issue, [])), droppedAssignees: true }
  }
}

/**
 * Opens the issue. The client never sends a POST twice by itself; here, when a send gets no clear answer
 * (no answer, a dropped connection, a 5xx), GitHub may have opened the issue anyway, so the marker is looked
 * for again after the client's backoff, and the issue sent again only when the look does not find it.
 */
async function createOnce(
  github: GitHubClient,
  repository: string,
  issue: FollowUpIssue,
  assignees: string[],
): Promise<IssueRef & { created: boolean }> {
  for (let send = 1; ; send++) {
    try {
      const { data } = await github.rest.issues.create({
        ...splitRepository(repository),
        title: issue.title,
        body: issue.body,
        labels: issue.labels,
        assignees,
        // Never sent again by plugin-retry, whatever client this is: only after a look, below.
        request: { retries: 0 },
      })
      return { number: data.number, url: data.html_url, created: true }
    } catch (error) {
      if (!mayHaveTakenEffect(error) || send >= MAX_CREATE_SENDS) throw error
    }
    await sleep(send ** 2 * backoffUnitMs(github))
    const found = await findOpenIssue(github, repository, issue.labels, issue.marker)
    if (found) return { ...found, created: true }
  }
}

/** Whether a failed request may still have been carried out: it got no answer, or a 5xx one. */
function mayHaveTakenEffect(error: unknown): boolean {
  if (error === null || typeof error !== 'object' || !('request' in error)) return false
  const status = statusOf(error)
  return status === undefined || status >= 500
}

/** The HTTP status of a failed Octokit request; undefined when GitHub never answered. */
export function statusOf(error: unknown): number | undefined {
  const { status, response } = (error ?? {}) as { status?: unknown; response?: unknown }
  return typeof status === 'number' && response !== undefined ? status : undefined
}

/**
 * One line on a failed request: `GitHub API POST /repos/o/r/issues answered 403: <GitHub's message>`, or
 * `... failed: <cause>` when no answer came. Followed by what to do when the token lacks permission.
 */
export function describeGitHubError(error: unknown): string {
  const { request, response, message } = (error ?? {}) as {
    request?: { method?: string; url?: string }
    response?: { data?: unknown }
    message?: string
  }
  const status = statusOf(error)
  const where = request?.method && request.url ? ` ${request.method} ${pathOf(request.url)}` : ''
  if (status === undefined) {
    return request ? `GitHub API${where} failed: ${message ?? String(error)}` : (message ?? String(error))
  }
  const detail = gitHubMessage(response?.data, message)
  const line = `GitHub API${where} answered ${status}: ${detail}`
  if (status === 429 || /rate limit/i.test(detail))
    return `${line} (still rate limited after the waits this action allows)`
  if (status === 403 || status === 404) {
    const why =
      status === 403
        ? 'the token lacks permission to write issues'
        : 'the repository or its issues are not visible to the token'
    return (
      `${line.replace(/[.\s]+$/, '')}. Likely ${why}: give the job \`permissions: issues: write\` ` +
      '(or pass a github-token that has it), or set follow-up-issue to false.'
    )
  }
  return line
}

function pathOf(url: string): string {
  try {
    return new URL(url, 'http://github.invalid').pathname
  } catch {
    return url
  }
}

/** GitHub's `message`, with the details of `errors` when there are any. */
function gitHubMessage(data: unknown, fallback: string | undefined): string {
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string') {
    const json = data as {
      message: string
      errors?: Array<{ field?: string; code?: string; message?: string } | string>
    }
    const details = (Array.isArray(json.errors) ? json.errors : [])
      .map((detail) =>
        typeof detail === 'string'
          ? detail
          : (detail.message ?? [detail.field, detail.code].filter(Boolean).join(' ')),
      )
      .filter((detail) => detail.length > 0)
    return details.length > 0 ? `${json.message} (${details.join('; ')})` : json.message
  }
  if (typeof data === 'string' && data.trim() !== '') return data.slice(0, 200)
  return fallback ?? 'no message'
}
