// Undo as data. A step that changes something registers here how to take it back, the moment it changes
// it; the recovery (in the main step and in the post step) replays what is still owed, newest first. A step
// declares the kinds it may register, and the journal refuses any other: what a step declares is what the
// recovery will do.
import type { AttachmentMove, IrreversibleChange, OtherAppBefore, StepName } from '../domain/vocabulary'

/** An app the window covers, as it was before: what closing the window puts back. */
export type AppBefore = OtherAppBefore

export type Compensation =
  /** Put every app of the window back as it was: formation first, then maintenance once web is up. */
  | { kind: 'close-window'; apps: AppBefore[] }
  /**
   * Find out where the dynos are; move every attachment back to the old database unless the switch was
   * confirmed for good (its releases succeeded and, when one runs, verify-command passed).
   */
  | { kind: 'undo-switch'; moves: AttachmentMove[]; untilVerified: boolean }
  /** No undo exists: Heroku finishes it on its own. The app stays down until it ended, then reopens. */
  | { kind: 'wait-out'; change: IrreversibleChange }
  /**
   * Lift the write fence from the database the attachment names when the recovery gets there (after any switch
   * was settled or undone): the one that serves. The database the app left behind keeps its fence.
   */
  | { kind: 'lift-fence'; app: string; attachment: string }
  /** Detach the hold attachment, once nothing is left that another run could collide with. */
  | { kind: 'release-hold'; attachment: string }

export type UndoKind = Compensation['kind']

/** A registered compensation: `owed` until the change it takes back became final or was taken back. */
export type UndoEntry = Compensation & { step: StepName; owed: boolean }

/** What is still owed, newest first: the order the recovery replays it in. */
export function owedNewestFirst(entries: readonly UndoEntry[] | undefined): UndoEntry[] {
  return [...(entries ?? [])].filter((entry) => entry.owed).reverse()
}

export function owed<K extends UndoKind>(
  entries: readonly UndoEntry[] | undefined,
  kind: K,
): Array<Extract<UndoEntry, { kind: K }>> {
  return (entries ?? []).filter(
    (entry): entry is Extract<UndoEntry, { kind: K }> => entry.kind === kind && entry.owed,
  )
}

/** The entries, with those of `kind` owed no longer. */
export function settled(entries: readonly UndoEntry[] | undefined, kind: UndoKind): UndoEntry[] {
  return (entries ?? []).map((entry) => (entry.kind === kind ? { ...entry, owed: false } : entry))
}
