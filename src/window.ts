// The maintenance window: what the app looked like before (formation and maintenance), taking it down,
// and putting it back exactly as it was. Used by the methods, the failure handler and the post step.
import type { PlatformApi } from './heroku/api'
import type { FormationUpdate } from './heroku/types'
import type { FormationEntry } from './run-record'
import type { ScaleDown } from './settings'

export const describeFormation = (entries: FormationEntry[]): string =>
  entries.map((entry) => `${entry.type}=${entry.quantity}:${entry.size}`).join(', ') || 'no processes'

/** The process types to scale to zero: every running type for `all` (web stays up behind maintenance mode). */
export function typesToScaleDown(
  formation: FormationEntry[],
  scaleDown: ScaleDown,
  maintenance: boolean,
): FormationEntry[] {
  const running = formation.filter((entry) => entry.quantity > 0 && entry.type !== 'release')
  switch (scaleDown.kind) {
    case 'none':
      return []
    case 'all':
      return running.filter((entry) => entry.type !== 'web' || !maintenance)
    case 'list':
      return running.filter((entry) => scaleDown.types.includes(entry.type))
  }
}

export interface RestoreOutcome {
  /** What was changed, for a person: "worker=1:standard-1x, maintenance off". Empty when nothing differed. */
  changes: string[]
}

/** Puts formation and maintenance back as recorded. Idempotent: only what differs is changed. */
export async function restoreApp(
  platform: PlatformApi,
  app: string,
  formationBefore: FormationEntry[] | undefined,
  maintenanceBefore: boolean | undefined,
): Promise<RestoreOutcome> {
  const changes: string[] = []
  if (formationBefore) {
    const current = await platform.getFormation(app)
    const updates: FormationUpdate[] = formationBefore
      .filter((before) => {
        const now = current.find((entry) => entry.type === before.type)
        return !now || now.quantity !== before.quantity || now.size !== before.size
      })
      .map((before) => ({ type: before.type, quantity: String(before.quantity), size: before.size }))
    if (updates.length > 0) {
      await platform.updateFormation(app, updates)
      changes.push(...updates.map((update) => `${update.type}=${update.quantity}:${update.size}`))
    }
  }
  if (maintenanceBefore !== undefined) {
    const current = await platform.getApp(app)
    if (current.maintenance !== maintenanceBefore) {
      await platform.setMaintenance(app, maintenanceBefore)
      changes.push(`maintenance ${maintenanceBefore ? 'on' : 'off'}`)
    }
  }
  return { changes }
}
