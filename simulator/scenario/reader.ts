/** Small helpers that read untyped JSON and report the exact path of a bad key. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ScenarioError'
  }
}

export type JsonObject = Record<string, unknown>

export function fail(path: string, expectation: string): never {
  throw new ScenarioError(`${path}: ${expectation}`)
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  return path ? `${path}.${key}` : key
}

export function asObject(value: unknown, path: string, allowed: readonly string[]): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(path || '(root)', 'expected an object')
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(join(path, key), `unknown key (known keys: ${allowed.join(', ')})`)
  }
  return value as JsonObject
}

export function optString(obj: JsonObject, key: string, path: string, fallback: string): string {
  const value = obj[key]
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value === '') fail(join(path, key), 'expected a non-empty string')
  return value
}

export function reqString(obj: JsonObject, key: string, path: string): string {
  if (obj[key] === undefined) fail(join(path, key), 'is required')
  return optString(obj, key, path, '')
}

export function optNullableString(obj: JsonObject, key: string, path: string): string | null {
  const value = obj[key]
  if (value === undefined || value === null) return null
  if (typeof value !== 'string' || value === '') fail(join(path, key), 'expected a non-empty string or null')
  return value
}

export function optNumber(
  obj: JsonObject,
  key: string,
  path: string,
  fallback: number,
  rule: 'positive' | 'non-negative' | 'non-negative integer' | 'positive integer',
): number {
  const value = obj[key]
  if (value === undefined) return fallback
  return checkNumber(value, join(path, key), rule)
}

export function checkNumber(
  value: unknown,
  path: string,
  rule: 'positive' | 'non-negative' | 'non-negative integer' | 'positive integer',
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule.startsWith('positive') ? value > 0 : value >= 0) &&
    (!rule.endsWith('integer') || Number.isInteger(value))
  if (!ok)
    fail(path, `expected a ${rule === 'positive' || rule === 'non-negative' ? `${rule} number` : `${rule}`}`)
  return value as number
}

export function optBoolean(obj: JsonObject, key: string, path: string, fallback: boolean): boolean {
  const value = obj[key]
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') fail(join(path, key), 'expected true or false')
  return value
}

export function optArray(obj: JsonObject, key: string, path: string): unknown[] {
  const value = obj[key]
  if (value === undefined) return []
  if (!Array.isArray(value)) fail(join(path, key), 'expected an array')
  return value
}
