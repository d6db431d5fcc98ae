// What the action says of the databases it creates and carries over to.
import { formatEstimate } from '../duration'

const GIB = 1024 ** 3

/** A copy or backup-restore of a database Heroku advises against moving that way. */
export function largeTransferWarning(transfer: {
  database: string
  sizeBytes: number
  method: string
  downtimeMs: number
  /** The method that keeps the window short for this database. */
  shorter: string
}): string {
  return [
    `${transfer.database} holds ${(transfer.sizeBytes / GIB).toFixed(1)} GB: Heroku advises ${transfer.method} only under 10 GB.`,
    `The app would be down for about ${formatEstimate(transfer.downtimeMs)} while the data goes over; method ${transfer.shorter} keeps the window short.`,
  ].join(' ')
}

/** The provision step's title. `version` undefined: the newest PG Heroku supports. */
export function creatingDatabaseTitle(created: {
  plan: string
  version?: string | number
  name: string
}): string {
  const version = created.version === undefined ? 'the newest PG Heroku supports' : `PG ${created.version}`
  return `Creating a new database on ${created.plan}, ${version}, named ${created.name} (app still up)`
}

/** A credential recreated on the new database: it has a new password, and its users a new URL. */
export function credentialRecreatedWarning(credential: {
  name: string
  database: string
  app: string
}): string {
  const { name, database, app } = credential
  return [
    `The credential ${name} was recreated on ${database} with a new password:`,
    `whoever used it must take the new URL (heroku pg:credentials:url ${database} --name ${name} -a ${app}).`,
  ].join(' ')
}

/** An attachment through a recreated credential, left on the old database: the command that moves it. */
export function credentialAttachmentLeftNote(left: {
  attachment: string
  credential: string
  database: string
  app: string
}): string {
  const { attachment, credential, app } = left
  return (
    `${attachment} (credential ${credential}) still points at the old database: ` +
    `heroku addons:attach ${left.database} --credential ${credential} --as ${attachment} -a ${app} --confirm ${app}`
  )
}
