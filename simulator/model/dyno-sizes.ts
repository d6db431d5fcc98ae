import { createHash } from 'node:crypto'
import { ApiError } from './errors.js'
import type { App } from './types.js'

// The dyno sizes an app can run. Common Runtime apps and apps in a Private Space draw from separate lists:
// a Private size outside a space, or a Standard one inside, is refused like an unknown size.

const COMMON_RUNTIME = [
  'Eco',
  'Basic',
  'Standard-1X',
  'Standard-2X',
  'Performance-M',
  'Performance-L',
  'Performance-L-RAM',
  'Performance-XL',
  'Performance-2XL',
] as const

const PRIVATE_SPACE = ['S', 'M', 'L', 'L-RAM', 'XL', '2XL'].flatMap((size) => [
  `Private-${size}`,
  `Shield-${size}`,
])

export function availableDynoSizes(app: App): readonly string[] {
  return app.space === null ? COMMON_RUNTIME : PRIVATE_SPACE
}

/** A stable id per size name, so that `dyno_size: {id}` can be sent back as it was read. */
export function dynoSizeId(name: string): string {
  const hex = createHash('sha1').update(`dyno-size:${name}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-b${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

function listed(sizes: readonly string[]): string {
  return sizes.length < 2
    ? sizes.join('')
    : `${sizes.slice(0, -1).join(', ')} and ${sizes[sizes.length - 1] as string}`
}

/**
 * The canonical name of a size the app may use (`standard-2x` → `Standard-2X`), or a 422 in the words the
 * Platform API has used for this.
 */
export function requireDynoSize(app: App, requested: string): string {
  const sizes = availableDynoSizes(app)
  const canonical = dynoSizeName(requested.trim())
  const found = sizes.find((s) => s.toLowerCase() === canonical.toLowerCase() || dynoSizeId(s) === requested)
  if (found) return found
  throw new ApiError(
    422,
    'invalid_params',
    `No such size as ${requested}. Available dyno sizes are ${listed(sizes)}.`,
  )
}

/**
 * The size an update asks for: `dyno_size` (a name, or `{name}` / `{id}` as the current schema has it) or the
 * older `size`; undefined when neither is given.
 */
export function requestedDynoSize(update: Record<string, unknown>): string | undefined {
  const value = update.dyno_size ?? update.size
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'string') return value
  if (typeof value === 'object' && !Array.isArray(value)) {
    const ref = value as Record<string, unknown>
    if (typeof ref.name === 'string' && ref.name !== '') return ref.name
    if (typeof ref.id === 'string' && ref.id !== '') return ref.id
  }
  throw new ApiError(422, 'invalid_params', 'dyno_size must be a size name or an object with its name or id.')
}

/** `standard-2x` → `Standard-2X`, `performance-m` → `Performance-M`, the way the Platform API spells dyno sizes. */
export function dynoSizeName(size: string): string {
  return size
    .split('-')
    .map((part) =>
      /^(\d+x|[xsml]|xl|\d*xl)$/i.test(part)
        ? part.toUpperCase()
        : part.charAt(0).toUpperCase() + part.slice(1),
    )
    .join('-')
}
