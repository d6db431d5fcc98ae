// Refusals about the hold: the attachment that marks the database as taken by a run of this action, so
// that two runs never upgrade it at once.
import { destroyCommand, detachCommand } from '../remedies'

/**
 * Another workflow run holds the database with the follower (or copy target) it made. `holder` names that
 * run ("workflow run 123 (url)"), which only the caller can tell from the environment.
 */
export function heldByAnotherRunRefusal(hold: {
  oldName: string
  holder: string
  addon: string
  attachment: string
  app: string
}): string {
  return [
    `${hold.oldName} is held by ${hold.holder}: its follower ${hold.addon} is attached as ${hold.attachment}.`,
    'Two runs at once would take the app down twice and lose writes, so this run changes nothing.',
    'If that run is still going, let it finish.',
    `If it crashed, re-run that same workflow run to resume it, or release the hold with ${destroyCommand(hold.addon, hold.app)}.`,
  ].join(' ')
}

/** An in-place or plan-change run holds the database: its hold is attached to the database itself. */
export function heldInPlaceRefusal(attachment: string, oldName: string, app: string): string {
  return [
    `${oldName} is held by an in-place or plan-change run of this action: ${attachment} is attached to the database itself.`,
    'Two runs at once would take the app down twice, so this run changes nothing.',
    'If that run is still going (or left a prepared upgrade or plan change for phase switch), let it finish.',
    `If it crashed, release the hold with ${detachCommand(attachment, app)}.`,
  ].join(' ')
}

/** A follower an earlier run made that stopped following: it lacks the writes made since. */
export function staleFollowerRefusal(left: {
  addon: string
  attachment: string
  oldName: string
  app: string
}): string {
  return [
    `An earlier run left ${left.addon} (${left.attachment}), which no longer follows ${left.oldName} (an upgrade or unfollow had started), so writes made since then are not in it.`,
    `Remove it with ${destroyCommand(left.addon, left.app)} and re-run.`,
  ].join(' ')
}
