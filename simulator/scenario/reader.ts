/** The error a bad scenario or fault raises, and its text: each problem with its path, what was expected, what was there. */
import type { z } from 'zod'

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ScenarioError'
  }
}

/** `apps[0].databases[1].plan`: `root` then each key of `path` as JavaScript would read it. */
export function pathText(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`
    return text ? `${text}.${String(key)}` : String(key)
  }, root)
}

/** The value a problem was found in, short: strings quoted, objects and arrays only named. */
function shown(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return value.length === 0 ? '[]' : 'an array'
  if (typeof value === 'object') return Object.keys(value).length === 0 ? '{}' : 'an object'
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** `, got <value>`, unless there is no value or the issue is a check across the keys of an object. */
function got(issue: z.core.$ZodIssue): string {
  if (issue.input === undefined) return ''
  if (issue.code === 'custom' && typeof issue.input === 'object' && issue.input !== null) return ''
  return `, got ${shown(issue.input)}`
}

/** One line per problem. Needs the issues of a parse with `reportInput: true`, so that each names its value. */
export function problemLines(issues: readonly z.core.$ZodIssue[], root = ''): string[] {
  const where = (issue: z.core.$ZodIssue) => pathText(root, issue.path) || '(root)'
  // A value of the wrong type is one problem, whatever a size check also found in it.
  const mistyped = new Set(issues.filter((issue) => issue.code === 'invalid_type').map(where))
  const lines = issues.flatMap((issue) => {
    const path = where(issue)
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => `${pathText(root, [...issue.path, key])}: ${issue.message}`)
      case 'invalid_type':
      case 'invalid_value':
        if (issue.input === undefined && issue.path.length > 0) return [`${path}: is required`]
        break
      default:
        if (mistyped.has(path)) return []
    }
    return [`${path}: ${issue.message}${got(issue)}`]
  })
  return [...new Set(lines)]
}

/** A ScenarioError naming every problem: one line when there is one, else a count and an indented list. */
export function scenarioError(issues: readonly z.core.$ZodIssue[], root = ''): ScenarioError {
  const lines = problemLines(issues, root)
  if (lines.length === 1) return new ScenarioError(lines[0] as string)
  return new ScenarioError(`${lines.length} problems:\n${lines.map((line) => `  ${line}`).join('\n')}`)
}
