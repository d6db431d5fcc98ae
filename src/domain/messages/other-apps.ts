// What the preflight and the window say about the other apps attached to the database: the writers they run,
// and whether the window can stop them and move them with the database.
import { describeFormation, type FormationText } from '../formation'

/** An app that writes to the database from where the new one cannot be reached. */
export function unreachableWriterRefusal(other: {
  app: string
  running: readonly FormationText[]
  oldName: string
  attachments: readonly string[]
  space?: string | null
  targetPlan: string
}): string {
  const where = other.space ? `in the Private Space ${other.space}` : 'outside the Private Space'
  return [
    `${other.app} runs dynos (${describeFormation(other.running)}) attached to ${other.oldName} as ${other.attachments.join(', ')},`,
    `but it is ${where} and could not reach the new ${other.targetPlan} database: it would keep writing to the old one.`,
    'Scale it to zero or detach it before the upgrade.',
  ].join(' ')
}

/** Attachments through a credential of the old database, which the switch cannot move. */
export function credentialAttachmentsRefusal(
  oldName: string,
  attachments: ReadonlyArray<{ app: string; name: string; namespace?: string | null }>,
): string {
  const named = attachments.map((a) => `${a.app}::${a.name} (${a.namespace})`).join(', ')
  return [
    `${oldName} is attached to other apps through credentials that the new database would not have: ${named}.`,
    'Those apps would keep writing to the old database.',
    'Detach them (heroku addons:detach) or move them by hand before the upgrade.',
  ].join(' ')
}

/** An attached app the API key cannot stop. */
export function unmanageableAppRefusal(oldName: string, app: string, why: string): string {
  return [
    `${oldName} is also attached to ${app}, which this API key cannot manage (${why}): its dynos would keep writing to the old database.`,
    `Give the key access to ${app}, or detach ${oldName} from it.`,
  ].join(' ')
}

/** Said in preflight of each other app the window stops with the app. */
export function alsoStoppedNote(other: {
  app: string
  oldName: string
  attachments: readonly string[]
  windowApp: string
  formation: readonly FormationText[]
  moved: boolean
}): string {
  const moved = other.moved ? ' and moved to the new database with it' : ''
  return (
    `${other.app} is also attached to ${other.oldName} (${other.attachments.join(', ')}): ` +
    `it is stopped during the window like ${other.windowApp} (${describeFormation(other.formation)})${moved}.`
  )
}

/** An app that cannot follow the database into its Private Space. */
export function staysAttachedWarning(other: {
  app: string
  oldName: string
  attachments: readonly string[]
  space?: string | null
  owner: boolean
}): string {
  const sentences = [
    `${other.app} stays attached to the old database ${other.oldName} (as ${other.attachments.join(', ')}): it cannot reach a database in ${other.space ?? 'the Private Space'}.`,
  ]
  if (other.owner) sentences.push(`It owns ${other.oldName}, which stays billed to it until you destroy it.`)
  return sentences.join(' ')
}
