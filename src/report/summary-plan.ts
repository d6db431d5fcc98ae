// The job summary's method and plan: why this method and what the others would cost, and, for a plan or a
// refused run, the steps by phase with their estimates. Pure functions of the run record.
import type { PlanReport, RunRecord } from '../record/record'
import type { Phase } from '../domain/vocabulary'
import { cell, code, millisBetween, prose, scrubUrls, table, truncate } from './format'
import { formatDuration, formatEstimate, roundEstimate } from '../domain/duration'
import { backupInfoCommand } from '../domain/remedies'
import { estimateSteps, type StepEstimate } from '../plan/estimates'
import { HEADLINE_MAX_CHARS, sameText } from './summary-headline'

/** Why this method, and what the others would have cost this database, so a person can override it. */
export function methodSection(record: RunRecord): string {
  const choice = record.choice
  if (!choice) return ''
  const measured = millisBetween(record.windowOpenedAt, record.windowClosedAt)
  const rows = [
    [
      `${code(choice.method)} (chosen)`,
      `about ${formatEstimate(choice.downtimeMs)}${measured === undefined ? '' : `; measured ${formatDuration(measured)}`}`,
      prose(choice.reason),
    ],
    ...choice.alternatives.map((alternative) => [
      code(alternative.method),
      alternative.downtimeMs === undefined ? '—' : `about ${formatEstimate(alternative.downtimeMs)}`,
      prose(alternative.note),
    ]),
  ]
  const lines = [
    `### Method

${code(choice.method)}: ${prose(choice.reason)}. Set the ${code('method')} input to choose another; the estimates are Heroku's published figures for a database of this size.`,
    table(['Method', 'Expected downtime', 'Why'], rows),
  ]
  if (record.transfers?.length)
    lines.push(
      `Transfers this run started (no other is ever taken for one of them): ${record.transfers.map((t) => `${code(t.name)} (${t.kind}, ${code(backupInfoCommand(t.name, t.app))})`).join(', ')}.`,
    )
  if (record.backup) lines.push(rollbackPointLine(record.backup, record.oldDatabase?.addonName))
  return lines.join('\n\n')
}

/** The backup a backup-restore run took with every writer stopped: what to restore to go back. */
export function rollbackPointLine(
  backup: { name: string; app: string },
  oldAddon: string | undefined,
): string {
  return (
    `Rollback point: the backup ${code(backup.name)} of ${code(oldAddon ?? 'the old database')}, taken with every writer stopped: ` +
    `${code(backupInfoCommand(backup.name, backup.app))}.`
  )
}

const PHASE_WORDS = { prepare: 'prepare (app up)', switch: 'switch (window)', cleanup: 'cleanup (app up)' }

/** What an approver decides from: the estimate, the findings, the steps by phase, what moves and what stays. */
export function planSection(record: RunRecord): string {
  const plan = record.plan
  if (!plan || (record.status !== 'planned' && record.status !== 'failed') || record.windowOpenedAt) return ''
  if (plan.blockers.length > 0) return refusedPlanSection(record, plan)
  const noWindow = !plan.steps.some((step) => step.name === 'window-open')
  const parts = [planHeading(plan, noWindow)]
  parts.push(planStepsTable(record, plan, noWindow))
  const named = newDatabaseNote(record, plan)
  if (named) parts.push(named)
  if (plan.carriedOver.length > 0)
    parts.push(
      `**Carried over** (what the switch and the cleanup move or recreate):\n\n${plan.carriedOver.map((item) => `- ${prose(item)}`).join('\n')}`,
    )
  if (plan.staysBehind.length > 0)
    parts.push(
      `**Stays with the old database**:\n\n${plan.staysBehind.map((item) => `- ${prose(item)}`).join('\n')}`,
    )
  return parts.join('\n\n')
}

/** `### Plan`, then the target and the plan id, both of which the approver compares with the run's. */
function planHead(plan: PlanReport): string {
  return `### Plan\n\n${plan.target ? `Target: ${cell(plan.target)} · ` : ''}Plan id ${code(plan.id)}`
}

/** The heading of a plan that runs: with its estimated window, rounded as the steps' estimates add up to it. */
export function planHeading(plan: PlanReport, noWindow: boolean): string {
  const appUp = noWindow ? ' (no window: Heroku makes the change with the app up)' : ''
  return `${planHead(plan)} · estimated window: about **${formatEstimate(plan.estimatedDowntimeMs)}**${appUp}.`
}

/** The heading of a plan the preflight refused. `said`: its findings are all in the headline above. */
export function refusedPlanHeading(plan: PlanReport, said: boolean): string {
  const count = plan.blockers.length === 1 ? 'the blocking finding' : 'the blocking findings'
  const where = said ? ' (above)' : ''
  const are = plan.blockers.length === 1 ? 'is' : 'are'
  return `${planHead(plan)} · **refused**: no step runs until ${count}${where} ${are} fixed, so no steps or estimate are listed.`
}

/**
 * A plan the preflight refused runs no step: listing steps and an estimate for its target would describe an
 * upgrade that cannot happen. A finding the headline already says is not said again.
 */
function refusedPlanSection(record: RunRecord, plan: PlanReport): string {
  const unsaidBlockers = plan.blockers.filter((blocker) => !inHeadline(record, blocker))
  const lines = [refusedPlanHeading(plan, unsaidBlockers.length === 0)]
  if (unsaidBlockers.length > 0)
    lines.push(
      `**Blocking findings** (nothing will run until they are fixed):\n\n${unsaidBlockers.map((b) => `- ${prose(b)}`).join('\n')}`,
    )
  return lines.join('\n\n')
}

/** The headline quotes the error's first line: a finding that is that line is already said. */
function inHeadline(record: RunRecord, text: string): boolean {
  if (!record.error || record.status === 'planned') return false
  const first = scrubUrls(record.error).trim().split('\n', 1)[0] ?? ''
  return first.length <= HEADLINE_MAX_CHARS && sameText(first, text)
}

/**
 * Every step the run takes, numbered as its log numbers them: the preflight (this plan, done) is step 1. The
 * window's estimates add up to the estimated window; the others run with the app up.
 */
function planStepsTable(record: RunRecord, plan: PlanReport, noWindow: boolean): string {
  const preflight = record.steps.find((step) => step.name === 'preflight')
  const took = preflight && millisBetween(preflight.startedAt, preflight.endedAt)
  // The window's steps share the window as the plan's headline rounds it, so that they add up to it.
  const estimates = estimateSteps(record.method, plan.steps, roundEstimate(plan.estimatedDowntimeMs))
  const phaseWord = (phase: Phase): string =>
    phase === 'switch' && noWindow ? 'change (app up)' : PHASE_WORDS[phase]
  const rows = [
    [
      '1',
      PHASE_WORDS.prepare,
      'Preflight (read-only): what this plan is',
      took === undefined ? 'done' : `done in ${formatDuration(took)}`,
    ],
    ...plan.steps.map((step, index) => [
      String(index + 2),
      phaseWord(step.phase),
      cell(truncate(step.title, 200)),
      estimateText(estimates[index]),
    ]),
  ]
  return table(['#', 'Phase', 'Step', 'Estimate'], rows)
}

function estimateText(estimate: StepEstimate | undefined): string {
  if (!estimate) return '—'
  return estimate.inWindow ? `about ${formatDuration(roundPart(estimate.ms))}` : cell(estimate.note)
}

/**
 * A share of a rounded window: as roundEstimate rounds, except that from 5 minutes on it is kept to the
 * minute, so that the shares still add up to the window's estimate within a minute.
 */
function roundPart(ms: number): number {
  return ms < 5 * 60_000 ? roundEstimate(ms) : Math.round(ms / 60_000) * 60_000
}

/** A new database is named after the workflow run that creates it, which need not be the plan's. */
function newDatabaseNote(record: RunRecord, plan: PlanReport): string {
  if (record.method !== 'follower' && record.method !== 'copy' && record.method !== 'backup-restore')
    return ''
  const creates = plan.steps.find((step) => step.name === 'provision')
  if (!creates || !/, named /.test(creates.title)) return ''
  return (
    'The new database is named after the workflow run that creates it (`<app>-upgrade-<run id>`): the name above ' +
    'is the one a later job of this workflow run uses; another workflow run puts its own run id in it.'
  )
}
