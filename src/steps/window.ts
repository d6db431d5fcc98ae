// The maintenance window: what the apps looked like before (formation and maintenance), taking them down,
// and putting them back exactly as they were. One place for the method, the failure handling and the post
// step, so the rules hold everywhere: web is scaled down with the rest (maintenance mode only stops the
// router), and maintenance goes off only once web dynos are up again.
import type { Clock } from '../runtime/clock'
import { errorMessage } from '../domain/error-message'
import { describeFormation, scaleArguments, typesToScaleDown } from '../domain/formation'
import type { PlatformApi } from '../heroku/platform-api'
import type { FormationUpdate } from '../heroku/types'
import { poll } from '../runtime/poller'
import type { RunRecord } from '../record/record'
import type { AppBefore } from '../record/undo'
import type { ScaleDown } from '../domain/vocabulary'

/** Longest wait for web dynos to boot before maintenance goes off anyway (the app is then reachable). */
const WEB_BOOT_TIMEOUT_MS = 5 * 60_000

export type { AppBefore }

/** Every app the window covers, the app itself first. */
export function appsInWindow(record: Readonly<RunRecord>): AppBefore[] {
  const own =
    record.formationBefore && record.maintenanceBefore !== undefined
      ? [
          {
            app: record.app,
            formationBefore: record.formationBefore,
            maintenanceBefore: record.maintenanceBefore,
          },
        ]
      : []
  return [...own, ...(record.otherApps ?? [])]
}

export interface OpenOptions {
  platform: PlatformApi
  apps: string[]
  maintenance: boolean
  scaleDown: ScaleDown
  /** Called once the state before is known and before anything changes, to save it. */
  recordBefore: (before: AppBefore[]) => void
}

/** Records every app's state, then takes them down. Returns what it did, for a person. */
export async function openWindow(options: OpenOptions): Promise<string[]> {
  const { platform } = options
  const before = await Promise.all(
    options.apps.map(async (app): Promise<AppBefore> => {
      const [formation, current] = await Promise.all([platform.getFormation(app), platform.getApp(app)])
      return {
        app,
        formationBefore: formation.map(({ type, quantity, size }) => ({ type, quantity, size })),
        maintenanceBefore: current.maintenance,
      }
    }),
  )
  options.recordBefore(before)
  const done: string[] = []
  await Promise.all(
    before.map(async ({ app, formationBefore, maintenanceBefore }) => {
      const toScale = typesToScaleDown(formationBefore, options.scaleDown)
      const turnOn = options.maintenance && !maintenanceBefore
      // Maintenance first: the router then shows the maintenance page instead of errors from stopping dynos.
      if (turnOn) await platform.setMaintenance(app, true)
      if (toScale.length > 0)
        await platform.updateFormation(
          app,
          toScale.map((entry) => ({ type: entry.type, quantity: '0' })),
        )
      const parts = [
        ...(turnOn ? ['maintenance on'] : []),
        ...(toScale.length > 0
          ? [`${toScale.map((e) => `${e.type}=0`).join(' ')} (was ${describeFormation(toScale)})`]
          : []),
      ]
      if (parts.length > 0) done.push(`${app}: ${parts.join(', ')}`)
    }),
  )
  return done
}

export interface CloseOptions {
  platform: PlatformApi
  clock: Clock
  signal?: AbortSignal
  log: (line: string) => void
  /** Test hook: shorter wait for web to boot. */
  webBootTimeoutMs?: number
}

/**
 * Puts every app back as recorded: formation first, then, once web dynos are up, maintenance. Idempotent
 * (only what differs is changed), so the failure handling and the post step can run it again.
 */
export async function closeWindow(apps: readonly AppBefore[], options: CloseOptions): Promise<string[]> {
  const { platform } = options
  const changes: string[] = []
  await Promise.all(
    apps.map(async (before) => {
      const current = await platform.getFormation(before.app)
      const differ = before.formationBefore.filter((entry) => {
        const now = current.find((e) => e.type === entry.type)
        return !now || now.quantity !== entry.quantity || now.size !== entry.size
      })
      if (differ.length === 0) return
      const updates: FormationUpdate[] = differ.map((entry) => ({
        type: entry.type,
        quantity: String(entry.quantity),
        size: entry.size,
      }))
      await platform.updateFormation(before.app, updates)
      changes.push(`${before.app}: ${scaleArguments(differ)}`)
    }),
  )
  await Promise.all(
    apps.map(async (before) => {
      const current = await platform.getApp(before.app)
      if (current.maintenance === before.maintenanceBefore) return
      if (!before.maintenanceBefore) await waitForWebToBoot(before, options)
      await platform.setMaintenance(before.app, before.maintenanceBefore)
      changes.push(`${before.app}: maintenance ${before.maintenanceBefore ? 'on' : 'off'}`)
    }),
  )
  return changes
}

async function waitForWebToBoot(before: AppBefore, options: CloseOptions): Promise<void> {
  const wanted = before.formationBefore.find((entry) => entry.type === 'web')?.quantity ?? 0
  if (wanted === 0) return
  try {
    await poll<true>({
      describe: `the web dynos of ${before.app} to boot`,
      timeoutMs: options.webBootTimeoutMs ?? WEB_BOOT_TIMEOUT_MS,
      interval: 1000,
      signal: options.signal,
      clock: options.clock,
      onStatus: (line) => options.log(`  ${line}`),
      check: async () => {
        const dynos = await options.platform.listDynos(before.app)
        const up = dynos.filter((dyno) => dyno.type === 'web' && dyno.state === 'up').length
        return up >= wanted
          ? { done: true, value: true }
          : { done: false, status: `${up}/${wanted} web dynos up`, nearlyDone: true }
      },
    })
  } catch (error) {
    options.log(
      `  ${before.app}: web dynos not all up (${errorMessage(error)}); turning maintenance off anyway so the app is reachable.`,
    )
  }
}

/**
 * `acme-web: web=2:Standard-2X worker=1:Standard-1X, maintenance off`: the changes of one app under its name
 * once (the window's helpers list them as `app: change`, one per change).
 */
export function describeChanges(changes: readonly string[]): string {
  const byApp = new Map<string, string[]>()
  for (const change of changes) {
    const match = /^([^:\s]+): (.+)$/.exec(change)
    const app = match?.[1] ?? ''
    byApp.set(app, [...(byApp.get(app) ?? []), match?.[2] ?? change])
  }
  return [...byApp].map(([app, parts]) => (app ? `${app}: ${parts.join(', ')}` : parts.join(', '))).join('; ')
}
