// What stays behind on the old database after a changeover, each with the command that handles it.
// The job summary shows these as warnings, the follow-up issue as checklist items.

import type { RunRecord } from '../record/record'
import { code } from './format'
import { destroyCommand, detachCommand } from '../domain/remedies'

export interface LeftoverItem {
  /** One sentence: what stays behind and why it matters. */
  problem: string
  /** The command (or commands) that fix it, if there is one. */
  commands: string[]
}

export function newAddonName(record: RunRecord): string {
  return record.newDatabase?.addonName ?? record.createdAddon ?? 'the new database'
}

export function leftoverItems(record: RunRecord): LeftoverItem[] {
  const leftovers = record.leftovers
  const oldAddon = record.oldDatabase?.addonName
  if (!leftovers || !oldAddon) return []
  const app = record.app
  const newAddon = newAddonName(record)
  const items: LeftoverItem[] = []

  for (const attachment of leftovers.otherAppAttachments) {
    const [otherApp, name] = attachment.includes('::') ? attachment.split('::', 2) : [attachment, 'DATABASE']
    items.push({
      problem: `${code(attachment)} on app ${code(otherApp ?? '')} still points at the old database ${code(oldAddon)}.`,
      commands: [`heroku addons:attach ${newAddon} --app ${otherApp} --as ${name} --confirm ${otherApp}`],
    })
  }
  for (const pooler of leftovers.nonDefaultPoolers) {
    items.push({
      problem: `The connection pooler attachment ${code(pooler)} still points at the old database (only the default pooler moves with a promote).`,
      commands: [
        detachCommand(pooler, app, '--app'),
        `heroku pg:connection-pooling:attach ${newAddon} --as ${pooler} --app ${app}`,
      ],
    })
  }
  for (const credential of leftovers.credentials) {
    items.push({
      problem: `The credential ${code(credential)} exists only on the old database; whoever uses it still reads and writes the old data.`,
      commands: [
        `heroku pg:credentials:create ${newAddon} --name ${credential} --app ${app}`,
        `heroku addons:attach ${newAddon} --credential ${credential} --app ${app}`,
      ],
    })
  }
  const followerPlan = record.newDatabase?.plan ?? record.oldDatabase?.plan ?? 'heroku-postgresql:standard-0'
  for (const follower of leftovers.followers) {
    items.push({
      problem: followerLeftProblem(follower),
      commands: [
        `heroku addons:create ${followerPlan} --follow ${newAddon} --app ${app}`,
        destroyCommand(follower, app, '--app'),
      ],
    })
  }
  if (leftovers.backupSchedule) {
    items.push({
      problem: `The backup schedule stays with the old database ${code(oldAddon)} (schedules belong to the database, not to DATABASE_URL): the new one has none. Schedule it at the same time as the old one.`,
      commands: [
        `heroku pg:backups:schedules --app ${app}`,
        `heroku pg:backups:schedule ${newAddon} --at '02:00 UTC' --app ${app}`,
        `heroku pg:backups:unschedule ${oldAddon} --app ${app}`,
      ],
    })
  }
  return items
}

/** A follower of the old database: the new one needs its own, which Heroku may refuse for a while. */
export function followerLeftProblem(follower: string): string {
  return [
    `The follower ${code(follower)} still follows the old database.`,
    'Recreate it on the new one, on the plan it needs (Heroku may refuse followers of a freshly forked database for a while),',
    'then destroy the old follower.',
  ].join(' ')
}
