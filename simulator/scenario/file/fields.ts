/**
 * The building blocks of the scenario schema: numbers, strings, lists and strict objects whose messages all read
 * "expected …", so that reader.ts can prefix the path and append the value it got.
 */
import { z } from 'zod'

type NumberRule = 'positive' | 'non-negative' | 'positive integer' | 'non-negative integer'

/** A finite number obeying `rule`; whatever is wrong with it, the message is "expected a <rule> (number)". */
export function num(rule: NumberRule) {
  const error = `expected a ${rule.endsWith('integer') ? rule : `${rule} number`}`
  const number = z.number({ error })
  const signed = rule.startsWith('positive') ? number.positive({ error }) : number.nonnegative({ error })
  return rule.endsWith('integer') ? signed.int({ error }) : signed
}

const NON_EMPTY = 'expected a non-empty string'
export const text = () => z.string({ error: NON_EMPTY }).min(1, { error: NON_EMPTY })

/** A string matching `regex`, described by `expectation` when it is not. */
export const matching = (regex: RegExp, expectation: string) =>
  z.string({ error: expectation }).regex(regex, { error: expectation })

const NON_EMPTY_OR_NULL = `${NON_EMPTY} or null`
/** A string (by default a non-empty one) or null; null when absent. */
export const nullable = (
  schema = z.string({ error: NON_EMPTY_OR_NULL }).min(1, { error: NON_EMPTY_OR_NULL }),
) => schema.nullable().default(null)

export const flag = (fallback: boolean) => z.boolean({ error: 'expected true or false' }).default(fallback)

/** An array of `item`s. */
export const list = <T extends z.ZodType>(item: T) => z.array(item, { error: 'expected an array' })

/** An object that refuses unknown keys, naming the keys it knows. */
export function strict<Shape extends z.core.$ZodLooseShape>(shape: Shape, expected = 'expected an object') {
  const known = Object.keys(shape).join(', ')
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key (known keys: ${known})` : expected),
  })
}

/**
 * A value checked by the one schema `pick` chooses for it, so that a problem is reported against that schema
 * alone (a z.union would report every branch). The issues keep their paths, inputs and messages.
 */
export function dispatch<Out>(pick: (input: unknown) => z.ZodType<Out>) {
  return z.unknown().transform((input, ctx): Out => {
    const result = pick(input).safeParse(input, { reportInput: true })
    if (result.success) return result.data
    for (const issue of result.error.issues) ctx.addIssue({ ...issue })
    return z.NEVER
  })
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
