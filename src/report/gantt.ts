// A Mermaid gantt chart of the run (GitHub renders ```mermaid blocks), with the maintenance window
// drawn as its own bar whose length is the measured downtime.

import type { RunRecord, StepRecord } from '../run/record'
import { formatDuration, millisBetween } from './format'

type Phase = 'before' | 'window' | 'after'

const PHASE_TITLES: Record<Phase, string> = {
  before: 'Prepare (app up)',
  window: 'Switch (maintenance window)',
  after: 'Cleanup (app up again)',
}

export function renderGantt(record: RunRecord): string {
  const steps = record.steps.filter((step) => Number.isFinite(Date.parse(step.startedAt))).slice(0, 100)
  if (steps.length === 0) return ''

  const downtime = millisBetween(record.windowOpenedAt, record.windowClosedAt)
  const title =
    `${record.app} - ${record.method} upgrade` +
    (downtime === undefined ? '' : ` (downtime ${formatDuration(downtime)})`)
  const lines = [
    'gantt',
    `  title ${label(title)}`,
    '  dateFormat x',
    '  axisFormat %H:%M:%S',
    '  todayMarker off',
  ]

  const byPhase = new Map<Phase, string[]>()
  steps.forEach((step, index) => {
    const phase = phaseOf(step)
    const tasks = byPhase.get(phase) ?? []
    tasks.push(stepTask(step, index, record))
    byPhase.set(phase, tasks)
  })

  for (const phase of ['before', 'window', 'after'] as const) {
    const tasks = byPhase.get(phase) ?? []
    if (phase === 'window' && record.windowOpenedAt) {
      const start = Date.parse(record.windowOpenedAt)
      const end = record.windowClosedAt ? Date.parse(record.windowClosedAt) : lastEnd(steps, record)
      const name =
        downtime === undefined ? 'Downtime (window never closed)' : `Downtime ${formatDuration(downtime)}`
      tasks.unshift(`    ${label(name)} :crit, window, ${start}, ${Math.max(start, end)}`)
    }
    if (tasks.length === 0) continue
    lines.push(`  section ${PHASE_TITLES[phase]}`, ...tasks)
  }
  return '```mermaid\n' + lines.join('\n') + '\n```'
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
  const tags = [tagOf(step)].filter((tag) => tag.length > 0)
  return `    ${label(step.title)} :${[...tags, `s${index}`, String(start), String(end)].join(', ')}`
}

function tagOf(step: StepRecord): string {
  if (step.outcome === 'failed') return 'crit'
  if (!step.endedAt) return 'active'
  return 'done'
}

function lastEnd(steps: StepRecord[], record: RunRecord): number {
  const ends = steps.map((step) => Date.parse(step.endedAt ?? step.startedAt)).filter(Number.isFinite)
  if (record.endedAt) ends.push(Date.parse(record.endedAt))
  return Math.max(...ends)
}

/** Mermaid task names end at `:` and comments start at `%%` or `#`; keep names plain. */
function label(text: string): string {
  return (
    text
      .replace(/[:;#%\r\n`]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^(.{60}).+$/, '$1…') || 'step'
  )
}
