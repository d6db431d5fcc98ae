// The preflight's judgement of the facts, shared by every method, pure: what the target is, what makes
// any upgrade of this database unsafe, and what a person should hear before anything changes.
import { runOfHold, runUrl } from '../domain/identity'
import type { Settings } from '../inputs/settings'
import { typesLeftRunning } from '../domain/formation'
import { heldByAnotherRunRefusal, heldInPlaceRefusal } from '../domain/messages/holds'
import {
  alsoStoppedNote,
  credentialAttachmentsRefusal,
  unmanageableAppRefusal,
  unreachableWriterRefusal,
} from '../domain/messages/other-apps'
import { leftRunningWarning, oneOffDynosWarning } from '../domain/messages/window'
import type { Inspection, OtherApp } from '../inspect/types'
import { isMovable } from '../inspect/attachments'

/**
 * The majors Heroku offers as upgrade targets when this version of the action was released. Heroku has
 * no endpoint that lists them, and refusing an unsupported target here keeps the failure out of the
 * maintenance window.
 */
export const SUPPORTED_MAJORS = [15, 16, 17, 18] as const
/** Used when the `version` input is empty. */
export const NEWEST_KNOWN_MAJOR = Math.max(...SUPPORTED_MAJORS)

export interface Target {
  targetPlan: string
  targetVersion?: string
  versionChanges: boolean
  planChanges: boolean
}

export function decideTarget(facts: Inspection, settings: Readonly<Settings>, blockers: string[]): Target {
  const { old } = facts
  const targetPlan = settings.plan ?? old.plan
  const planChanges = targetPlan !== old.plan && targetPlan.split(':').pop() !== old.plan.split(':').pop()
  const requested = settings.version
  let versionChanges = true
  if (requested !== undefined) {
    const target = Number(requested)
    if (target < old.major)
      blockers.push(
        `Input "version" is "${requested}", which is older than ${old.name}'s current version ${old.version}: Postgres cannot go back a major version. Allowed: ${newerMajors(old.major)}.`,
      )
    else if (target === old.major) versionChanges = false
    else if (!(SUPPORTED_MAJORS as readonly number[]).includes(target))
      blockers.push(
        `Input "version" is "${requested}", which Heroku does not offer as an upgrade target. Allowed: ${newerMajors(old.major)}.`,
      )
  } else if (settings.keepVersion || old.major >= NEWEST_KNOWN_MAJOR) versionChanges = false
  return {
    targetPlan: planChanges ? targetPlan : old.plan,
    targetVersion: versionChanges ? requested : undefined,
    versionChanges,
    planChanges,
  }
}

/** The upgrade targets Heroku offers above `major`, for a message that names what is allowed. */
function newerMajors(major: number): string {
  const newer = SUPPORTED_MAJORS.filter((version) => version > major)
  return newer.length > 0
    ? newer.join(', ')
    : `${major} only (the newest Heroku offers: the version stays, the plan may change)`
}

const needsSpace = (plan: string): boolean => /^(heroku-postgresql:)?(private|shield)-/.test(plan)

const running = (other: OtherApp): boolean => (other.formation ?? []).some((e) => e.quantity > 0)

/**
 * The other apps the switch moves with the app. A database inside a Private Space is reachable only from
 * apps in that space: an app outside it stays on the old database, which is safe only while none of its
 * dynos run (it is stopped in the window like the others, and refused when it has any).
 */
export function appsToMove(facts: Inspection, target: Target): { move: string[]; stay: OtherApp[] } {
  const reachable = (other: OtherApp): boolean =>
    !needsSpace(target.targetPlan) || (other.space ?? null) === (facts.app.space?.name ?? null)
  const usable = facts.otherApps.filter((other) => !other.unreachable)
  return {
    move: usable.filter(reachable).map((other) => other.name),
    stay: usable.filter((other) => !reachable(other)),
  }
}

export function unreachableWriters(facts: Inspection, target: Target): string[] {
  return appsToMove(facts, target)
    .stay.filter(running)
    .map((other) =>
      unreachableWriterRefusal({
        app: other.name,
        running: (other.formation ?? []).filter((e) => e.quantity > 0),
        oldName: facts.old.name,
        attachments: other.attachments,
        space: other.space,
        targetPlan: target.targetPlan,
      }),
    )
}

/** What makes any method unsafe on this database. */
export function commonBlockers(facts: Inspection, settings: Readonly<Settings>): string[] {
  const blockers: string[] = []
  const { old, app } = facts
  if (settings.scaleDown.kind === 'list') {
    const unknown = settings.scaleDown.types.filter((type) => !facts.formation.some((e) => e.type === type))
    if (unknown.length > 0)
      blockers.push(
        `Input "scale-down" names process types that app ${settings.app} does not have: ${unknown.join(', ')}. Allowed: all, none, or some of ${facts.formation.map((e) => e.type).join(', ') || '(no process types)'}.`,
      )
  }
  const primary = facts.appAttachments.find((a) => a.name === 'DATABASE' && !a.namespace)
  if (primary?.addon.id !== old.id)
    blockers.push(
      primary
        ? `Input "database" is "${settings.database}", which is ${old.name}, but the app's DATABASE is ${primary.addon.name}. This action upgrades the app's own DATABASE: set database to DATABASE_URL.`
        : `Input "database" is "${settings.database}", which is ${old.name}, but ${app.name} has no DATABASE attachment. This action upgrades an app's own DATABASE: set "app" to the app whose DATABASE_URL it is.`,
    )
  const fixed = facts.databaseAttachments.filter((a) => a.app.name !== settings.app && !isMovable(a))
  if (fixed.length > 0)
    blockers.push(
      credentialAttachmentsRefusal(
        old.name,
        fixed.map((a) => ({ app: a.app.name, name: a.name, namespace: a.namespace })),
      ),
    )
  for (const other of facts.otherApps)
    if (other.unreachable) blockers.push(unmanageableAppRefusal(old.name, other.name, other.unreachable))
  return blockers
}

/** Said before anything changes: the apps the window also stops, and writers it leaves running. */
export function writerNotes(
  facts: Inspection,
  settings: Readonly<Settings>,
  stopped: string[],
  movesDatabase: boolean,
): { logs: string[]; warnings: string[] } {
  const logs = facts.otherApps.flatMap(({ name, formation, attachments }) => {
    if (!formation || !stopped.includes(name)) return []
    const note = alsoStoppedNote({
      app: name,
      oldName: facts.old.name,
      attachments,
      windowApp: settings.app,
      formation,
      moved: movesDatabase,
    })
    return [`  ${note}`]
  })
  const warnings: string[] = []
  const left = typesLeftRunning(facts.formation, settings.scaleDown)
  if (left.length > 0) warnings.push(leftRunningWarning(left, settings.lagTimeoutMs))
  const oneOffs = facts.dynos.filter(
    (d) => d.type !== 'release' && !facts.formation.some((e) => e.type === d.type),
  )
  if (oneOffs.length > 0)
    warnings.push(
      oneOffDynosWarning(
        oneOffs.map((d) => d.name),
        settings.lagTimeoutMs,
      ),
    )
  return { logs, warnings }
}

/** Refusal when another workflow run holds the database, with how to clear a hold left by a crashed run. */
export function heldByAnotherRun(
  addonName: string,
  attachment: string,
  oldName: string,
  app: string,
): string {
  const run = runOfHold(addonName)
  const url = run && runUrl(run)
  const holder =
    run === undefined
      ? `an add-on named ${addonName} that this action did not name`
      : run === 'local'
        ? 'a run outside GitHub Actions'
        : `workflow run ${run}${url ? ` (${url})` : ''}`
  return heldByAnotherRunRefusal({ oldName, holder, addon: addonName, attachment, app })
}

/** Refusal when an in-place or plan-change run holds the database (its hold is on the database itself). */
export function heldInPlace(attachment: string, oldName: string, app: string): string {
  return heldInPlaceRefusal(attachment, oldName, app)
}
