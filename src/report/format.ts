// Small text helpers shared by the job summary, the follow-up issue and the outputs.

import type { DatabaseSnapshot, RunRecord } from '../record/record'
import { formatDateTime } from '../domain/date-time'

export { formatDateTime }

const POSTGRES_URL = /postgres(?:ql)?:\/\/[^\s'"`<>|)\]]+/gi
// A scheme is short: bounding it keeps a long run of word characters (an error of 100 kB) from costing n².
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/@'"`<>|]+@/gi

/**
 * Turns every Postgres URL into `host:port/dbname` (what `pg:info` prints for a URL it cannot name)
 * and drops the user:password part of any other URL, so no credential can reach a report.
 */
export function scrubUrls(text: string): string {
  return text
    .replace(POSTGRES_URL, (url) => describePostgresUrl(url))
    .replace(URL_USERINFO, (_match, scheme: string) => scheme)
}

function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url.replace(/^postgres(?:ql)?:/i, 'http:'))
    const port = parsed.port || '5432'
    return `${parsed.hostname}:${port}${parsed.pathname}`
  } catch {
    return '(database URL hidden)'
  }
}

/** Replaces every occurrence of each secret (and of every Postgres URL) with a fixed mask. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let scrubbed = scrubUrls(text)
  for (const secret of secrets) {
    if (secret.length >= 4) scrubbed = scrubbed.split(secret).join('***')
  }
  return scrubbed
}

/** Cuts text to at most `max` characters, saying so at the end. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  const note = '\n\n…(truncated)\n'
  return text.slice(0, Math.max(0, max - note.length)) + note
}

/** Escapes what would break a Markdown table cell or inject markup. */
export function cell(text: string): string {
  return scrubUrls(text)
    .replace(/\r?\n/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

/**
 * A `heroku …` command inside a sentence: the subcommand, then flags with their values and arguments that
 * look like names (an add-on, an attachment, an app: they hold a digit, a capital, `-`, `_`, `.` or `:`), so
 * that the prose after the command ("…, then re-run") is not taken for arguments.
 */
const COMMAND =
  /\bheroku [a-z][\w-]*(?::[\w-]+)*(?:\s+(?:--?[a-z][\w-]*(?:=\S+)?(?:\s+(?!-)(?:'[^']*'|[^\s,;()]+))?|'[^']*'|[\w.@/:-]*[A-Z0-9_.:@/-][\w.@/:-]*))*/g

/**
 * A sentence for a person, safe in a table cell or a list item, with every `heroku …` command in it set as
 * code: a remedy is something to copy and run, and reads as one. Text already in backticks is left as it is.
 */
export function prose(text: string): string {
  return scrubUrls(text)
    .split(/(`[^`]*`)/)
    .map((part, index) => (index % 2 === 1 ? part : commandsAsCode(utcDateTimes(part))))
    .join('')
}

function commandsAsCode(text: string): string {
  let out = ''
  let last = 0
  for (const match of text.matchAll(COMMAND)) {
    // A sentence's full stop or a closing bracket right after the command is not part of it.
    const command = match[0].replace(/[.,;:)]+$/, '')
    out += cell(text.slice(last, match.index)) + code(command)
    last = match.index + command.length
  }
  return out + cell(text.slice(last))
}

/** Inline code that survives backticks inside the text. */
export function code(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

/** A fenced block whose fence is longer than any backtick run in the text. */
export function fencedBlock(text: string, language = ''): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(Math.max(3, longestRun + 1))
  return `${fence}${language}\n${text}\n${fence}`
}

export function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`]
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`)
  return lines.join('\n')
}

/** Milliseconds between two ISO timestamps, or undefined when either is missing or invalid. */
export function millisBetween(start: string | undefined, end: string | undefined): number | undefined {
  if (!start || !end) return undefined
  const ms = Date.parse(end) - Date.parse(start)
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined
}

/** `23:59:07 UTC` for a timeline, empty for an invalid timestamp. */
export function formatClock(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return `${date.toISOString().slice(11, 19)} UTC`
}

const ISO_INSTANT = /\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|\+00:00)/g
/** Heroku's `2026-10-08 15:18` (pg:info writes UTC without saying so), not already followed by a zone. */
const BARE_DATE_TIME = /\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})(?::\d{2})?(?![:\d])(?! ?(?:UTC|Z|[+-]\d))/g

/** Every UTC date-time in a text, ISO or Heroku's, written as formatDateTime writes it. */
export function utcDateTimes(text: string): string {
  return text
    .replace(ISO_INSTANT, (_match, day: string, time: string) => `${day} ${time} UTC`)
    .replace(BARE_DATE_TIME, (_match, day: string, time: string) => `${day} ${time} UTC`)
    .replace(/\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}):\d{2} ?UTC\b/g, '$1 $2 UTC')
}

/** The run's length, from its start to its end: the one total every part of the report quotes. */
export function runTotalMs(record: RunRecord): number | undefined {
  return millisBetween(record.startedAt, record.endedAt)
}

/** `2026-11-21` */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** `postgresql-curved-12345 (PG 14.17)` */
export function describeDatabase(snapshot: DatabaseSnapshot | undefined, fallbackName?: string): string {
  if (!snapshot) return fallbackName ?? 'an unknown database'
  return snapshot.version ? `${snapshot.addonName} (PG ${snapshot.version})` : snapshot.addonName
}

/**
 * Whether the record's method was chosen: preflight records the choice, and any step after the preflight is
 * one of the method's. Before that the record's method is a placeholder that no report may name.
 */
export function methodKnown(record: RunRecord): boolean {
  return record.choice !== undefined || record.steps.some((step) => step.name !== 'preflight')
}

/**
 * What the window cost, as every part of the report names it: downtime, or, when web kept serving reads
 * from the fenced database (window: read-only), write downtime.
 */
export function windowCostWord(record: RunRecord): 'downtime' | 'write downtime' {
  return record.readOnlyWindow ? 'write downtime' : 'downtime'
}
