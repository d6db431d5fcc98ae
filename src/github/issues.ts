// A small GitHub REST client for the follow-up issue: find the open issue of an add-on, or create it.
// Uses Node's global fetch; retries 429, 5xx and dropped connections with backoff.

export interface GitHubClientOptions {
  token: string
  /** e.g. https://api.github.com (GITHUB_API_URL). */
  apiUrl: string
  /** Attempts per request, the first included. */
  attempts?: number
  /** First backoff delay; doubles each attempt, with jitter. */
  baseDelayMs?: number
  /** Longest wait honoured from a Retry-After header. */
  maxRetryAfterMs?: number
  sleep?: (ms: number) => Promise<void>
}

export class GitHubApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message)
    this.name = 'GitHubApiError'
  }
}

export interface IssueRef {
  number: number
  url: string
}

interface IssueJson {
  number: number
  html_url: string
  body?: string | null
  pull_request?: unknown
}

const MAX_PAGES = 10

export class GitHubIssues {
  private readonly attempts: number
  private readonly baseDelayMs: number
  private readonly maxRetryAfterMs: number
  private readonly sleep: (ms: number) => Promise<void>
  private readonly apiUrl: string

  constructor(private readonly options: GitHubClientOptions) {
    this.attempts = options.attempts ?? 4
    this.baseDelayMs = options.baseDelayMs ?? 1000
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.apiUrl = options.apiUrl.replace(/\/+$/, '')
  }

  /** The first open issue with the given labels whose body contains the marker. */
  async findOpenIssue(repository: string, labels: string[], marker: string): Promise<IssueRef | undefined> {
    const query = new URLSearchParams({ state: 'open', per_page: '100' })
    if (labels.length > 0) query.set('labels', labels.join(','))
    let path: string | undefined = `/repos/${repositoryPath(repository)}/issues?${query.toString()}`
    for (let page = 0; path && page < MAX_PAGES; page++) {
      const response = await this.request('GET', path)
      const issues = (await response.json()) as IssueJson[]
      const match = issues.find((issue) => !issue.pull_request && (issue.body ?? '').includes(marker))
      if (match) return { number: match.number, url: match.html_url }
      path = nextPage(response.headers.get('link'), this.apiUrl)
    }
    return undefined
  }

  async createIssue(
    repository: string,
    issue: { title: string; body: string; labels: string[]; assignees: string[] },
  ): Promise<IssueRef> {
    const response = await this.request('POST', `/repos/${repositoryPath(repository)}/issues`, issue)
    const created = (await response.json()) as IssueJson
    return { number: created.number, url: created.html_url }
  }

  /**
   * Returns the open issue that carries the marker, or creates one. When GitHub refuses the
   * assignees (422: not collaborators), the issue is created without them rather than not at all.
   */
  async findOrCreateIssue(
    repository: string,
    issue: { title: string; body: string; labels: string[]; assignees: string[]; marker: string },
  ): Promise<IssueRef & { created: boolean; droppedAssignees: boolean }> {
    const existing = await this.findOpenIssue(repository, issue.labels, issue.marker)
    if (existing) return { ...existing, created: false, droppedAssignees: false }
    const fields = { title: issue.title, body: issue.body, labels: issue.labels, assignees: issue.assignees }
    try {
      return { ...(await this.createIssue(repository, fields)), created: true, droppedAssignees: false }
    } catch (error) {
      if (!(error instanceof GitHubApiError) || error.status !== 422 || issue.assignees.length === 0)
        throw error
      const created = await this.createIssue(repository, { ...fields, assignees: [] })
      return { ...created, created: true, droppedAssignees: true }
    }
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.apiUrl}${path}`
    const display = `${method} ${new URL(url).pathname}`
    for (let attempt = 1; ; attempt++) {
      let response: Response
      try {
        response = await fetch(url, {
          method,
          headers: {
            Authorization: `Bearer ${this.options.token}`,
            Accept: 'application/vnd.github+json',
            'X-GitHub-Api-Version': '2022-11-28',
            'User-Agent': 'heroku-postgres-upgrade-action',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      } catch (error) {
        if (attempt >= this.attempts) {
          throw new GitHubApiError(`GitHub API ${display} failed: ${connectionProblem(error)}`, undefined)
        }
        await this.sleep(this.backoff(attempt))
        continue
      }
      if (response.ok) return response
      const retryable = response.status === 429 || response.status >= 500 || isSecondaryRateLimit(response)
      if (retryable && attempt < this.attempts) {
        await response.body?.cancel()
        await this.sleep(this.retryDelay(response, attempt))
        continue
      }
      const message = hideToken(await errorMessage(response), this.options.token)
      throw new GitHubApiError(
        `GitHub API ${display} answered ${response.status}: ${message}`,
        response.status,
      )
    }
  }

  private backoff(attempt: number): number {
    const exponential = this.baseDelayMs * 2 ** (attempt - 1)
    return exponential / 2 + Math.random() * (exponential / 2)
  }

  private retryDelay(response: Response, attempt: number): number {
    const retryAfter = response.headers.get('retry-after')
    const seconds = retryAfter === null ? Number.NaN : Number(retryAfter)
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, this.maxRetryAfterMs)
    return this.backoff(attempt)
  }
}

/** owner/name, each part URL-encoded, refusing anything that is not a repository name. */
function repositoryPath(repository: string): string {
  const parts = repository.split('/')
  if (parts.length !== 2 || parts.some((part) => part.length === 0)) {
    throw new GitHubApiError(`"${repository}" is not a repository name of the form owner/name`, undefined)
  }
  return parts.map(encodeURIComponent).join('/')
}

function isSecondaryRateLimit(response: Response): boolean {
  return response.status === 403 && response.headers.has('retry-after')
}

/** The `rel="next"` URL of a Link header, if it points at the same API. */
function nextPage(link: string | null, apiUrl: string): string | undefined {
  const next = link
    ?.split(',')
    .map((part) => part.trim())
    .find((part) => /rel="?next"?/.test(part))
  const url = next?.match(/<([^>]+)>/)?.[1]
  return url && url.startsWith(apiUrl) ? url : undefined
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '')
  try {
    const json = JSON.parse(text) as {
      message?: string
      errors?: Array<{ field?: string; code?: string; message?: string }>
    }
    const details = (json.errors ?? [])
      .map((error) => error.message ?? [error.field, error.code].filter(Boolean).join(' '))
      .filter((detail) => detail.length > 0)
    const message = json.message ?? response.statusText
    return details.length > 0 ? `${message} (${details.join('; ')})` : message
  } catch {
    return text.slice(0, 200) || response.statusText || 'no message'
  }
}

function hideToken(text: string, token: string): string {
  return token.length > 0 ? text.split(token).join('***') : text
}

function connectionProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
}
