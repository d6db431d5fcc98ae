// A tiny stand-in for the GitHub issues API on 127.0.0.1, for the client and publishReport tests.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StoredIssue {
  number: number
  title: string
  body: string
  labels: string[]
  assignees: string[]
  state: 'open' | 'closed'
  html_url: string
  pull_request?: object
}

export interface FakeGitHub {
  url: string
  token: string
  issues: StoredIssue[]
  requests: Array<{ method: string; path: string; authorization: string | undefined; status: number }>
  /** Status codes to answer, in order, before behaving normally. */
  failures: Array<{ status: number; body?: object; retryAfter?: string }>
  /** Logins GitHub refuses as assignees. */
  invalidAssignees: string[]
  pageSize: number
  close(): Promise<void>
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of request) text += chunk
  return text
}

export async function startFakeGitHub(token = 'ghs-test-token-0123456789'): Promise<FakeGitHub> {
  const state: Omit<FakeGitHub, 'url' | 'close'> = {
    token,
    issues: [],
    requests: [],
    failures: [],
    invalidAssignees: [],
    pageSize: 100,
  }
  let base = ''
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', base)
    const body = await readBody(request)
    const send = (status: number, json: unknown, headers: Record<string, string> = {}): void => {
      state.requests.push({
        method: request.method ?? '',
        path: url.pathname + url.search,
        authorization: request.headers.authorization,
        status,
      })
      response.writeHead(status, { 'content-type': 'application/json', ...headers })
      response.end(JSON.stringify(json))
    }
    if (request.headers.authorization !== `Bearer ${state.token}`)
      return send(401, { message: 'Bad credentials' })
    const failure = state.failures.shift()
    if (failure) {
      return send(
        failure.status,
        failure.body ?? { message: 'Server Error' },
        failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
      )
    }
    const match = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/issues$/)
    if (!match) return send(404, { message: 'Not Found' })
    if (request.method === 'GET') {
      const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean)
      const stateFilter = url.searchParams.get('state') ?? 'open'
      const page = Number(url.searchParams.get('page') ?? '1')
      const matching = state.issues
        .filter((issue) => stateFilter === 'all' || issue.state === stateFilter)
        .filter((issue) => labels.every((label) => issue.labels.includes(label)))
        .reverse()
      const slice = matching.slice((page - 1) * state.pageSize, page * state.pageSize)
      const headers: Record<string, string> = {}
      if (page * state.pageSize < matching.length) {
        const next = new URL(url)
        next.searchParams.set('page', String(page + 1))
        headers.link = `<${next.toString()}>; rel="next"`
      }
      return send(
        200,
        slice.map((issue) => ({ ...issue, labels: issue.labels.map((name) => ({ name })) })),
        headers,
      )
    }
    if (request.method === 'POST') {
      const input = JSON.parse(body) as {
        title: string
        body: string
        labels?: string[]
        assignees?: string[]
      }
      const refused = (input.assignees ?? []).filter((login) => state.invalidAssignees.includes(login))
      if (refused.length > 0) {
        return send(422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Issue', field: 'assignees', code: 'invalid', value: refused[0] }],
        })
      }
      const number = state.issues.length + 1
      const issue: StoredIssue = {
        number,
        title: input.title,
        body: input.body,
        labels: input.labels ?? [],
        assignees: input.assignees ?? [],
        state: 'open',
        html_url: `https://github.com/${match[1]}/${match[2]}/issues/${number}`,
      }
      state.issues.push(issue)
      return send(201, issue)
    }
    return send(405, { message: 'Method Not Allowed' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return Object.assign(state, {
    url: base,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as FakeGitHub
}
