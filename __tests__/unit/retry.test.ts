import { afterEach, describe, expect, it } from 'vitest'
import { HerokuApiError } from '../../src/heroku/errors'
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../../src/heroku/retry'
import { createTransport, parseRetryAfter } from '../../src/heroku/transport'
import { fakeClock } from './fake-clock'
import { json, startFakeServer } from './fake-server'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

async function serve(answers: Array<(res: import('node:http').ServerResponse) => void>) {
  let index = 0
  const server = await startFakeServer((_request, response) => {
    const answer = answers[Math.min(index, answers.length - 1)]!
    index++
    answer(response)
  })
  close = server.close
  return server
}

describe('the Heroku transport retries', () => {
  it('waits for Retry-After on a 429, then succeeds', async () => {
    const server = await serve([
      (res) =>
        json(
          res,
          429,
          { id: 'rate_limit', message: 'Your account reached the API rate limit' },
          { 'Retry-After': '7' },
        ),
      (res) => json(res, 200, { id: 'app-id', name: 'acme-web' }),
    ])
    const clock = fakeClock()
    const http = createTransport({ baseUrl: server.url, token: 't', clock })
    await expect(http.request({ method: 'GET', path: '/apps/acme-web' })).resolves.toEqual({
      id: 'app-id',
      name: 'acme-web',
    })
    expect(server.requests).toHaveLength(2)
    expect(clock.sleeps).toEqual([7_000])
  })

  it('retries a 503 with jittered exponential backoff until it succeeds', async () => {
    const unavailable = (res: import('node:http').ServerResponse) =>
      json(res, 503, { id: 'unavailable', message: 'Service Unavailable' })
    const server = await serve([unavailable, unavailable, unavailable, (res) => json(res, 200, [])])
    const clock = fakeClock(0, 0.5)
    const http = createTransport({ baseUrl: server.url, token: 't', clock })
    await expect(http.request({ method: 'GET', path: '/apps/acme-web/formation' })).resolves.toEqual([])
    expect(server.requests).toHaveLength(4)
    expect(clock.sleeps).toEqual([250, 500, 1000])
  })

  it('does not retry a 4xx and puts the method, path, status, message, id and Request-Id in the error', async () => {
    const server = await serve([
      (res) =>
        json(
          res,
          422,
          { id: 'bad_request', message: 'Your database is not ready for upgrade.' },
          { 'Request-Id': 'req-42' },
        ),
    ])
    const clock = fakeClock()
    const http = createTransport({ baseUrl: server.url, token: 't', clock })
    const error = await http
      .request({ method: 'POST', path: '/client/v11/databases/x/upgrade/run', body: {} })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HerokuApiError)
    expect((error as HerokuApiError).message).toBe(
      'POST /client/v11/databases/x/upgrade/run answered 422: Your database is not ready for upgrade. (id: bad_request) [Request-Id: req-42]',
    )
    expect(server.requests).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })

  it('gives up after the attempt budget and reports the last answer', async () => {
    const server = await serve([
      (res) => json(res, 500, { id: 'internal_server_error', message: 'Internal server error' }),
    ])
    const clock = fakeClock()
    const http = createTransport({ baseUrl: server.url, token: 't', clock, retryPolicy: { maxAttempts: 3 } })
    await expect(http.request({ method: 'GET', path: '/account' })).rejects.toThrow(
      'GET /account answered 500: Internal server error',
    )
    expect(server.requests).toHaveLength(3)
  })

  it('stops when the next wait would exceed the total time budget', async () => {
    const server = await serve([
      (res) => json(res, 429, { id: 'rate_limit', message: 'slow down' }, { 'Retry-After': '600' }),
    ])
    const clock = fakeClock()
    const http = createTransport({
      baseUrl: server.url,
      token: 't',
      clock,
      retryPolicy: { maxTotalMs: 60_000 },
    })
    await expect(http.request({ method: 'GET', path: '/account' })).rejects.toThrow('answered 429')
    expect(server.requests).toHaveLength(1)
  })

  it('retries a dropped connection', async () => {
    let first = true
    const server = await startFakeServer((_request, response) => {
      if (first) {
        first = false
        response.socket?.destroy()
        return
      }
      json(response, 200, { id: 'account' })
    })
    close = server.close
    const clock = fakeClock()
    const http = createTransport({ baseUrl: server.url, token: 't', clock })
    await expect(http.request({ method: 'GET', path: '/account' })).resolves.toEqual({ id: 'account' })
  })

  it('never puts the token in an error message', async () => {
    const server = await serve([
      (res) => json(res, 401, { id: 'unauthorized', message: 'Invalid credentials provided.' }),
    ])
    const http = createTransport({ baseUrl: server.url, token: 'super-secret-token', clock: fakeClock() })
    const error = (await http.request({ method: 'GET', path: '/account' }).catch((e: unknown) => e)) as Error
    expect(error.message).toContain('answered 401')
    expect(JSON.stringify([error.message, error])).not.toContain('super-secret-token')
  })
})

describe('backoff', () => {
  it('is full jitter under an exponential ceiling capped at maxDelayMs', () => {
    expect(backoffDelay(1, DEFAULT_RETRY_POLICY, () => 0.999)).toBe(499)
    expect(backoffDelay(3, DEFAULT_RETRY_POLICY, () => 0.999)).toBe(1998)
    expect(backoffDelay(20, DEFAULT_RETRY_POLICY, () => 0.999)).toBe(14_985)
    expect(backoffDelay(20, DEFAULT_RETRY_POLICY, () => 0)).toBe(0)
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3)
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6)
    expect(parseRetryAfter('soon')).toBeUndefined()
  })
})
