// The inputs that shape the maintenance window: when it must have ended (window-end), which process types
// it stops (scale-down) and the check run inside it (verify-command).
import type { FenceInput, WindowInput } from '../domain/policy'
import type { ScaleDown } from '../domain/vocabulary'
import { list } from './parse-values'
import { invalid } from './problems'
import type { WindowEnd } from './types'

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/
/** An ISO 8601 instant with a date, a time and an offset (Z or ±hh:mm): a bare date or local time is ambiguous. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/
const PROCESS_TYPE = /^[A-Za-z0-9_-]{1,63}$/
const MAX_PROCESS_TYPES = 20
const MAX_COMMAND_LENGTH = 4_000

export function windowEndInput(value: string, problems: string[]): WindowEnd | undefined {
  if (!value) return undefined
  const clock = TIME_OF_DAY.exec(value)
  if (clock) return { hour: Number(clock[1]), minute: Number(clock[2]), text: `${value} UTC` }
  const at = INSTANT.test(value) && isCalendarInstant(value) ? Date.parse(value) : Number.NaN
  if (Number.isFinite(at)) return { at, text: value }
  problems.push(
    invalid(
      'window-end',
      value,
      'a time of day in UTC such as 04:30, or an ISO 8601 instant with its offset such as 2026-12-02T04:30:00Z',
    ),
  )
  return undefined
}

/** The date and time as written exist (Date.parse turns 2030-02-31 into March 3 without a word). */
function isCalendarInstant(value: string): boolean {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value)
  if (!parts) return false
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts
    .slice(1)
    .map((part) => Number(part ?? 0))
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  )
}

/** Empty is all: the window stops every process type unless told otherwise. */
export function scaleDownInput(text: string, problems: string[]): ScaleDown {
  const value = text || 'all'
  if (value === 'all') return { kind: 'all' }
  if (value === 'none') return { kind: 'none' }
  const types = [...new Set(list(value))]
  const valid =
    types.length > 0 &&
    types.length <= MAX_PROCESS_TYPES &&
    types.every((type) => PROCESS_TYPE.test(type) && type !== 'all' && type !== 'none')
  if (!valid) {
    problems.push(
      invalid(
        'scale-down',
        value,
        `all, none, or a comma-separated list of at most ${MAX_PROCESS_TYPES} process types such as worker,clock`,
      ),
    )
    return { kind: 'none' }
  }
  return { kind: 'list', types }
}

/** Any shell command is the user's to choose: only its length can be wrong. */
export function verifyCommandInput(value: string, problems: string[]): string | undefined {
  const command = value || undefined
  if (command && command.length > MAX_COMMAND_LENGTH)
    problems.push(
      `Input "verify-command" is ${command.length} characters long. Allowed: a shell command of at most ${MAX_COMMAND_LENGTH} characters (put a longer check in a script and call it).`,
    )
  return command
}

/**
 * window: read-only rests on the fence and on web staying up: a fence turned off or a scale-down that stops
 * web contradicts it.
 */
export function readOnlyWindowProblems(
  window: WindowInput,
  scaleDown: ScaleDown,
  fence: FenceInput,
): string[] {
  if (window !== 'read-only') return []
  const problems: string[] = []
  if (fence === 'off')
    problems.push(
      'Input "window" is "read-only", which needs the write fence to stop writes, but "fence" is "off". Allowed: window: read-only with fence auto or on, or window: maintenance with any fence.',
    )
  if (scaleDown.kind === 'list' && scaleDown.types.includes('web'))
    problems.push(
      `Input "scale-down" is "${scaleDown.types.join(',')}", which stops web, but window: read-only keeps web serving reads. Allowed with window: read-only: all (every type but web), none, or a list without web.`,
    )
  return problems
}
