// GitHub Actions expressions (`${{ ... }}`) and cron schedules, as far as the workflow emulation in
// run-example.ts needs them: contexts, literals, the operators, the status functions and a few string
// functions. Their rules follow GitHub's documentation: loose equality that coerces to numbers,
// case-insensitive string comparison and property names, `&&`/`||` returning an operand.

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value }

export interface JobStatus {
  /** Every earlier step (or every needed job) succeeded. */
  success: boolean
  /** One of them failed. */
  failure: boolean
}

export interface Scope {
  contexts: Record<string, Value>
  status: JobStatus
}

type Token =
  | { kind: 'literal'; value: Value }
  | { kind: 'name'; text: string }
  | { kind: 'punct'; text: string }
  | { kind: 'end' }

const PUNCTUATION = ['==', '!=', '<=', '>=', '&&', '||', '!', '<', '>', '.', '[', ']', '(', ')', ',']

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let at = 0
  while (at < source.length) {
    const rest = source.slice(at)
    const space = /^\s+/.exec(rest)
    if (space) {
      at += space[0].length
      continue
    }
    if (rest.startsWith("'")) {
      let text = ''
      let end = 1
      for (;;) {
        if (end >= rest.length) throw new Error(`Unterminated string in expression: ${source}`)
        if (rest[end] === "'") {
          if (rest[end + 1] === "'") {
            text += "'"
            end += 2
            continue
          }
          break
        }
        text += rest[end]
        end++
      }
      tokens.push({ kind: 'literal', value: text })
      at += end + 1
      continue
    }
    const number = /^(0x[0-9a-f]+|\d+(\.\d+)?([eE][+-]?\d+)?)/i.exec(rest)
    if (number) {
      tokens.push({ kind: 'literal', value: Number(number[0]) })
      at += number[0].length
      continue
    }
    const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(rest)
    if (name) {
      const text = name[0]
      if (text === 'true' || text === 'false') tokens.push({ kind: 'literal', value: text === 'true' })
      else if (text === 'null') tokens.push({ kind: 'literal', value: null })
      else tokens.push({ kind: 'name', text })
      at += text.length
      continue
    }
    const punct = PUNCTUATION.find((candidate) => rest.startsWith(candidate))
    if (!punct) throw new Error(`Unexpected "${rest[0]}" in expression: ${source}`)
    tokens.push({ kind: 'punct', text: punct })
    at += punct.length
  }
  tokens.push({ kind: 'end' })
  return tokens
}

export function truthy(value: Value): boolean {
  if (value === null || value === false || value === '') return false
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value)
  return true
}

function toNumber(value: Value): number {
  if (value === null) return 0
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'number') return value
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value)
  return Number.NaN
}

function looseEquals(left: Value, right: Value): boolean {
  if (typeof left === 'string' && typeof right === 'string') return left.toLowerCase() === right.toLowerCase()
  if (typeof left === 'object' && left !== null) return left === right
  if (typeof right === 'object' && right !== null) return false
  if (typeof left === typeof right && typeof left !== 'string') return left === right
  return toNumber(left) === toNumber(right)
}

function compare(left: Value, right: Value): number {
  if (typeof left === 'string' && typeof right === 'string') {
    const a = left.toLowerCase()
    const b = right.toLowerCase()
    return a < b ? -1 : a > b ? 1 : 0
  }
  return toNumber(left) - toNumber(right)
}

export function valueToString(value: Value): string {
  if (value === null) return ''
  if (typeof value === 'object') return JSON.stringify(value, null, 2)
  return String(value)
}

function property(target: Value, name: string): Value {
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return null
  const key = Object.keys(target).find((candidate) => candidate.toLowerCase() === name.toLowerCase())
  return key === undefined ? null : (target[key] ?? null)
}

const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled']

function call(name: string, args: Value[], scope: Scope): Value {
  const text = (index: number): string => valueToString(args[index] ?? null)
  switch (name.toLowerCase()) {
    case 'success':
      return scope.status.success
    case 'failure':
      return scope.status.failure
    case 'always':
      return true
    case 'cancelled':
      return false
    case 'contains': {
      const haystack = args[0] ?? null
      if (Array.isArray(haystack)) return haystack.some((item) => looseEquals(item, args[1] ?? null))
      return text(0).toLowerCase().includes(text(1).toLowerCase())
    }
    case 'startswith':
      return text(0).toLowerCase().startsWith(text(1).toLowerCase())
    case 'endswith':
      return text(0).toLowerCase().endsWith(text(1).toLowerCase())
    case 'format':
      return text(0).replace(/\{(\d+)\}/g, (_, index: string) => text(Number(index) + 1))
    case 'tojson':
      return JSON.stringify(args[0] ?? null, null, 2)
    case 'fromjson':
      return JSON.parse(text(0)) as Value
    default:
      throw new Error(`The workflow emulation does not know the function ${name}().`)
  }
}

class Parser {
  private at = 0
  constructor(
    private readonly tokens: Token[],
    private readonly scope: Scope,
    private readonly source: string,
  ) {}

  parse(): Value {
    const value = this.or()
    if (this.peek().kind !== 'end') this.fail('an operator or the end')
    return value
  }

  private peek(): Token {
    return this.tokens[this.at] ?? { kind: 'end' }
  }

  private accept(text: string): boolean {
    const token = this.peek()
    if (token.kind === 'punct' && token.text === text) {
      this.at++
      return true
    }
    return false
  }

  private expect(text: string): void {
    if (!this.accept(text)) this.fail(`"${text}"`)
  }

  private fail(wanted: string): never {
    throw new Error(`Expected ${wanted} at token ${this.at} of expression: ${this.source}`)
  }

  private or(): Value {
    let left = this.and()
    while (this.accept('||')) {
      const right = this.and()
      left = truthy(left) ? left : right
    }
    return left
  }

  private and(): Value {
    let left = this.equality()
    while (this.accept('&&')) {
      const right = this.equality()
      left = truthy(left) ? right : left
    }
    return left
  }

  private equality(): Value {
    let left = this.comparison()
    for (;;) {
      if (this.accept('==')) left = looseEquals(left, this.comparison())
      else if (this.accept('!=')) left = !looseEquals(left, this.comparison())
      else return left
    }
  }

  private comparison(): Value {
    let left = this.unary()
    for (;;) {
      if (this.accept('<=')) left = compare(left, this.unary()) <= 0
      else if (this.accept('>=')) left = compare(left, this.unary()) >= 0
      else if (this.accept('<')) left = compare(left, this.unary()) < 0
      else if (this.accept('>')) left = compare(left, this.unary()) > 0
      else return left
    }
  }

  private unary(): Value {
    if (this.accept('!')) return !truthy(this.unary())
    return this.postfix()
  }

  private postfix(): Value {
    let value = this.primary()
    for (;;) {
      if (this.accept('.')) {
        const token = this.peek()
        if (token.kind !== 'name') this.fail('a property name')
        this.at++
        value = property(value, token.text)
      } else if (this.accept('[')) {
        const index = this.or()
        this.expect(']')
        value = Array.isArray(value)
          ? (value[toNumber(index)] ?? null)
          : property(value, valueToString(index))
      } else return value
    }
  }

  private primary(): Value {
    const token = this.peek()
    if (token.kind === 'literal') {
      this.at++
      return token.value
    }
    if (token.kind === 'punct' && token.text === '(') {
      this.at++
      const value = this.or()
      this.expect(')')
      return value
    }
    if (token.kind === 'name') {
      this.at++
      if (this.accept('(')) {
        const args: Value[] = []
        if (!this.accept(')')) {
          do args.push(this.or())
          while (this.accept(','))
          this.expect(')')
        }
        return call(token.text, args, this.scope)
      }
      const context = Object.keys(this.scope.contexts).find(
        (name) => name.toLowerCase() === token.text.toLowerCase(),
      )
      if (context === undefined)
        throw new Error(`The workflow emulation has no context "${token.text}" here: ${this.source}`)
      return this.scope.contexts[context] ?? null
    }
    this.fail('a value')
  }
}

export function evaluate(expression: string, scope: Scope): Value {
  return new Parser(tokenize(expression), scope, expression).parse()
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g

/** A YAML value with its `${{ }}` parts replaced, as the runner passes it to an action's input. */
export function interpolate(value: unknown, scope: Scope): string {
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') return String(value)
  return value.replace(TEMPLATE, (_, expression: string) => valueToString(evaluate(expression, scope)))
}

/** A job's or step's `if:`; without a status function it means `success() && (...)`, as on GitHub. */
export function condition(value: unknown, scope: Scope): boolean {
  if (value === undefined || value === null || value === '') return scope.status.success
  if (typeof value === 'boolean') return value && scope.status.success
  let expression = String(value).trim()
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(expression)
  if (whole) expression = whole[1] ?? ''
  const usesStatus = STATUS_FUNCTIONS.some((name) => new RegExp(`\\b${name}\\s*\\(`, 'i').test(expression))
  const result = truthy(evaluate(expression, scope))
  return usesStatus ? result : scope.status.success && result
}

function cronField(field: string, min: number, max: number): Set<number> {
  const values = new Set<number>()
  for (const part of field.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part)
    if (!match) throw new Error(`The workflow emulation cannot read the cron field "${field}".`)
    const from = match[1] === '*' ? min : Number(match[2])
    const to = match[1] === '*' ? max : match[3] !== undefined ? Number(match[3]) : match[4] ? max : from
    const step = match[4] ? Number(match[4]) : 1
    for (let value = from; value <= to; value += step) values.add(value)
  }
  return values
}

/** The first minute after `after` (ms since the epoch) at which a five-field cron schedule fires, in UTC. */
export function nextCronTime(cron: string, after: number): number {
  const fields = cron.trim().split(/\s+/)
  if (fields.length !== 5) throw new Error(`"${cron}" is not a five-field cron schedule.`)
  const [minute, hour, day, month, weekday] = fields as [string, string, string, string, string]
  const minutes = cronField(minute, 0, 59)
  const hours = cronField(hour, 0, 23)
  const days = cronField(day, 1, 31)
  const months = cronField(month, 1, 12)
  // 7 is Sunday as well as 0.
  const weekdays = new Set([...cronField(weekday, 0, 7)].map((value) => value % 7))
  const anyDay = day === '*'
  const anyWeekday = weekday === '*'
  const MINUTE = 60_000
  let at = Math.floor(after / MINUTE) * MINUTE + MINUTE
  for (let tries = 0; tries < 366 * 24 * 60; tries++, at += MINUTE) {
    const date = new Date(at)
    if (!minutes.has(date.getUTCMinutes()) || !hours.has(date.getUTCHours())) continue
    if (!months.has(date.getUTCMonth() + 1)) continue
    const dayMatches = days.has(date.getUTCDate())
    const weekdayMatches = weekdays.has(date.getUTCDay())
    // When both day fields are restricted cron fires on either, otherwise on the restricted one.
    const matches =
      anyDay && anyWeekday
        ? true
        : anyDay
          ? weekdayMatches
          : anyWeekday
            ? dayMatches
            : dayMatches || weekdayMatches
    if (matches) return at
  }
  throw new Error(`The cron schedule "${cron}" never fires within a year.`)
}
