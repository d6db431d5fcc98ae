import type { IncomingHttpHeaders } from 'node:http'

/** The token of a `Bearer X`, `token X` or `Basic base64(user:X)` Authorization header. */
export function presentedToken(headers: IncomingHttpHeaders, allowBasic: boolean): string | null {
  const header = headers.authorization
  if (!header) return null
  const [scheme, ...rest] = header.trim().split(/\s+/)
  const value = rest.join(' ')
  const kind = (scheme ?? '').toLowerCase()
  if (kind === 'bearer' || kind === 'token') return value
  if (kind === 'basic' && allowBasic) {
    const decoded = Buffer.from(value, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    return colon === -1 ? decoded : decoded.slice(colon + 1)
  }
  return null
}

export const HEROKU_UNAUTHORIZED = { id: 'unauthorized', message: 'Invalid credentials provided.' }
export const GITHUB_UNAUTHORIZED = {
  message: 'Bad credentials',
  documentation_url: 'https://docs.github.com/rest',
  status: '401',
}
