import type { Reply } from './router.js'

// Paging of Platform API lists by the `Range` header, as Heroku does it: a page holds 200 items unless the
// Range's `max` asks for another number (at most 1,000); when more items follow, the answer is 206 Partial
// Content with a `Next-Range` header that the client sends back as its next `Range`.

/** A parsed Heroku Range header such as `version ..; max=5, order=desc` or `version ]12..; order=desc,max=1`. */
export interface RangeSpec {
  field: string
  start: string | null
  startExclusive: boolean
  max: number
  order: 'asc' | 'desc'
}

/** Items per page when the Range gives no `max`, or when there is no Range at all. */
export const DEFAULT_PAGE = 200
/** The largest `max` honoured; a larger one is lowered to it. */
export const MAX_PAGE = 1000

export function parseRange(header: string | undefined): RangeSpec | null {
  if (!header) return null
  const match = /^\s*([a-z_]+)\s+(\]?)([^.;\s]*)\.\.([^;]*)(?:;(.*))?$/i.exec(header)
  if (!match) return null
  const spec: RangeSpec = {
    field: (match[1] as string).toLowerCase(),
    start: match[3] === '' ? null : (match[3] as string),
    startExclusive: match[2] === ']',
    max: DEFAULT_PAGE,
    order: 'asc',
  }
  for (const part of (match[5] ?? '').split(/[,;]/)) {
    const [key, value] = part.split('=').map((s) => s.trim())
    if (key === 'max' && value && /^\d+$/.test(value))
      spec.max = Math.min(MAX_PAGE, Math.max(1, Number(value)))
    if (key === 'order' && (value === 'asc' || value === 'desc')) spec.order = value
  }
  return spec
}

/**
 * Pages a list by a numeric field. Returns the page and, when more items follow, the Next-Range value.
 */
export function pageBy<T>(
  items: T[],
  key: (item: T) => number,
  range: RangeSpec | null,
  field: string,
): { page: T[]; nextRange: string | null } {
  const order = range?.order ?? 'asc'
  const max = range?.max ?? DEFAULT_PAGE
  const sorted = [...items].sort((a, b) => (order === 'asc' ? key(a) - key(b) : key(b) - key(a)))
  let rest = sorted
  if (range && range.field === field && range.start !== null && /^\d+$/.test(range.start)) {
    const start = Number(range.start)
    rest = sorted.filter((item) => {
      const k = key(item)
      if (order === 'asc') return range.startExclusive ? k > start : k >= start
      return range.startExclusive ? k < start : k <= start
    })
  }
  const page = rest.slice(0, max)
  const last = page[page.length - 1]
  const nextRange =
    rest.length > max && last !== undefined ? `${field} ]${key(last)}..; max=${max}, order=${order}` : null
  return { page, nextRange }
}

/**
 * Pages a list in the order the route gives it, by a string field (`id` unless the Range names another): a start
 * value is the item the previous page ended with. One no longer in the list (deleted meanwhile) ends the list.
 */
function pageInOrder(
  items: Record<string, unknown>[],
  range: RangeSpec | null,
): { page: Record<string, unknown>[]; nextRange: string | null } {
  const field = range?.field ?? 'id'
  const max = range?.max ?? DEFAULT_PAGE
  const order = range?.order ?? 'asc'
  let rest = order === 'desc' ? [...items].reverse() : items
  if (range?.start != null) {
    const at = rest.findIndex((item) => String(item[field]) === range.start)
    rest = at < 0 ? [] : rest.slice(range.startExclusive ? at + 1 : at)
  }
  const page = rest.slice(0, max)
  const last = page[page.length - 1]
  const nextRange =
    rest.length > max && last !== undefined && last[field] !== undefined
      ? `${field} ]${String(last[field])}..; max=${max}, order=${order}`
      : null
  return { page, nextRange }
}

/**
 * Pages a JSON array a Platform API list route answered, by the request's Range header: by a numeric field
 * (such as a release's `version`) in that field's order, else in the route's order.
 */
export function pageList(
  items: unknown[],
  header: string | undefined,
): { page: unknown[]; nextRange: string | null } {
  const range = parseRange(header)
  const objects = items.filter(
    (item): item is Record<string, unknown> => typeof item === 'object' && item !== null,
  )
  if (objects.length !== items.length) return { page: items, nextRange: null }
  const field = range?.field
  if (field && objects.length > 0 && objects.every((item) => typeof item[field] === 'number'))
    return pageBy(objects, (item) => item[field] as number, range, field)
  return pageInOrder(objects, range)
}

/** Paths of the Postgres data API, which does not page: every other Heroku path is the Platform API. */
const DATA_API = /^\/(client|postgres|data)\//

/** A Platform API list answer cut to the page the request's Range asks for (206 and Next-Range when more follow). */
export function pagedReply(method: string, path: string, header: string | undefined, reply: Reply): Reply {
  if (method !== 'GET' || DATA_API.test(path) || reply.status !== 200 || !Array.isArray(reply.body))
    return reply
  const { page, nextRange } = pageList(reply.body, header)
  if (nextRange === null) return { ...reply, body: page }
  return { ...reply, status: 206, body: page, headers: { ...reply.headers, 'Next-Range': nextRange } }
}
