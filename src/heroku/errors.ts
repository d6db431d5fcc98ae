// Errors from the Heroku APIs, with everything a person needs to report them and nothing secret.

export interface HerokuErrorBody {
  id?: string
  message?: string
  resource?: string
}

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
])

/** A non-2xx answer, or a request that never got one (status undefined). */
export class HerokuApiError extends Error {
  readonly method: string
  readonly path: string
  readonly status?: number
  readonly body?: HerokuErrorBody
  readonly requestId?: string
  /** Seconds from the Retry-After header, when present. */
  readonly retryAfterSeconds?: number
  readonly networkCode?: string

  constructor(options: {
    method: string
    path: string
    status?: number
    body?: unknown
    requestId?: string
    retryAfterSeconds?: number
    networkCode?: string
    cause?: unknown
  }) {
    const body = isErrorBody(options.body) ? options.body : undefined
    super(
      describe(options.method, options.path, options.status, body, options.requestId, options.networkCode),
    )
    this.name = 'HerokuApiError'
    this.method = options.method
    this.path = options.path
    this.status = options.status
    this.body = body
    this.requestId = options.requestId
    this.retryAfterSeconds = options.retryAfterSeconds
    this.networkCode = options.networkCode
  }

  get retryable(): boolean {
    if (this.status === undefined)
      return this.networkCode === undefined || RETRYABLE_NETWORK_CODES.has(this.networkCode)
    return this.status === 429 || this.status >= 500
  }

  /** Heroku's "not found" with or without a JSON message. */
  get notFound(): boolean {
    return this.status === 404
  }
}

function isErrorBody(body: unknown): body is HerokuErrorBody {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
}

function describe(
  method: string,
  path: string,
  status: number | undefined,
  body: HerokuErrorBody | undefined,
  requestId: string | undefined,
  networkCode: string | undefined,
): string {
  const what =
    status === undefined
      ? `failed without an answer (${networkCode ?? 'network error'})`
      : `answered ${status}`
  const parts = [`${method} ${path} ${what}`]
  if (body?.message) parts.push(`: ${body.message}`)
  if (body?.id) parts.push(` (id: ${body.id})`)
  if (requestId) parts.push(` [Request-Id: ${requestId}]`)
  return parts.join('')
}
