// Reading the inputs: each input of action.yml is read once, here, and trimmed. The parsers then work on
// plain strings, and a name that action.yml does not declare cannot be read by mistake (it does not compile).

/** Every input of action.yml, in its order. */
export const INPUT_NAMES = [
  'heroku-api-key',
  'app',
  'database',
  'method',
  'phase',
  'plan-id',
  'max-downtime',
  'window-end',
  'version',
  'plan',
  'confirm',
  'window',
  'maintenance',
  'scale-down',
  'accept-lost-writes',
  'fence',
  'catch-up-timeout',
  'lag-timeout',
  'verify-command',
  'verify-timeout',
  'upgrade-timeout',
  'prepare-timeout',
  'recreate-followers',
  'poll-interval',
  'github-token',
  'follow-up-issue',
  'issue-labels',
  'issue-assignees',
] as const

export type InputName = (typeof INPUT_NAMES)[number]

/** How one input is read: @actions/core's getInput in the action, a plain lookup in tests. */
export type InputReader = (name: string) => string

/** The trimmed text of every input; an input left out is the empty string. */
export type RawInputs = Readonly<Record<InputName, string>>

export function readRawInputs(read: InputReader): RawInputs {
  const raw = {} as Record<InputName, string>
  for (const name of INPUT_NAMES) raw[name] = read(name).trim()
  return Object.freeze(raw)
}
