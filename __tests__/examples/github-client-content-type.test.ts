// package.json overrides the content-type that @octokit/request uses (3.x wants Node 22 and made `npm install`
// warn EBADENGINE on Node 20) with 2.1.0, whose parse() returns the same { type, parameters }. Octokit decides
// from it how to read every answer: these check, through the action's own GitHub client, that a JSON answer
// still arrives parsed, a text answer as text and a binary one as bytes.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGitHubClient } from '../../src/report/github/client'

const ANSWERS: Record<string, { type: string; body: string }> = {
  '/json': {
    type: 'application/json; charset=utf-8',
    body: '{"number":7,"title":"Destroy the old database"}',
  },
  '/text': { type: 'text/plain; charset=utf-8', body: 'plain words' },
  '/bytes': { type: 'application/octet-stream; charset=utf-8', body: 'raw' },
}

describe('the GitHub client reads answers by their Content-Type', () => {
  let server: Server
  let baseUrl = ''

  beforeAll(async () => {
    server = createServer((request, response) => {
      const answer = ANSWERS[request.url ?? '']
      response.writeHead(answer ? 200 : 404, { 'content-type': answer?.type ?? 'text/plain' })
      response.end(answer?.body ?? 'not found')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  const get = async (path: string): Promise<unknown> =>
    (await createGitHubClient({ token: 't', baseUrl, retryDelayMs: 1 }).request(`GET ${path}`)).data

  it('parses a JSON answer into an object', async () => {
    expect(await get('/json')).toEqual({ number: 7, title: 'Destroy the old database' })
  })

  it('gives a text answer as a string', async () => {
    expect(await get('/text')).toBe('plain words')
  })

  it('gives an octet-stream answer as bytes, whatever its charset', async () => {
    const data = await get('/bytes')
    expect(data).toBeInstanceOf(ArrayBuffer)
    expect(Buffer.from(data as ArrayBuffer).toString()).toBe('raw')
  })
})
