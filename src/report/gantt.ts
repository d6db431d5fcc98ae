// Mermaid gantt charts of the run (GitHub renders ```mermaid blocks), with the maintenance window drawn as its
// own bar whose length is the measured downtime. A chart spans the run, so a 25-minute window after a 6-hour
// prepare would be a sliver in which nothing can be read: then a second chart shows the window alone.

import type { RunRecord, StepRecord } from '../record/record'
import { methodKnown, millisBetween, runTotalMs, windowCostWord } from './format'
import { formatDuration } from '../domain/duration'

type Phase = 'before' | 'window' | 'after'

const PHASE_TITLES: Record<Phase, string> = {
  before: 'Prepare (app up)',
  window: 'Switch (maintenance window)',
  after: 'Cleanup (app up again)',
}

/** Below this share of the run, the window's steps are too thin to read in the chart of the whole run. */
export const CLOSE_UP_BELOW_SHARE = 0.2

/** Steps past 100 are not drawn: the timeline table lists them, and Mermaid slows down on long charts. */
const MAX_BARS = 100

export function renderGantt(record: RunRecord): string {
  const steps = chartedSteps(record)
  if (steps.length === 0) return ''
  const downtime = millisBetween(record.windowOpenedAt, record.windowClosedAt)
  const method = methodKnown(record) ? ` - ${record.method} upgrade` : ''
  const title =
    `${record.app}${method}` +
    (downtime === undefined ? '' : ` (${windowCostWord(record)} ${formatDuration(downtime)})`)
  const whole = chart(
    title,
    axisFor(runSpanMs(steps, record)),
    phaseSections(steps, record, ['before', 'window', 'after']),
  )
  if (!needsWindowCloseUp(record)) return whole
  const span = runSpanMs(steps, record)
  // The run's total is the one the summary's header gives: the steps' span misses the time around them.
  const total = runTotalMs(record) ?? span
  const closeUp = chart(
    `${record.app} - the maintenance window alone (${formatDuration(windowMs(record, steps))} of the run's ${formatDuration(total)})`,
    '%H:%M:%S',
    phaseSections(steps, record, ['window']),
  )
  return `${whole}\n\nThe window is too short to read in the chart of the whole run; here it is alone:\n\n${closeUp}`
}

/** True when the window took less than CLOSE_UP_BELOW_SHARE of the run: its bars would be slivers. */
export function needsWindowCloseUp(record: RunRecord): boolean {
  const steps = chartedSteps(record)
  if (!record.windowOpenedAt || steps.length === 0) return false
  const span = runSpanMs(steps, record)
  return span > 0 && windowMs(record, steps) < CLOSE_UP_BELOW_SHARE * span
}

function chartedSteps(record: RunRecord): StepRecord[] {
  return record.steps.filter((step) => Number.isFinite(Date.parse(step.startedAt))).slice(0, MAX_BARS)
}

/**
 * Mermaid draws the section titles in the chart's left margin, 75 px by default: "Switch (maintenance window)"
 * then runs under the first bars. GitHub's Mermaid reads an init directive at the top of the block.
 */
const LEFT_PADDING_PX = 190
const INIT = `%%{init: {"gantt": {"leftPadding": ${LEFT_PADDING_PX}}}}%%`

function chart(title: string, axisFormat: string, sections: string[]): string {
  const lines = [
    INIT,
    'gantt',
    `  title ${label(title, 120)}`,
    '  dateFormat x',
    `  axisFormat ${axisFormat}`,
  ]
  lines.push('  todayMarker off', ...sections)
  return '```mermaid\n' + lines.join('\n') + '\n```'
}

/** Seconds on the axis only where they can be told apart: a run of hours is read in minutes. */
function axisFor(spanMs: number): string {
  return spanMs > 3_600_000 ? '%H:%M' : '%H:%M:%S'
}

function phaseSections(steps: StepRecord[], record: RunRecord, phases: Phase[]): string[] {
  const lines: string[] = []
  for (const phase of phases) {
    const tasks = steps.flatMap((step, index) =>
      phaseOf(step) === phase ? [stepTask(step, index, record)] : [],
    )
    if (phase === 'window' && record.windowOpenedAt) tasks.unshift(downtimeTask(record, steps))
    const title =
      phase === 'window' && record.readOnlyWindow ? 'Switch (read-only window)' : PHASE_TITLES[phase]
    if (tasks.length > 0) lines.push(`  section ${title}`, ...tasks)
  }
  return lines
}

function downtimeTask(record: RunRecord, steps: StepRecord[]): string {
  const downtime = millisBetween(record.windowOpenedAt, record.windowClosedAt)
  const start = Date.parse(record.windowOpenedAt ?? '')
  const end = windowEnd(record, steps)
  const word = capitalised(windowCostWord(record))
  const name =
    downtime === undefined ? `${word} (window never closed)` : `${word} ${formatDuration(downtime)}`
  return `    ${label(name)} :crit, window, ${start}, ${Math.max(start, end)}`
}

function windowEnd(record: RunRecord, steps: StepRecord[]): number {
  return record.windowClosedAt ? Date.parse(record.windowClosedAt) : lastEnd(steps, record)
}

function windowMs(record: RunRecord, steps: StepRecord[]): number {
  return Math.max(0, windowEnd(record, steps) - Date.parse(record.windowOpenedAt ?? ''))
}

function runSpanMs(steps: StepRecord[], record: RunRecord): number {
  const first = Math.min(...steps.map((step) => Date.parse(step.startedAt)))
  return Math.max(0, lastEnd(steps, record) - first)
}

const SECTION_OF: Record<StepRecord['phase'], Phase> = {
  prepare: 'before',
  switch: 'window',
  cleanup: 'after',
}

function phaseOf(step: StepRecord): Phase {
  return SECTION_OF[step.phase] ?? 'window'
}

function stepTask(step: StepRecord, index: number, record: RunRecord): string {
  const start = Date.parse(step.startedAt)
  const endIso = step.endedAt ?? record.endedAt
  const parsedEnd = endIso ? Date.parse(endIso) : Number.NaN
  const end = Number.isFinite(parsedEnd) ? Math.max(start, parsedEnd) : start
  const name = step.outcome === 'failed' ? `Failed - ${barName(step)}` : barName(step)
  return `    ${label(name)} :${[...tagsOf(step), `s${index}`, String(start), String(end)].join(', ')}`
}

/**
 * The Downtime bar is `crit` (filled red); a failed step is `crit, done`: grey with a red border, and named
 * "Failed", so that it is never read as more downtime.
 */
function tagsOf(step: StepRecord): string[] {
  if (step.outcome === 'failed') return ['crit', 'done']
  if (!step.endedAt) return ['active']
  return ['done']
}

/**
 * Steps whose titles say more than a bar can hold, named by what they are: the preflight's title lists what it
 * found, which the timeline says; the release step's ends in words that cannot be cut without losing its sense.
 */
const BAR_NAMES: Partial<Record<StepRecord['name'], string>> = {
  preflight: 'Preflight (read-only)',
  release: 'Waiting for the release phase',
}

function barName(step: StepRecord): string {
  return BAR_NAMES[step.name] ?? step.title
}

function lastEnd(steps: StepRecord[], record: RunRecord): number {
  const ends = steps.map((step) => Date.parse(step.endedAt ?? step.startedAt)).filter(Number.isFinite)
  if (record.endedAt) ends.push(Date.parse(record.endedAt))
  return Math.max(...ends)
}

/** Mermaid task names end at `:` and comments start at `%%` or `#`; keep names plain. */
function label(text: string, max = 60): string {
  const plain = text
    .replace(/[:;#%\r\n`]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return (plain.length > max ? shortened(plain, max) : plain) || 'step'
}

/** Words that leave a shortened label dangling ("… to b…", "… on…"). */
const DANGLING = /[\s,(]+(?:a|an|and|by|for|in|of|on|or|the|to|with)?$/i

/**
 * At most `max` characters, cut between words, never inside a parenthesis, and without a last word that
 * only leads to what was cut.
 */
function shortened(text: string, max: number): string {
  let cut = text.slice(0, max + 1)
  const space = cut.lastIndexOf(' ')
  cut = space > max / 2 ? cut.slice(0, space) : text.slice(0, max)
  const open = cut.lastIndexOf('(')
  if (open > max / 2 && open > cut.lastIndexOf(')')) cut = cut.slice(0, open)
  let previous = ''
  while (previous !== cut) {
    previous = cut
    cut = cut.replace(DANGLING, '')
  }
  return `${cut}…`
}

const capitalised = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`
