// What the action says when a check after the switch fails: the release that should carry the new
// credentials, or verify-command when nothing moved and so nothing can be put back.

/** The release after a plan change's changeover failed: the dynos may not have the rotated credentials. */
export function credentialsReleaseFailedMessage(release: {
  version: number
  app: string
  description: string
}): string {
  const { app } = release
  return [
    `Release v${release.version} of ${app} (${release.description}) failed after the changeover: the dynos may still hold the old credentials.`,
    `Check heroku releases -a ${app}, then heroku ps:restart -a ${app}.`,
  ].join(' ')
}

/**
 * verify-command failed in a run that moved no attachment. `why`: how it failed; `irreversible`: what the run
 * already did that cannot be undone (an in-place upgrade), if anything.
 */
export function verifyFailedNothingMovedMessage(failed: { why: string; irreversible?: string }): string {
  const reopens = failed.irreversible
    ? `${failed.irreversible} cannot be undone, and the app reopens on it`
    : 'the app reopens as it was'
  return `${failed.why}. Nothing moved in this run, so there is no switch to undo: ${reopens}.`
}
