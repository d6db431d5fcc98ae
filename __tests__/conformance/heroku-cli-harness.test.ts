import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runHeroku } from './heroku-cli'

interface RecordedRequest {
  method: string
  url: string
  authorization: string | undefined
}

// A stand-in Heroku that answers one endpoint, to check how the harness runs the official CLI.
describe('the official Heroku CLI harness', () => {
  const requests: RecordedRequest[] = []
  let server: Server
  let url: string

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
      })
      response.setHeader('Content-Type', 'application/json')
      if (request.method === 'GET' && request.url === '/apps/acme-web') {
        response.end(JSON.stringify({ id: 'app-1', name: 'acme-web', maintenance: true }))
        return
      }
      response.statusCode = 404
      response.end(JSON.stringify({ id: 'not_found', message: "Couldn't find that app.", resource: 'app' }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it('sends every request to HEROKU_HOST with the API key, and prints plain text', async () => {
    const result = await runHeroku(['maintenance', '-a', 'acme-web'], { url, apiKey: 'harness-token' })

    expect(result.code).toBe(0)
    expect(result.stdout).toBe('on\n')
    // No update notice, terms-of-service banner or telemetry warning.
    expect(result.stderr).toBe('')
    expect(requests).toEqual([
      { method: 'GET', url: '/apps/acme-web', authorization: 'Bearer harness-token' },
    ])
  })

  it("shows Heroku's error message and fails when the API answers 404", async () => {
    const result = await runHeroku(['maintenance', '-a', 'no-such-app'], { url, apiKey: 'harness-token' })

    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain("Couldn't find that app.")
  })
})
