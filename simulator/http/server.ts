import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { ApiError } from '../model/errors.js'
import type { World } from '../model/world.js'
import { GITHUB_UNAUTHORIZED, HEROKU_UNAUTHORIZED, presentedToken } from './auth.js'
import { faultBody, takeHttpFault } from './faults.js'
import type { Reply, RequestContext, Router } from './router.js'

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

export function createSimulatorServer(world: World, routers: Routers, log: (line: string) => void): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      try {
        handle(world, routers, req, res, Buffer.concat(chunks).toString('utf8'), log)
      } catch (error) {
        log(`internal error: ${(error as Error).stack ?? String(error)}`)
        send(res, { status: 500, body: { id: 'internal_server_error', message: 'Internal server error.' } })
      }
    })
  })
}

function handle(
  world: World,
  routers: Routers,
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: string,
  log: (line: string) => void,
): void {
  const method = (req.method ?? 'GET').toUpperCase()
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const path = url.pathname
  const record = (status: number) => {
    world.requests.push({ method, path, status, at: new Date().toISOString() })
    log(`${method} ${path} → ${status === 0 ? 'dropped' : status}`)
  }
  world.advance()

  const isIntrospection = path.startsWith('/__simulator/')
  const isGithub = path.startsWith('/repos/')
  if (!isIntrospection) {
    const fault = takeHttpFault(world.httpFaults, method, path)
    if (fault?.drop) {
      record(0)
      req.socket.destroy()
      return
    }
    if (fault) {
      const headers: Record<string, string> = {}
      if (fault.retry_after !== null) headers['Retry-After'] = String(fault.retry_after)
      const status = fault.status ?? 500
      record(status)
      send(res, { status, body: faultBody(fault), headers })
      return
    }
  }

  let body: unknown
  if (rawBody.trim() !== '') {
    try {
      body = JSON.parse(rawBody)
    } catch {
      record(400)
      send(res, { status: 400, body: { id: 'bad_request', message: 'Request body is not valid JSON.' } })
      return
    }
  }

  if (!isIntrospection) {
    const expected = isGithub ? world.scenario.github_token : world.scenario.api_key
    if (presentedToken(req.headers, !isGithub) !== expected) {
      record(401)
      send(res, { status: 401, body: isGithub ? GITHUB_UNAUTHORIZED : HEROKU_UNAUTHORIZED })
      return
    }
  }

  const router = isIntrospection ? routers.introspection : isGithub ? routers.github : routers.heroku
  const found = router.match(method, path)
  let reply: Reply
  if (found === null || found === 'wrong-method') {
    reply = isGithub
      ? {
          status: 404,
          body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
        }
      : { status: 404, body: NOT_FOUND_ENDPOINT }
  } else {
    const ctx: RequestContext = {
      world,
      method,
      path,
      params: found.params,
      query: url.searchParams,
      headers: req.headers,
      body,
    }
    try {
      reply = found.handler(ctx)
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      reply = { status: error.status, body: { id: error.id, message: error.message, ...error.extra } }
    }
  }
  record(reply.status)
  send(res, isGithub ? reply : withRateLimit(world, reply))
}

const HOURLY_LIMIT = 4500

/** Heroku sends RateLimit-Remaining on every Platform API answer: 4,500 per hour minus recent requests. */
function withRateLimit(world: World, reply: Reply): Reply {
  const since = Date.now() - 3600_000
  let recent = 0
  for (let i = world.requests.length - 1; i >= 0; i--) {
    if (Date.parse((world.requests[i] as { at: string }).at) < since) break
    recent++
  }
  return {
    ...reply,
    headers: { 'RateLimit-Remaining': String(Math.max(0, HOURLY_LIMIT - recent)), ...reply.headers },
  }
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
