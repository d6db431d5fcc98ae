import type { GithubIssue } from '../http/github-store.js'
import { json, type Reply, type RequestContext, type Router } from '../http/router.js'
import type { ServerState } from '../http/server-state.js'
import type { World } from '../model/world.js'

const DOCS = 'https://docs.github.com/rest'

function labelNames(value: unknown): string[] | null {
  if (value === undefined) return []
  if (!Array.isArray(value)) return null
  const names: string[] = []
  for (const item of value) {
    if (typeof item === 'string') names.push(item)
    else if (item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string') {
      names.push((item as { name: string }).name)
    } else return null
  }
  return names
}

function labelJson(repo: string, name: string) {
  let hash = 0
  for (const ch of `${repo}/${name}`) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0
  return {
    id: hash,
    name,
    color: (hash & 0xffffff).toString(16).padStart(6, '0'),
    default: false,
    description: null,
  }
}

export function renderIssue(world: World, server: ServerState, issue: GithubIssue): Record<string, unknown> {
  const iso = (t: number) => world.clock.iso(t)
  return {
    id: server.github.idOf(issue),
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    labels: issue.labels.map((l) => labelJson(issue.repo, l)),
    assignees: issue.assignees.map((login) => ({ login })),
    user: { login: 'github-actions[bot]' },
    repo: issue.repo,
    html_url: `${server.baseUrl}/${issue.repo}/issues/${issue.number}`,
    url: `${server.baseUrl}/repos/${issue.repo}/issues/${issue.number}`,
    comments: issue.comments.length,
    created_at: iso(issue.createdAt),
    updated_at: iso(issue.updatedAt),
    closed_at: issue.closedAt === null ? null : iso(issue.closedAt),
  }
}

function validationFailed(field: string, code = 'invalid'): Reply {
  return json(422, {
    message: 'Validation Failed',
    errors: [{ resource: 'Issue', field, code }],
    documentation_url: DOCS,
    status: '422',
  })
}

function notFound(): Reply {
  return json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' })
}

function repoOf(ctx: RequestContext): string {
  return `${ctx.params.owner}/${ctx.params.repo}`
}

function findIssue(ctx: RequestContext): GithubIssue | undefined {
  return ctx.server.github.find(repoOf(ctx), ctx.params.number as string)
}

const render = (ctx: RequestContext, issue: GithubIssue) => renderIssue(ctx.world, ctx.server, issue)

function objectOf(body: unknown): Record<string, unknown> | null {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null
}

/**
 * GitHub's `Link` header of a list page: `<url>; rel="next"`, `rel="last"`, `rel="first"`, `rel="prev"`,
 * each URL the request's with `page` and `per_page` set. None when everything fits on page one.
 */
function pageLinks(ctx: RequestContext, page: number, perPage: number, total: number): string | undefined {
  const last = Math.max(1, Math.ceil(total / perPage))
  const url = (target: number): string => {
    const query = new URLSearchParams(ctx.query)
    query.set('per_page', String(perPage))
    query.set('page', String(target))
    return `<${ctx.server.baseUrl}${ctx.path}?${query.toString()}>`
  }
  const links: string[] = []
  if (page < last) links.push(`${url(page + 1)}; rel="next"`, `${url(last)}; rel="last"`)
  if (page > 1) links.push(`${url(1)}; rel="first"`, `${url(Math.min(page - 1, last))}; rel="prev"`)
  return links.length > 0 ? links.join(', ') : undefined
}

export function registerGithubRoutes(router: Router): void {
  router.on('POST', '/repos/:owner/:repo/issues', (ctx) => {
    const body = objectOf(ctx.body)
    if (!body || typeof body.title !== 'string' || body.title.trim() === '')
      return validationFailed('title', 'missing_field')
    const labels = labelNames(body.labels)
    if (labels === null) return validationFailed('labels')
    const assignees = Array.isArray(body.assignees)
      ? body.assignees.filter((a): a is string => typeof a === 'string')
      : []
    const issue = ctx.server.github.open(repoOf(ctx), {
      title: body.title,
      body: typeof body.body === 'string' ? body.body : null,
      labels,
      assignees,
    })
    return json(201, render(ctx, issue))
  })

  router.on('GET', '/repos/:owner/:repo/issues', (ctx) => {
    const repo = repoOf(ctx)
    const state = ctx.query.get('state') ?? 'open'
    const wanted = (ctx.query.get('labels') ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l !== '')
    const perPage = Math.min(100, Math.max(1, Number(ctx.query.get('per_page') ?? '30') || 30))
    const page = Math.max(1, Number(ctx.query.get('page') ?? '1') || 1)
    const matching = ctx.server.github
      .ofRepo(repo)
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => wanted.every((l) => i.labels.some((x) => x.toLowerCase() === l.toLowerCase())))
      .sort((a, b) => b.number - a.number)
    const slice = matching.slice((page - 1) * perPage, page * perPage)
    const link = pageLinks(ctx, page, perPage, matching.length)
    return json(
      200,
      slice.map((i) => render(ctx, i)),
      link ? { Link: link } : undefined,
    )
  })

  router.on('GET', '/repos/:owner/:repo/issues/:number', (ctx) => {
    const issue = findIssue(ctx)
    return issue ? json(200, render(ctx, issue)) : notFound()
  })

  router.on('PATCH', '/repos/:owner/:repo/issues/:number', (ctx) => {
    const issue = findIssue(ctx)
    if (!issue) return notFound()
    const body = objectOf(ctx.body) ?? {}
    const labels = body.labels === undefined ? undefined : labelNames(body.labels)
    if (labels === null) return validationFailed('labels')
    ctx.server.github.edit(issue, {
      title: typeof body.title === 'string' ? body.title : undefined,
      body: typeof body.body === 'string' ? body.body : undefined,
      labels,
      state: body.state === 'open' || body.state === 'closed' ? body.state : undefined,
    })
    return json(200, render(ctx, issue))
  })

  router.on('POST', '/repos/:owner/:repo/issues/:number/labels', (ctx) => {
    const issue = findIssue(ctx)
    if (!issue) return notFound()
    const labels = labelNames(Array.isArray(ctx.body) ? ctx.body : objectOf(ctx.body)?.labels)
    if (labels === null) return validationFailed('labels')
    ctx.server.github.addLabels(issue, labels)
    return json(
      200,
      issue.labels.map((l) => labelJson(issue.repo, l)),
    )
  })

  router.on('POST', '/repos/:owner/:repo/issues/:number/comments', (ctx) => {
    const issue = findIssue(ctx)
    if (!issue) return notFound()
    const body = objectOf(ctx.body)
    if (!body || typeof body.body !== 'string') return validationFailed('body', 'missing_field')
    const comment = ctx.server.github.comment(issue, body.body)
    return json(201, {
      id: comment.id,
      body: comment.body,
      html_url: `${ctx.server.baseUrl}/${issue.repo}/issues/${issue.number}#issuecomment-${comment.id}`,
      created_at: ctx.world.clock.iso(comment.createdAt),
    })
  })
}
