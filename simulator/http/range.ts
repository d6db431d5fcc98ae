/** A parsed Heroku Range header such as `version ..; max=5, order=desc` or `version ]12..; order=desc,max=1`. */
export interface RangeSpec {
  field: string
  start: string | null
  startExclusive: boolean
  max: number
  order: 'asc' | 'desc'
}

export const DEFAULT_MAX = 1000

export function parseRange(header: string | undefined): RangeSpec | null {
  if (!header) return null
  const match = /^\s*([a-z_]+)\s+(\]?)([^.;\s]*)\.\.([^;]*)(?:;(.*))?$/i.exec(header)
  if (!match) return null
  const spec: RangeSpec = {
    field: (match[1] as string).toLowerCase(),
    start: match[3] === '' ? null : (match[3] as string),
    startExclusive: match[2] === ']',
    max: DEFAULT_MAX,
    order: 'asc',
  }
  for (const part of (match[5] ?? '').split(/[,;]/)) {
    const [key, value] = part.split('=').map((s) => s.trim())
    if (key === 'max' && value && /^\d+$/.test(value))
      spec.max = Math.min(DEFAULT_MAX, Math.max(1, Number(value)))
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
  const max = range?.max ?? DEFAULT_MAX
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
