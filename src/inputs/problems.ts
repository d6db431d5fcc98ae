// How a problem with an input is worded: it names the input, shows its value (cut when long, never when it
// is a secret) and says what is allowed, so that one reading of the log is enough to fix the workflow.

const SHOWN_WHOLE_UP_TO = 80
const SHOWN_WHEN_CUT = 60
const MAX_TOKEN_LENGTH = 1000
/** What an HTTP header can carry: a token with anything else fails only when it is first sent. */
const TOKEN = /^[\x21-\x7e]+$/

/** The value quoted for a message; a long one is cut so that a pasted blob does not flood the log. */
export function shown(value: string): string {
  const characters = [...value]
  if (characters.length <= SHOWN_WHOLE_UP_TO) return JSON.stringify(value)
  return `${JSON.stringify(characters.slice(0, SHOWN_WHEN_CUT).join(''))}… (${characters.length} characters)`
}

export function invalid(input: string, value: string, allowed: string): string {
  return `Input "${input}" has an invalid value ${shown(value)}. Allowed: ${allowed}.`
}

/** One problem for all the bad items of a list input, naming the first few. */
export function invalidItems(input: string, bad: string[], allowed: string): string {
  const [first] = bad
  if (bad.length === 1 && first !== undefined) return invalid(input, first, allowed)
  const named = bad.slice(0, 3).map(shown).join(', ')
  const more = bad.length > 3 ? ` and ${bad.length - 3} more` : ''
  return `Input "${input}" has invalid values ${named}${more}. Allowed: ${allowed}.`
}

/** Secrets are never shown, not even cut: only what is wrong with them. */
export function tokenProblem(input: string, value: string, allowed: string): string | undefined {
  const why = /\s/.test(value)
    ? 'contains whitespace'
    : !TOKEN.test(value)
      ? 'contains characters other than printable ASCII'
      : value.length > MAX_TOKEN_LENGTH
        ? `is ${value.length} characters long`
        : undefined
  if (why === undefined) return undefined
  return `Input "${input}" ${why} (the value is a secret and is not shown). Allowed: ${allowed} (printable ASCII without spaces, at most ${MAX_TOKEN_LENGTH} characters).`
}
