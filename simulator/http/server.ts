import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { ApiError } from '../model/errors.js'
import type { World } from '../model/world.js'
import { GITHUB_UNAUTHORIZED, HEROKU_UNAUTHORIZED, presentedToken } from './auth.js'
import { faultBody } from './faults.js'
import { pagedReply } from './range.js'
import { RATE_LIMITED } from './rate-limit.js'
import type { Reply, RequestContext, Router } from './router.js'
import type { ServerState } from './server-state.js'

export interface Routers {
  heroku: Router
  github: Router
  introspection: Router
}

const NOT_FOUND_ENDPOINT = {
  id: 'not_found',
  message:
    'The requested API endpoint was not found. Are you using the right HTTP verb (i.e. `GET` vs. `POST`), and did you specify your intent after the version number?',
}

export function createSimulatorServer(
  world: World,
  state: ServerState,
  routers: Routers,
  log: (line: string) => void,
): Server {
  const delayed = new Set<NodeJS.Timeout>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      world.advance()
      // With the data plane, the answer waits until the real servers hold what the model now says.
      const realised = world.realSync?.realise()
      if (!realised) return handle(world, state, routers, req, res, body, log, delayed)
      const answer = (): void => handle(world, state, routers, req, res, body, log, delayed)
      realised.then(answer, answer)
    })
  })
  server.on('close', () => {
    for (const timer of delayed) clearTimeout(timer)
    delayed.clear()
  })
  return server
}

function handle(
  world: World,
  state: ServerState,
  routers: Routers,
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: string,
  log: (line: string) => void,
  delayed: Set<NodeJS.Timeout>,
): void {
  const method = (req.method ?? 'GET').toUpperCase()
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const path = url.pathname
  const record = (status: number, note = '') => {
    state.recordRequest({ method, path, status, at: new Date().toISOString() })
    log(`${method} ${path} → ${status === 0 ? 'dropped' : status}${note}`)
  }

  const isIntrospection = path.startsWith('/__simulator/')
  const isGithub = path.startsWith('/repos/')
  // Heroku's limiter answers before the API does, so a request it refuses meets no fault.
  const budget =
    isIntrospection || isGithub
      ? undefined
      : state.limiter.take(presentedToken(req.headers, true) ?? '', world.clock.now)
  const rateHeaders: Record<string, string> = budget
    ? { 'RateLimit-Remaining': String(budget.remaining) }
    : {}
  if (budget && !budget.allowed) {
    record(429)
    send(res, { status: 429, body: RATE_LIMITED, headers: rateHeaders })
    return
  }
  const fault = isIntrospection ? undefined : state.faults.take(method, path)
  if (fault?.drop) {
    record(0)
    req.socket.destroy()
    return
  }
  if (fault?.status != null) {
    const headers: Record<string, string> = { ...rateHeaders }
    if (fault.retry_after !== null) headers['Retry-After'] = String(fault.retry_after)
    record(fault.status)
    send(res, { status: fault.status, body: faultBody(fault), headers })
    return
  }

  let reply: Reply
  try {
    reply = answer(world, state, routers, req, url, rawBody)
    world.onChange?.()
  } catch (error) {
    log(`internal error: ${(error as Error).stack ?? String(error)}`)
    reply = { status: 500, body: { id: 'internal_server_error', message: 'Internal server error.' } }
  }
  const delay = fault?.delay_seconds ?? null
  record(
    reply.status,
    fault?.drop_after ? ' (answer dropped)' : delay !== null ? ` (answer delayed ${delay}s)` : '',
  )
  // Heroku's own clock, as every answer carries it: here the simulated time.
  const date = new Date(world.clock.iso(world.clock.now)).toUTCString()
  reply = { ...reply, headers: { Date: date, ...rateHeaders, ...reply.headers } }
  if (fault?.drop_after) req.socket.destroy()
  else if (delay !== null) sendLater(res, reply, delay, delayed)
  else send(res, reply)
}

/** The answer of a request that no status or drop fault intercepted. */
function answer(
  world: World,
  state: ServerState,
  routers: Routers,
  req: IncomingMessage,
  url: URL,
  rawBody: string,
): Reply {
  const method = (req.method ?? 'GET').toUpperCase()
  const path = url.pathname
  const isIntrospection = path.startsWith('/__simulator/')
  const isGithub = path.startsWith('/repos/')

  let body: unknown
  if (rawBody.trim() !== '') {
    try {
      body = JSON.parse(rawBody)
    } catch {
      return { status: 400, body: { id: 'bad_request', message: 'Request body is not valid JSON.' } }
    }
  }

  if (!isIntrospection) {
    const expected = isGithub ? world.scenario.github_token : world.scenario.api_key
    if (presentedToken(req.headers, !isGithub) !== expected)
      return { status: 401, body: isGithub ? GITHUB_UNAUTHORIZED : HEROKU_UNAUTHORIZED }
  }

  const router = isIntrospection ? routers.introspection : isGithub ? routers.github : routers.heroku
  const found = router.match(method, path)
  if (found === null || found === 'wrong-method') {
    return isGithub
      ? {
          status: 404,
          body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
        }
      : { status: 404, body: NOT_FOUND_ENDPOINT }
  }
  const ctx: RequestContext = {
    world,
    server: state,
    method,
    path,
    params: found.params,
    query: url.searchParams,
    headers: req.headers,
    body,
  }
  try {
    const reply = found.handler(ctx)
    if (isIntrospection || isGithub) return reply
    // Platform API lists come a page at a time (200 items unless the Range says otherwise).
    const range = req.headers.range
    return pagedReply(method, path, Array.isArray(range) ? range[0] : range, reply)
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return { status: error.status, body: { id: error.id, message: error.message, ...error.extra } }
  }
}

/** Sends the answer after `seconds` real seconds without holding up other requests; a client gone meanwhile gets nothing. */
function sendLater(res: ServerResponse, reply: Reply, seconds: number, pending: Set<NodeJS.Timeout>): void {
  const timer = setTimeout(() => {
    pending.delete(timer)
    if (!res.destroyed) send(res, reply)
  }, seconds * 1000)
  pending.add(timer)
  res.once('close', () => {
    clearTimeout(timer)
    pending.delete(timer)
  })
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'Request-Id': randomUUID(), ...(reply.headers ?? {}) }
  if (reply.body === undefined) {
    res.writeHead(reply.status, { ...headers, 'Content-Length': '0' })
    res.end()
    return
  }
  const text = JSON.stringify(reply.body)
  res.writeHead(reply.status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
  })
  res.end(text)
}
