// Who can still write to the old database while the window is open, as far as the Platform API shows it:
// dynos that are still listed (a scaled-down dyno keeps running until it exits), process types the
// settings leave running, and one-off dynos (`heroku run`, Scheduler), which maintenance mode does not stop.
import type { PlatformApi } from '../heroku/platform-api'
import type { Dyno } from '../heroku/types'
import type { AppBefore } from './window'

export interface ListedDyno extends Dyno {
  app: string
}

/** Every dyno listed on the apps, except the release phase's. */
export async function listDynos(platform: PlatformApi, apps: AppBefore[]): Promise<ListedDyno[]> {
  const lists = await Promise.all(
    apps.map(async (before) =>
      (await platform.listDynos(before.app)).map((dyno) => ({ ...dyno, app: before.app })),
    ),
  )
  return lists.flat().filter((dyno) => dyno.type !== 'release')
}

/** One-off dynos: their type is not a process type of the app's formation (run, scheduler, ...). */
export function isOneOff(dyno: ListedDyno, apps: AppBefore[]): boolean {
  const formation = apps.find((before) => before.app === dyno.app)?.formationBefore ?? []
  return !formation.some((entry) => entry.type === dyno.type)
}

/** Dynos that still run although the window stopped their type, and every one-off dyno. */
export function unexpectedWriters(
  dynos: ListedDyno[],
  apps: AppBefore[],
  keptTypes: KeptTypes,
): ListedDyno[] {
  return dynos.filter((dyno) => isOneOff(dyno, apps) || !keptTypes.has(`${dyno.app}:${dyno.type}`))
}

/** `app:type` of the process types the settings leave running. */
export type KeptTypes = Set<string>

const describeDyno = (dyno: ListedDyno): string => `${dyno.app} ${dyno.name} (${dyno.state})`

export function describeDynos(dynos: ListedDyno[]): string {
  const shown = dynos.slice(0, 8).map(describeDyno)
  return dynos.length > shown.length
    ? `${shown.join(', ')} and ${dynos.length - shown.length} more`
    : shown.join(', ')
}
