import type { IncomingHttpHeaders } from 'node:http'
import type { World } from '../model/world.js'
import type { ServerState } from './server-state.js'

export interface RequestContext {
  /** The Heroku account. */
  world: World
  /** The server's own state: request log, HTTP faults, rate limits, GitHub issues. */
  server: ServerState
  method: string
  path: string
  params: Record<string, string>
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: unknown
}

export interface Reply {
  status: number
  /** JSON body; `undefined` sends an empty body. */
  body?: unknown
  headers?: Record<string, string>
}

export type Handler = (ctx: RequestContext) => Reply

interface Route {
  method: string
  pattern: RegExp
  keys: string[]
  handler: Handler
}

/** A tiny method + path router; `:name` segments capture one URL-decoded path segment. */
export class Router {
  private readonly routes: Route[] = []

  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = []
    const source = path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        keys.push(segment.slice(1))
        return '([^/]+)'
      })
      .join('/')
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), keys, handler })
    return this
  }

  match(
    method: string,
    path: string,
  ): { handler: Handler; params: Record<string, string> } | 'wrong-method' | null {
    let pathMatched = false
    for (const route of this.routes) {
      const found = route.pattern.exec(path)
      if (!found) continue
      pathMatched = true
      if (route.method !== method) continue
      const params: Record<string, string> = {}
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(found[i + 1] as string)))
      return { handler: route.handler, params }
    }
    return pathMatched ? 'wrong-method' : null
  }
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  ...(headers ? { headers } : {}),
})

/** Reads a JSON object body, treating an empty body as `{}`. */
export function objectBody(ctx: RequestContext): Record<string, unknown> {
  const body = ctx.body
  if (body === undefined || body === null) return {}
  if (typeof body !== 'object' || Array.isArray(body)) return {}
  return body as Record<string, unknown>
}

/** `{"name": "x"}` or `"x"` → `"x"`, as the Platform API accepts both forms. */
export function nameOf(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>
    if (typeof obj.name === 'string') return obj.name
    if (typeof obj.id === 'string') return obj.id
  }
  return null
}
