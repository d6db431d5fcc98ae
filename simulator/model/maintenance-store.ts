/**
 * Where the world keeps data maintenances (`world.maintenances`): for each add-on, the window set through the
 * API (if any) and every maintenance it had, oldest first. Holds state only; maintenances.ts drives it.
 */
import type { WeeklyWindow } from '../scenario/file/weekly-window.js'

/** The statuses the CLI knows (lib/data/types MaintenanceStatus); `none` is only ever answered, never stored. */
export type MaintenanceStatus = 'pending' | 'preparing' | 'ready' | 'running' | 'completed'

export interface Maintenance {
  uuid: string
  addonId: string
  /** What the changeover does; only plan changes (`addons:upgrade`) are modelled. */
  reason: string
  method: string
  fromPlan: string
  targetPlan: string
  status: MaintenanceStatus
  createdAt: number
  /** When the replacement is prepared (status goes from `preparing` to `ready`). */
  readyAt: number
  /** The window start it will run at by itself; null while preparing. */
  scheduledFor: number | null
  previouslyScheduledFor: number | null
  /** The latest it may be postponed to (`POST …/schedule`); null while preparing. */
  requiredBy: number | null
  startedAt: number | null
  completedAt: number | null
  /** The window, as Heroku words it, the maintenance was scheduled in or ran in. */
  window: string | null
}

interface Entry {
  window: WeeklyWindow | null
  maintenances: Maintenance[]
}

export class MaintenanceBook {
  private readonly entries = new Map<string, Entry>()

  private entry(addonId: string): Entry {
    let entry = this.entries.get(addonId)
    if (!entry) {
      entry = { window: null, maintenances: [] }
      this.entries.set(addonId, entry)
    }
    return entry
  }

  /** The window set through `POST …/window`, or null when the add-on keeps its first one. */
  windowOverride(addonId: string): WeeklyWindow | null {
    return this.entries.get(addonId)?.window ?? null
  }

  setWindow(addonId: string, window: WeeklyWindow): void {
    this.entry(addonId).window = window
  }

  add(maintenance: Maintenance): void {
    this.entry(maintenance.addonId).maintenances.push(maintenance)
  }

  /** Every maintenance of the add-on, newest first. */
  history(addonId: string): Maintenance[] {
    return [...(this.entries.get(addonId)?.maintenances ?? [])].reverse()
  }

  /** The newest maintenance of the add-on, whatever its status. */
  latest(addonId: string): Maintenance | undefined {
    const list = this.entries.get(addonId)?.maintenances
    return list?.[list.length - 1]
  }

  /** The maintenance that is not completed yet, if any (at most one per add-on). */
  open(addonId: string): Maintenance | undefined {
    const latest = this.latest(addonId)
    return latest && latest.status !== 'completed' ? latest : undefined
  }

  /** Whether a changeover is running on the add-on right now: it takes no writes meanwhile. */
  isRunning(addonId: string): boolean {
    return this.latest(addonId)?.status === 'running'
  }
}
