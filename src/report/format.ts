// Small text helpers shared by the job summary, the follow-up issue and the outputs.

import type { DatabaseSnapshot, FormationEntry, InfoEntry } from '../run/record'

const POSTGRES_URL = /postgres(?:ql)?:\/\/[^\s'"`<>|)\]]+/gi
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"`<>|]+@/gi

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

/** `0.4 s`, `42 s`, `3 min 12 s`, `1 h 5 min`. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) {
    const seconds = Math.round(ms / 100) / 10
    return `${seconds} s`
  }
  const totalSeconds = Math.round(ms / 1000)
  if (totalSeconds < 60) return `${totalSeconds} s`
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  if (hours > 0) return `${hours} h ${minutes} min`
  return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`
}

/** `23:59:07 UTC` for a timeline, empty for an invalid timestamp. */
export function formatClock(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return `${date.toISOString().slice(11, 19)} UTC`
}

/** `2026-11-21` */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

export function infoValue(info: InfoEntry[] | undefined, name: string): string | undefined {
  const entry = info?.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase())
  if (!entry || entry.values.length === 0) return undefined
  return scrubUrls(entry.values.join(', '))
}

/** `heroku-postgresql:standard-0` → `standard-0` */
export function shortPlan(plan: string): string {
  return plan.replace(/^heroku-postgresql:/, '')
}

/** `postgresql-curved-12345 (PG 14.17)` */
export function describeDatabase(snapshot: DatabaseSnapshot | undefined, fallbackName?: string): string {
  if (!snapshot) return fallbackName ?? 'an unknown database'
  return snapshot.version ? `${snapshot.addonName} (PG ${snapshot.version})` : snapshot.addonName
}

/** `web=2:standard-2x worker=1:standard-1x`, the argument list of `heroku ps:scale`. */
export function scaleArguments(formation: FormationEntry[]): string {
  return formation.map((entry) => `${entry.type}=${entry.quantity}:${entry.size}`).join(' ')
}
