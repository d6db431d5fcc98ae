// A pass-through HTTP proxy in front of the simulator that notes, for every answer, its status and the
// `RateLimit-Remaining` header (the simulator's request log keeps no headers).

import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedAnswer {
  method: string
  path: string
  status: number
  /** `RateLimit-Remaining`, when the answer carried it. */
  remaining?: number
}

export interface RecordingProxy {
  url: string
  answers: RecordedAnswer[]
  stop(): Promise<void>
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade'])

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)))
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target)
  const agent = new Agent({ keepAlive: true, maxSockets: 256 })
  const answers: RecordedAnswer[] = []
  const server = createServer((req, res) => {
    const method = req.method ?? 'GET'
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method,
        path: req.url,
        headers: endToEnd(req.headers),
        agent,
      },
      (answer) => {
        const header = answer.headers['ratelimit-remaining']
        const remaining = typeof header === 'string' && header !== '' ? Number(header) : undefined
        const path = new URL(req.url ?? '/', 'http://proxy').pathname
        answers.push({ method, path, status: answer.statusCode ?? 0, remaining })
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers))
        answer.pipe(res)
      },
    )
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    answers,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        agent.destroy()
      }),
  }
}
