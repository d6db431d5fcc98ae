// The journal: the only writer of the run record. One method per fact a run learns or causes; each one
// writes the fact and saves the record before it returns, so that a run killed the next instant leaves a
// record that tells the truth to the post step, to a re-run and to the report. Steps read the record
// through `record` (read-only) and never write it themselves.
import type { AttachmentMove, IrreversibleChange, Phase, RunStatus, StepName } from '../domain/vocabulary'
import type {
  Conclusion,
  DatabaseSnapshot,
  EndState,
  Leftovers,
  MethodChoice,
  PlanReport,
  PreparedChange,
  RunRecord,
  StepRecord,
  SwitchOutcome,
} from './record'
import { settled, type AppBefore, type Compensation, type UndoKind } from './undo'

type VerifyVerdict = NonNullable<RunRecord['verifyCommand']>
type Transfer = NonNullable<RunRecord['transfers']>[number]

export class Journal {
  private current?: { entry: StepRecord; declared: readonly UndoKind[] }

  constructor(
    private readonly data: RunRecord,
    private readonly persist: (record: RunRecord) => void,
    private readonly now: () => number,
  ) {}

  /** The record as it stands, to read. */
  get record(): Readonly<RunRecord> {
    return this.data
  }

  private iso(at = this.now()): string {
    return new Date(at).toISOString()
  }

  /** Writes one fact and saves the record before returning: the only way anything reaches it. */
  private write(change: (record: RunRecord) => void): void {
    change(this.data)
    this.persist(this.data)
  }

  oldDatabaseRead(snapshot: DatabaseSnapshot): void {
    this.write((r) => (r.oldDatabase = snapshot))
  }

  methodChosen(choice: MethodChoice): void {
    this.write((r) => {
      r.method = choice.method
      r.choice = choice
    })
  }

  planned(plan: PlanReport): void {
    this.write((r) => (r.plan = plan))
  }

  leftoversFound(leftovers: Leftovers): void {
    this.write((r) => (r.leftovers = leftovers))
  }

  stepStarted(
    step: { name: StepName; phase: Phase; title: string },
    declared: readonly UndoKind[] = [],
  ): StepRecord {
    const entry: StepRecord = { ...step, startedAt: this.iso() }
    this.current = { entry, declared }
    this.write((r) => r.steps.push(entry))
    return entry
  }

  stepRetitled(entry: StepRecord, title: string): void {
    entry.title = title
  }

  stepDetailed(entry: StepRecord, detail: string): void {
    entry.detail = detail
  }

  stepEnded(entry: StepRecord, outcome: 'ok' | 'failed', detail?: string): void {
    if (this.current?.entry === entry) this.current = undefined
    this.write(() => {
      entry.outcome = outcome
      if (detail !== undefined) entry.detail = detail
      entry.endedAt = this.iso()
    })
  }

  warned(line: string): void {
    this.write((r) => r.warnings.push(line))
  }

  /**
   * Registers how to take back what the running step is changing, before anything else of the fact is
   * written. A step may register only the kinds it declares: anything else is a bug in the step, refused
   * before it can mislead a recovery.
   */
  private owe(compensation: Compensation, record: RunRecord): void {
    const current = this.current
    if (current && !current.declared.includes(compensation.kind))
      throw new Error(
        `Step "${current.entry.name}" registered the undo "${compensation.kind}", which it does not declare (it declares ${current.declared.join(', ') || 'none'}).`,
      )
    const step = current?.entry.name ?? record.steps.at(-1)?.name ?? 'preflight'
    record.undo = [...(record.undo ?? []), { ...compensation, step, owed: true }]
  }

  /** What was owed of this kind is owed no longer (the change became final, or was taken back). */
  private settle(record: RunRecord, kind: UndoKind): void {
    record.undo = settled(record.undo, kind)
  }

  holdTaken(attachment: string): void {
    this.write((r) => {
      this.owe({ kind: 'release-hold', attachment }, r)
      r.hold = { attachment }
    })
  }

  holdReleased(): void {
    this.write((r) => {
      if (r.hold) r.hold.released = true
      this.settle(r, 'release-hold')
    })
  }

  addonCreated(name: string): void {
    this.write((r) => (r.createdAddon = name))
  }

  addonFailed(): void {
    this.write((r) => (r.createdAddonFailed = true))
  }

  /** Heroku accepted upgrade/run or unfollow on the created follower: it no longer follows the old database. */
  addonDetached(): void {
    this.write((r) => (r.createdAddonDetached = true))
  }

  newDatabaseRead(snapshot: DatabaseSnapshot): void {
    this.write((r) => (r.newDatabase = snapshot))
  }

  transferStarted(transfer: Transfer): void {
    this.write((r) => (r.transfers = [...(r.transfers ?? []), transfer]))
  }

  backupCaptured(backup: NonNullable<RunRecord['backup']>): void {
    this.write((r) => (r.backup = backup))
  }

  changePrepared(change: PreparedChange): void {
    this.write((r) => (r.preparedChange = change))
  }

  preparedWindowRead(facts: Pick<PreparedChange, 'runsAt' | 'window' | 'moved'>): void {
    this.write((r) => {
      if (r.preparedChange) Object.assign(r.preparedChange, facts)
    })
  }

  /** Written before the request goes: from here until Heroku answers, only a look tells whether it started. */
  irreversibleSending(change: IrreversibleChange): void {
    this.write((r) => {
      this.owe({ kind: 'wait-out', change }, r)
      r.irreversibleSent = change
    })
  }

  irreversibleRefused(): void {
    this.write((r) => {
      delete r.irreversibleSent
      this.settle(r, 'wait-out')
    })
  }

  /** The change Heroku carried out ended: nothing is left to wait out before the app reopens. */
  irreversibleEnded(): void {
    this.write((r) => this.settle(r, 'wait-out'))
  }

  /** Heroku accepted it, or its effect was seen. */
  irreversibleAccepted(change: IrreversibleChange): void {
    this.write((r) => {
      r.irreversible = change
      delete r.irreversibleSent
    })
  }

  /** `readOnly`: window read-only, web kept serving reads while the fence refuses writes. */
  windowOpened(apps: AppBefore[], { readOnly = false }: { readOnly?: boolean } = {}): void {
    this.write((r) => {
      if (readOnly) r.readOnlyWindow = true
      this.owe({ kind: 'close-window', apps }, r)
      const [own, ...others] = apps
      if (own) {
        r.formationBefore = own.formationBefore
        r.maintenanceBefore = own.maintenanceBefore
      }
      if (others.length > 0) r.otherApps = others
      r.windowOpenedAt = this.iso()
    })
  }

  /** Heroku's time when the window's scale-downs were answered: the stopped dynos' grace counts from there. */
  writersStopped(at: number): void {
    this.write((r) => (r.writersStoppedAt = this.iso(at)))
  }

  windowClosed(): void {
    this.write((r) => {
      r.windowClosedAt = this.iso()
      this.settle(r, 'close-window')
      // The serving database had its fence lifted before the app reopened; the one left behind keeps its. A
      // lift that failed stays owed, for the post step to try again.
      if (!r.fence?.liftFailed) this.settle(r, 'lift-fence')
    })
  }

  /** Written before the fence goes up: from here the recovery lifts it from whichever database serves. */
  fenceRaising(app: string, attachment: string): void {
    this.write((r) => {
      this.owe({ kind: 'lift-fence', app, attachment }, r)
      r.fence = r.fence ?? { lifted: [] }
    })
  }

  fenceRaised(addon: string): void {
    this.write((r) => {
      r.fence = { ...(r.fence ?? { lifted: [] }), raisedOn: addon }
    })
  }

  /** The fence is off the add-on's database, confirmed from a fresh session. */
  fenceLifted(addon: string): void {
    this.write((r) => {
      const fence = r.fence ?? { lifted: [] }
      r.fence = { ...fence, lifted: [...fence.lifted, addon], liftFailed: undefined }
    })
  }

  fenceLiftFailed(addon: string, error: string): void {
    this.write((r) => {
      r.fence = { ...(r.fence ?? { lifted: [] }), liftFailed: { addon, error } }
    })
  }

  /** The recovery lifted the fence from the database that serves: nothing of it is owed any more. */
  fenceSettled(): void {
    this.write((r) => this.settle(r, 'lift-fence'))
  }

  /** Written before the first attachment moves. */
  movesRequested(moves: AttachmentMove[], untilVerified: boolean): void {
    this.write((r) => {
      this.owe({ kind: 'undo-switch', moves, untilVerified }, r)
      r.moves = moves
    })
  }

  /** The releases said where the dynos are. A switch that is live for good, or reverted, is owed no longer. */
  switchSettled(outcome: SwitchOutcome, detail: string): void {
    this.write((r) => {
      r.switchOutcome = outcome
      r.switchDetail = detail
      const waitsForCheck = (r.undo ?? []).some(
        (entry) => entry.kind === 'undo-switch' && entry.owed && entry.untilVerified,
      )
      if (outcome === 'reverted' || (outcome === 'live' && !waitsForCheck)) this.settle(r, 'undo-switch')
    })
  }

  switchDescribed(detail: string): void {
    this.write((r) => (r.switchDetail = detail))
  }

  verifyStarted(): void {
    this.write((r) => (r.verifyCommand = { verdict: 'running', durationMs: 0 }))
  }

  /** verify-command's verdict: once it passed, the switch is final. */
  verifyEnded(verdict: VerifyVerdict): void {
    this.write((r) => {
      r.verifyCommand = verdict
      if (verdict.verdict === 'passed' && r.switchOutcome === 'live') this.settle(r, 'undo-switch')
    })
  }

  /** What the carry-over did and left; what stays behind no longer lists what the switch moved. */
  carriedOver(result: { done: string[]; left: string[] }, leftovers?: Leftovers): void {
    this.write((r) => {
      r.carriedOver = result
      if (leftovers) r.leftovers = leftovers
    })
  }

  failedWith(error: string): void {
    this.write((r) => (r.error = error))
  }

  endStateRead(state: EndState): void {
    this.write((r) => (r.endState = state))
  }

  concluded(conclusion: Conclusion): void {
    this.write((r) => {
      r.status = conclusion.status
      if (conclusion.nextSteps.length > 0) r.nextSteps = [...(r.nextSteps ?? []), ...conclusion.nextSteps]
      r.warnings.push(...conclusion.warnings)
    })
  }

  ended(status?: RunStatus): void {
    this.write((r) => {
      if (status) r.status = status
      r.endedAt = this.iso()
    })
  }

  issueOpened(url: string): void {
    this.write((r) => (r.issueUrl = url))
  }
}
