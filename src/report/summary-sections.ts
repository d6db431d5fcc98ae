// The job summary's tables and lists: the databases before and after, what is left for Heroku, what was
// carried over and what stays behind, the warnings, the timeline and its chart. Pure functions of the record.
import { isPromoted, type DatabaseSnapshot, type RunRecord, type StepRecord } from '../record/record'
import { cell, code, formatClock, millisBetween, prose, table, truncate } from './format'
import { formatDuration } from '../domain/duration'
import { infoValue } from '../domain/pg-info'
import { shortPlan } from '../domain/tier'
import { leftoverItems } from './leftovers'
import { renderGantt } from './gantt'
import { leftForHeroku, leftForHerokuText, preparedDetail } from '../record/left-for-heroku'
import { sameText } from './summary-headline'

const PG_INFO_FIELDS = ['Plan', 'Status', 'PG Version', 'Data Size', 'Tables', 'Following', 'Forked From']

export function databasesSection(record: RunRecord): string {
  const columns: Array<{ title: string; snapshot: DatabaseSnapshot }> = []
  if (record.oldDatabase) columns.push({ title: 'Before', snapshot: record.oldDatabase })
  if (record.newDatabase) {
    const inPlace = record.newDatabase.addonId === record.oldDatabase?.addonId
    const title =
      isPromoted(record) || record.status === 'succeeded' || inPlace ? 'After' : 'New database (not in use)'
    columns.push({ title, snapshot: record.newDatabase })
  }
  if (columns.length === 0) return ''
  const header = ['Field', ...columns.map((column) => `${column.title}: ${code(column.snapshot.addonName)}`)]
  const rows: string[][] = [
    [
      'Attachments',
      ...columns.map((column) => cell(attachmentsAtEnd(record, column.snapshot).join(', ') || '—')),
    ],
  ]
  for (const field of PG_INFO_FIELDS) {
    rows.push([field, ...columns.map((column) => cell(pgInfoField(column.snapshot, field)))])
  }
  return `### Databases\n\n${table(header, rows)}`
}

/** A snapshot taken before the hold was let go still lists it: the table says what is attached at the end. */
function attachmentsAtEnd(record: RunRecord, snapshot: DatabaseSnapshot): string[] {
  const released = record.hold?.released ? record.hold.attachment : undefined
  return snapshot.attachments.filter((name) => name !== released)
}

/** One pg:info field as Heroku wrote it (cell() hides any URL in it), else what the snapshot knows. */
function pgInfoField(snapshot: DatabaseSnapshot, field: string): string {
  const value = infoValue(snapshot.info, field)
  if (value !== undefined) return value
  if (field === 'Plan') return shortPlan(snapshot.plan)
  if (field === 'PG Version') return snapshot.version
  return '—'
}

export function leftForHerokuSection(record: RunRecord): string {
  const prepared = leftForHeroku(record)
  if (!prepared) return ''
  return `### Left for Heroku to run by itself\n\n> [!WARNING]\n> ${prose(leftForHerokuText(record, prepared))}`
}

export function carriedOverSection(record: RunRecord): string {
  const carried = record.carriedOver
  if (!carried || carried.done.length + carried.left.length === 0) return ''
  const lines = [
    ...carried.done.map((item) => `- ${prose(item)}`),
    ...carried.left.map((item) => `- **Not carried over**: ${prose(item)}`),
  ]
  return `### Carried over to the new database\n\n${lines.join('\n')}`
}

export function leftoversSection(record: RunRecord): string {
  if (!isPromoted(record)) return ''
  const items = leftoverItems(record)
  if (items.length === 0) return ''
  const lines = items.map((item) => {
    const commands = item.commands.map((command) => `\n  ${code(command)}`).join('')
    return `- ${item.problem}${commands}`
  })
  return `### Left behind on the old database\n\n> [!WARNING]\n> These still depend on ${code(record.oldDatabase?.addonName ?? 'the old database')} and do not move by themselves.\n\n${lines.join('\n')}`
}

export function warningsSection(record: RunRecord): string {
  if (record.warnings.length === 0) return ''
  const shown = record.warnings.slice(0, 50).map((warning) => `- ${prose(truncate(warning, 1000))}`)
  if (record.warnings.length > 50) shown.push(`- …and ${record.warnings.length - 50} more (see the log).`)
  return `### Warnings\n\n${shown.join('\n')}`
}

export function timelineSection(record: RunRecord): string {
  if (record.steps.length === 0) return ''
  const rows = record.steps
    .slice(0, 200)
    .map((step) => [
      cell(truncate(step.title, 200)),
      formatClock(step.startedAt),
      stepDuration(step),
      outcomeWord(step),
      stepDetail(step, record),
    ])
  const window = millisBetween(record.windowOpenedAt, record.windowClosedAt)
  const span = `from ${formatClock(record.windowOpenedAt ?? '')} to ${formatClock(record.windowClosedAt ?? '')}`
  const windowLine =
    window === undefined
      ? ''
      : record.readOnlyWindow
        ? `\n\nRead-only window (measured write downtime): **${formatDuration(window)}**, ${span}: writes were refused. Read downtime: none planned: maintenance stayed off and web kept serving reads${restartedAt(record)}.`
        : `\n\nMaintenance window (measured downtime): **${formatDuration(window)}**, ${span}.`
  return `### Timeline\n\n${table(['Step', 'Started', 'Duration', 'Outcome', 'Detail'], rows)}${windowLine}`
}

/** The steps whose detail says when Heroku would run the change they prepared: said again from the record. */
const PREPARE_STEPS: ReadonlySet<StepRecord['name']> = new Set(['prepare-upgrade', 'prepare-plan-change'])

/** A failed step's detail is the run's error, which the headline and the details already say. */
function stepDetail(step: StepRecord, record: RunRecord): string {
  const prepared = record.preparedChange
  if (prepared && PREPARE_STEPS.has(step.name) && step.outcome === 'ok' && step.detail?.startsWith('ready'))
    return prose(preparedDetail(record, prepared, Date.parse(step.endedAt ?? '')))
  const detail = step.detail ?? ''
  if (step.outcome === 'failed' && record.error && detail && sameText(record.error, detail))
    return 'the error above'
  return prose(truncate(detail, 300))
}

/**
 * The chart of a run, when there is one to draw: a plan, or a run that stopped in its preflight, has one
 * step of a few milliseconds, and a chart of it says nothing.
 */
export function chartSection(record: RunRecord): string {
  if (record.status === 'planned' || !record.steps.some((step) => step.name !== 'preflight')) return ''
  return renderGantt(record)
}

function stepDuration(step: StepRecord): string {
  const ms = millisBetween(step.startedAt, step.endedAt)
  return ms === undefined ? 'unfinished' : formatDuration(ms)
}

function outcomeWord(step: StepRecord): string {
  switch (step.outcome) {
    case 'ok':
      return 'done'
    case 'failed':
      return '**failed**'
    case 'skipped':
      return 'skipped'
    default:
      return step.endedAt ? 'done' : 'interrupted'
  }
}

/** When the switch's release restarted the dynos on the new database, which web did while serving. */
function restartedAt(record: RunRecord): string {
  const release = record.steps.find((step) => step.name === 'release' && step.outcome === 'ok')
  return release?.endedAt
    ? `; the release restarted the dynos on the new database by ${formatClock(release.endedAt)}`
    : ''
}
