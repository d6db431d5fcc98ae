// "Where things stand" in the job summary of a run that did not finish: which database DATABASE_URL points
// at, the state the app was left in, the error's details and what to do next. Pure functions of the record.
import { isPromoted, type RunRecord } from '../record/record'
import { code, fencedBlock, formatClock, prose, truncate } from './format'
import { shortPlan } from '../domain/tier'
import { scaleArguments } from '../domain/formation'
import {
  destroyCommand,
  maintenanceOffCommand,
  pgInfoCommand,
  promoteCommand,
  scaleCommand,
} from '../domain/remedies'
import { newAddonName } from './leftovers'
import { leftForHeroku, leftForHerokuText } from '../record/left-for-heroku'
import { errorDetails, sameText, versionAndPlan } from './summary-headline'
import { oldDatabaseFenced, planChangedInPlace, upgradedInPlace } from '../record/queries'

export function whereThingsStandSection(record: RunRecord): string {
  if (['succeeded', 'skipped', 'planned', 'prepared'].includes(record.status)) return ''
  const lines = [databaseLine(record)]
  if (!isPromoted(record) && record.createdAddon)
    lines.push(
      record.createdAddonFailed
        ? `- The database this run asked for, ${code(record.createdAddon)}, never came up (Heroku ended it deprovisioned).`
        : `- The database this run created, ${code(record.createdAddon)}, was left in place.`,
    )
  lines.push(...appStateLines(record))

  // The orchestrator's next steps know the exact situation; the generic advice is for when it gave none.
  const told = unsaid(record, record.nextSteps ?? []).map((step) => `- ${prose(step)}`)
  const remedy = refusalRemedy(record)
  const next = [...remedy, ...(told.length > 0 || remedy.length > 0 ? told : genericNextSteps(record))]

  const details = errorDetailsSection(record)
  return `### Where things stand\n\n${lines.join('\n')}${details}\n\n**What to do next**\n\n${next.join('\n')}`
}

/** Which database DATABASE_URL points at, and how sure the run is of it. */
function databaseLine(record: RunRecord): string {
  // Before preflight read it, the old database has no name to give: it is then "the app's database".
  const oldAddon = record.oldDatabase?.addonName
  const old = oldAddon ? code(oldAddon) : `${record.app}'s database`
  const newAddon = newAddonName(record)
  const end = record.endState
  if (isPromoted(record))
    return `- DATABASE_URL points at the **new** database ${code(newAddon)}, and the release that attached it succeeded, so the dynos use it; the old one ${old} still exists, untouched since the switch${oldDatabaseFenced(record) ? ' and read-only (the write fence stays on it)' : ''}.`
  if (record.switchOutcome === 'reverted') return revertedLine(record, old)
  if (record.moves?.length)
    return `- **Unconfirmed**: the switch to ${code(newAddon)} was sent, but the releases did not show which database the dynos use. ${prose(record.switchDetail ?? '')}`.trimEnd()
  if (end && (end.underWay || upgradedInPlace(record) || planChangedInPlace(record)))
    return end.underWay
      ? `- DATABASE_URL points at ${code(end.serving.name)}, which has ${end.underWay}: Heroku finishes it on its own.`
      : `- DATABASE_URL points at ${code(end.serving.name)}, changed in place: now PG ${end.version} on ${shortPlan(end.plan)} (was ${versionAndPlan(record.oldDatabase)}).`
  if (record.irreversibleSent)
    return `- DATABASE_URL points at ${old}; whether Heroku received ${record.irreversibleSent.what} is unknown.`
  if (record.oldDatabase)
    return `- DATABASE_URL still points at the **old** database ${old}; its data was not changed.`
  return `- Nothing was changed: the run stopped before it read ${old}.`
}

/** The switch undone before the app reopened: said with why it was undone. `old`: the old database, as code. */
export function revertedLine(record: RunRecord, old: string): string {
  const verdict = record.verifyCommand?.verdict
  const why =
    record.verifyCommand && verdict !== 'passed'
      ? `verify-command ${verdict === 'timed-out' ? 'timed out' : 'failed'}, so the switch was undone`
      : 'the switch did not reach the dynos and was undone'
  return `- DATABASE_URL points at the **old** database ${old} again: ${why} before the app reopened, so no write was lost.`
}

/**
 * The error is said once: its first line in the headline, the rest here, unless the plan's blocking findings
 * already list it. Lines that name a command read as prose with the command as code; anything else (a stack,
 * an API answer) stays verbatim in a block.
 */
function errorDetailsSection(record: RunRecord): string {
  if (!record.error) return ''
  const details = errorDetails(record.error)
  if (!details) return ''
  const listed = record.plan?.blockers ?? []
  const lines = details.split('\n').map((line) => line.replace(/^\s*-\s*/, '').trim())
  if (lines.every((line) => line.length === 0 || listed.some((blocker) => sameText(blocker, line)))) return ''
  const bullets = details.split('\n').every((line) => /^\s*-\s/.test(line) || line.trim() === '')
  const body = bullets
    ? lines
        .filter((line) => line.length > 0)
        .map((line) => `- ${prose(line)}`)
        .join('\n')
    : fencedBlock(truncate(details, 8000))
  return `\n\n**Details**\n\n${body}`
}

/**
 * The run's next steps less what the report already says in full elsewhere: what is left for Heroku, and the
 * old database still being DATABASE_URL, which "Where things stand" says first and which is no thing to do.
 */
function unsaid(record: RunRecord, steps: string[]): string[] {
  const prepared = leftForHeroku(record)
  const said = prepared ? [leftForHerokuText(record, prepared)] : []
  const old = record.oldDatabase?.addonName
  if (old) said.push(`${old} is still the primary database (DATABASE_URL); it was not changed.`)
  const left = steps.filter((step) => !said.some((text) => sameText(text, step)))
  return left.length > 0 || !prepared ? left : steps
}

/**
 * What to change when the preflight refused: the value a refused input may take (its finding names them),
 * or what each finding says. The run changed nothing, so there is nothing to undo or resume.
 */
function refusalRemedy(record: RunRecord): string[] {
  const blockers = record.plan?.blockers ?? []
  if (blockers.length === 0 || record.windowOpenedAt || record.createdAddon) return []
  const inputs = blockers.flatMap((blocker) => {
    const match = /^Input "([\w-]+)" .*Allowed: (.+?)\.?$/.exec(blocker)
    const [, input, allowed] = match ?? []
    return input && allowed
      ? [`- Set the input ${code(input)} to ${allowedWords(allowed)}, then run the workflow again.`]
      : []
  })
  const others = blockers.length - inputs.length
  if (others > 0)
    inputs.push(
      `- Do what ${others === 1 && inputs.length === 0 ? 'the blocking finding' : 'each other blocking finding'} above says, then run the workflow again.`,
    )
  return [...inputs, '- This run changed nothing, so there is nothing to undo or resume.']
}

/** `15, 16, 17, 18` → `one of 15, 16, 17 or 18`; any other wording as it is. */
function allowedWords(allowed: string): string {
  const values = allowed.split(/,\s*/)
  const last = values.at(-1)
  if (last === undefined || values.length < 2 || values.some((value) => !/^[\w.-]+$/.test(value)))
    return allowed
  return `one of ${values.slice(0, -1).map(code).join(', ')} or ${code(last)}`
}

function genericNextSteps(record: RunRecord): string[] {
  const app = record.app
  const oldAddon = record.oldDatabase?.addonName
  if (!record.oldDatabase && !record.createdAddon)
    return [
      '- Fix what the error names, then run the workflow again: this run changed nothing, so nothing is left to resume.',
    ]
  if (!isPromoted(record)) {
    const next = [
      '- To retry, re-run the workflow with the same inputs: the action finds what this run created and carries on from there; it never creates a second database.',
    ]
    if (record.createdAddon) {
      next.push(
        `- To give up instead, destroy the database this run created: ${code(destroyCommand(record.createdAddon, app, '--app'))}`,
      )
    }
    return next
  }
  if (!oldAddon) return ['- Check the app, then re-run the workflow.']
  return [
    `- To finish, check the app on the new database (${code(pgInfoCommand(app, '--app', 'DATABASE'))}), then re-run the workflow or complete the remaining steps by hand.`,
    `- To roll back, promote the old database again: ${code(promoteCommand(oldAddon, app, '--app'))}. Writes made to the new database since the switch are not on the old one.`,
  ]
}

function appStateLines(record: RunRecord): string[] {
  const app = record.app
  if (!record.windowOpenedAt) return [`- ${app} was never put into maintenance; its dynos were not touched.`]
  if (record.windowClosedAt) {
    return [
      `- Maintenance mode and the formation were restored as they were at ${formatClock(record.windowClosedAt)}.`,
    ]
  }
  const unconfirmed = record.switchOutcome === 'stuck' || (record.moves?.length && !record.switchOutcome)
  const lines = [
    unconfirmed
      ? `- ${app} was **left in maintenance with its dynos scaled down on purpose**: reopening it before the releases agree with DATABASE could send writes to a database that is not DATABASE.`
      : `- ${app} may still be in maintenance mode with dynos scaled down. The post step tries to restore them; check with ${code(`heroku ps --app ${app}`)}.`,
  ]
  if (record.formationBefore?.length) {
    lines.push(
      `- The formation before the window was ${code(scaleArguments(record.formationBefore))}; restore it with ${code(scaleCommand(record.formationBefore, app, '--app'))}.`,
    )
  }
  if (record.maintenanceBefore === false) {
    lines.push(`- Maintenance was off before the run: ${code(maintenanceOffCommand(app, '--app'))}.`)
  }
  return lines
}
