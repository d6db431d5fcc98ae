// What the write fence says: why it is not used, why `fence: on` refuses, and how to lift the fence a
// database was left with.

/**
 * The SQL that lifts the fence, as a person types it in `heroku pg:psql`: the session first turns the
 * setting off for itself, then resets the database's default, whatever the database is called.
 */
export const LIFT_FENCE_SQL =
  "SET default_transaction_read_only = off; DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET default_transaction_read_only', current_database()); END $$;"

/** How a person lifts the fence from an add-on: what to run, and what to type in it. */
export function liftFenceHow(addon: string, app: string): string {
  return `run \`heroku pg:psql ${addon} -a ${app}\` and enter \`${LIFT_FENCE_SQL}\``
}

/** The first words of a summary whose serving database was left read-only. */
export function leftReadOnlyHeadline(app: string, addon: string, error: string): string {
  return `**${app}'s database ${addon} is read-only**: the write fence could not be lifted (${error}), so the app cannot write until it is: ${liftFenceHow(addon, app)}.`
}

/** Said in preflight when `fence: auto` finds that the fence cannot be used. */
export function fenceNotUsedNotice(oldName: string, why: string, space?: string): string {
  return [
    `The write fence is not used: ${oldName} ${why}${spaceNote(space)}.`,
    'Only the dyno watch guards the window: a writer Heroku does not list (a one-off dyno between two looks, a client outside Heroku) is not stopped.',
    'Set fence to on to require the fence, or to off to skip this check.',
  ].join(' ')
}

/** Parity found the new database short of what the old one holds: the promote does not happen. */
export function parityRefusal(target: string, old: string, problems: string[]): string {
  return `${target} does not hold what ${old} holds, so it is not promoted: ${problems.join('; ')}.`
}

/** Said in preflight when the database is read-only already (an earlier run's fence, or someone's). */
export function alreadyFencedNotice(oldName: string): string {
  return `${oldName} is read-only already (default_transaction_read_only is on for the database, as a write fence leaves it): the app cannot write to it now. This run lifts the fence from the database that serves at its end.`
}

/** `fence: on` and the fence cannot be used: refused before anything changes. */
export function fenceRefusal(oldName: string, why: string, space?: string): string {
  return `fence is "on", but the write fence cannot be used: ${oldName} ${why}${spaceNote(space)}. Allowed here: auto (the dyno watch alone when the fence cannot be used) or off; on needs a runner that reaches the database with the credential of its URL.`
}

function spaceNote(space: string | undefined): string {
  return space
    ? ` (the app runs in the Private Space ${space}, which GitHub-hosted runners cannot reach; a self-hosted runner inside it can)`
    : ''
}

/** window: read-only with a method that makes the database unreadable while it changes. */
export function readOnlyWindowMethodRefusal(method: string, oldName: string): string {
  return (
    `Input "window" is "read-only", but method ${method} makes ${oldName} unreadable while Heroku changes it, ` +
    'so web could serve nothing. Use a method that builds a new database (follower, copy or backup-restore), ' +
    'or window: maintenance.'
  )
}

/** window: read-only when the write fence cannot be used: nothing would stop web's writes. */
export function readOnlyWindowFenceRefusal(oldName: string, why: string, space?: string): string {
  return (
    `Input "window" is "read-only", which needs the write fence on ${oldName}, and it cannot be used: ` +
    `${oldName} ${why}${spaceNote(space)}. Without it web would keep writing to a database the app is leaving. ` +
    'Use window: maintenance.'
  )
}
