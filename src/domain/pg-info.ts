// Reading one line of `pg:info` (the data API's `info` array), the same way for the steps and the report.
import type { InfoEntry } from './vocabulary'

/**
 * The values of the entry `name` (matched as pg:info shows it, whatever the case), joined as pg:info joins
 * them; undefined when the entry is missing or empty.
 */
export function infoValue(info: readonly InfoEntry[] | undefined, name: string): string | undefined {
  const wanted = name.toLowerCase()
  const entry = info?.find((candidate) => candidate.name.toLowerCase() === wanted)
  if (!entry || entry.values.length === 0) return undefined
  return entry.values.join(', ')
}
