// GitHub Actions expressions (`${{ ... }}`) and cron schedules for the workflow emulation in run-example.ts,
// read by GitHub's own libraries: @actions/expressions evaluates, @actions/workflow-parser adds the implicit
// success() to an `if:` (and, in run-example.ts, checks a cron as GitHub does), cron-parser finds when a
// schedule fires. What is left here is glue: plain values in and out, and the status functions, which only
// a runner can answer. Only leaf modules of @actions/workflow-parser are imported: its entry point imports
// its JSON schema without an import attribute, which Node refuses outside a bundler (vitest included); the
// whole-workflow check is actionlint's, in .ci/run.

import { data, Evaluator, Lexer, Parser } from '@actions/expressions'
import type { FunctionDefinition } from '@actions/expressions/funcs/info'
import { ensureStatusFunction } from '@actions/workflow-parser/model/converter/if-condition'
import type { DefinitionInfo } from '@actions/workflow-parser/templates/schema/definition-info'
import { CronExpressionParser } from 'cron-parser'

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

/** The four status functions, answered from the job's state; a run of the emulation is never cancelled. */
function statusFunctions(status: JobStatus): Map<string, FunctionDefinition> {
  const answers: Record<string, boolean> = {
    success: status.success,
    failure: status.failure,
    always: true,
    cancelled: false,
  }
  return new Map(
    Object.entries(answers).map(([name, answer]) => [
      name,
      { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(answer) },
    ]),
  )
}

const STATUS_NAMES = ['success', 'failure', 'always', 'cancelled']

/** An expression's value as @actions/expressions holds it, with GitHub's coercions at hand. */
function evaluateData(expression: string, scope: Scope): data.ExpressionData {
  const tokens = new Lexer(expression).lex().tokens
  const functions = statusFunctions(scope.status)
  const tree = new Parser(tokens, Object.keys(scope.contexts), [...functions.values()]).parse()
  const contexts = JSON.parse(JSON.stringify(scope.contexts), data.reviver) as data.Dictionary
  return new Evaluator(tree, contexts, functions).evaluate()
}

export function evaluate(expression: string, scope: Scope): Value {
  return JSON.parse(JSON.stringify(evaluateData(expression, scope), data.replacer)) as Value
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g

/** A YAML value with its `${{ }}` parts replaced, as the runner passes it to an action's input. */
export function interpolate(value: unknown, scope: Scope): string {
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') return String(value)
  return value.replace(TEMPLATE, (_, expression: string) =>
    // The string GitHub makes of a value: what an action's input receives.
    evaluateData(expression, scope).coerceString(),
  )
}

/** A job's or step's `if:`; without a status function it means `success() && (...)`, as on GitHub. */
export function condition(value: unknown, scope: Scope): boolean {
  if (value === undefined || value === null || value === '') return scope.status.success
  let expression = String(value).trim()
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(expression)
  if (whole) expression = (whole[1] ?? '').trim()
  // ensureStatusFunction reads nothing of the schema's definition but the contexts and functions allowed.
  const allowed = {
    allowedContext: [...Object.keys(scope.contexts), ...STATUS_NAMES.map((n) => `${n}(0,0)`)],
  }
  const withStatus = ensureStatusFunction(expression, allowed as unknown as DefinitionInfo)
  return evaluate(`!!(${withStatus})`, scope) === true
}

/** The first minute after `after` (ms since the epoch) at which a five-field cron schedule fires, in UTC. */
export function nextCronTime(cron: string, after: number): number {
  return CronExpressionParser.parse(cron, { currentDate: new Date(after), tz: 'UTC' })
    .next()
    .getTime()
}
