// Minimal typings for heroku-client 3.1.4 (CommonJS, no bundled types): only what this action uses.
declare module 'heroku-client' {
  import type { IncomingMessage } from 'node:http'

  interface HerokuRequestOptions {
    method?: string
    path?: string
    body?: unknown
    headers?: Record<string, string>
    partial?: boolean
    host?: string
    token?: string
    userAgent?: string
    timeout?: number
    middleware?: (response: IncomingMessage, next: () => void) => void
  }

  class Heroku {
    constructor(options?: HerokuRequestOptions)
    request<T = unknown>(options: HerokuRequestOptions): Promise<T>
  }

  export default Heroku
}

declare module 'heroku-client/lib/request.js' {
  class HerokuRequest {
    reject(error: Error): void
    handleError(error: Error): void
  }
  export default HerokuRequest
}
