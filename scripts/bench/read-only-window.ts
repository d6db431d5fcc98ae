// The read-only window against the maintenance window, on real PostgreSQL servers (the simulator's data
// plane): the bundled action upgrades standard-pg14 with a follower to PG 17 at Heroku's pace (the scenario's
// own durations, PACED_SPEED times faster for the simulator and the action's clock alike), once with each
// window. The web dynos' writers read before each write, as requests do; the figures are the reads served
// while the window was open, the longest stretch of the run without a served read, the commits the databases
// refused, the write downtime the action measured, and the acknowledged rows lost (0, or the run broke).
// Times are in Heroku's (simulated) seconds: real milliseconds times the speed.

import { join } from 'node:path'
import { startSimulator } from '../../simulator/index'
import { longestReadGap } from '../../simulator/data-plane/writers'
import type { World } from '../../simulator/model/world'
import { ROOT } from '../run-action'
import { runAction, type NodeBinary } from './action-runs'
import { herokuPacedScenario } from './scenario'

const APP = 'acme-web'
const SPEED = 40
const TIMEOUT_MS = 300_000
const WATCH_MS = 20

export type WindowKind = 'maintenance' | 'read-only'

export interface WindowFigures {
  window: WindowKind
  ok: boolean
  why?: string
  /** The action's downtime-seconds output: the window, from its opening to the restore (Heroku seconds). */
  windowSeconds: number
  /** Reads the web dynos served while the window was open (the worker scaled down). */
  readsInWindow: number
  /** The longest stretch of the run without a served read, in Heroku seconds. */
  longestReadGapSeconds: number
  /** Commits the dynos sent that a database refused during the run (the model's count). */
  refusedCommits: number
  rowsAcknowledged: number
  rowsLost: number
  maintenanceSeen: boolean
}

interface Seen {
  openedAt?: number
  closedAt?: number
  maintenance: boolean
}

/** Looks at the app every WATCH_MS (real time): when the worker was scaled down and back, and maintenance. */
function watch(world: World): { stop(): Promise<Seen> } {
  const seen: Seen = { maintenance: false }
  let running = true
  const loop = (async () => {
    while (running) {
      const app = world.store.findApp(APP)
      const worker = app?.formation.find((entry) => entry.type === 'worker')?.quantity ?? 0
      if (worker === 0) seen.openedAt ??= Date.now()
      else if (seen.openedAt !== undefined) seen.closedAt ??= Date.now()
      if (app?.maintenanceSince !== null && app?.maintenanceSince !== undefined) seen.maintenance = true
      await new Promise((resolve) => setTimeout(resolve, WATCH_MS))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return seen
    },
  }
}

export async function benchWindow(window: WindowKind, node: NodeBinary): Promise<WindowFigures> {
  const simulator = await startSimulator({ scenario: { ...herokuPacedScenario(SPEED), data_plane: true } })
  try {
    const plane = simulator.dataPlane
    if (!plane) throw new Error('the data plane did not start')
    const refusedBefore = simulator.world.writes.refusedTotal()
    const watching = watch(simulator.world)
    const startedAt = Date.now()
    const run = await runAction({
      url: simulator.url,
      app: APP,
      inputs: { method: 'follower', version: '17', fence: 'on', window },
      node,
      timeoutMs: TIMEOUT_MS,
      env: {
        NODE_OPTIONS: `--require "${join(ROOT, 'scripts', 'clock-preload.cjs')}"`,
        CLOCK_SPEED: String(SPEED),
      },
    })
    const endedAt = Date.now()
    const seen = await watching.stop()
    const rows = await plane.rows()
    const times = plane.readTimes()
    const open = seen.openedAt ?? endedAt
    const close = seen.closedAt ?? endedAt
    return {
      window,
      ok: run.ok,
      ...(run.why === undefined ? {} : { why: run.why }),
      windowSeconds: Number(run.main.outputs['downtime-seconds'] || Number.NaN),
      readsInWindow: times.filter((at) => at >= open && at <= close).length,
      longestReadGapSeconds: (longestReadGap(times, startedAt, endedAt) * SPEED) / 1000,
      refusedCommits: Math.round(simulator.world.writes.refusedTotal() - refusedBefore),
      rowsAcknowledged: rows.acknowledged,
      rowsLost: rows.lost,
      maintenanceSeen: seen.maintenance,
    }
  } finally {
    await simulator.stop()
  }
}

/** Both windows, one after the other, each on a fresh simulator; prints the comparison. */
export async function benchReadOnlyWindow(node: NodeBinary): Promise<{ broken: string[] }> {
  console.log(
    `\n## Read-only window against the maintenance window (follower to PG 17 on real PostgreSQL, Heroku's pace ${SPEED}× faster, Heroku seconds)`,
  )
  const broken: string[] = []
  const results: WindowFigures[] = []
  for (const window of ['maintenance', 'read-only'] as const) {
    const figures = await benchWindow(window, node)
    results.push(figures)
    console.log(
      `  window ${window}: ${figures.ok ? 'succeeded' : `broke (${figures.why ?? 'unknown'})`}; ` +
        `write downtime (downtime-seconds) ${figures.windowSeconds} s; reads served in the window ${figures.readsInWindow}; ` +
        `longest gap without a served read ${figures.longestReadGapSeconds.toFixed(0)} s; ` +
        `commits refused ${figures.refusedCommits}; rows ${figures.rowsAcknowledged} acknowledged, ${figures.rowsLost} lost; ` +
        `maintenance ${figures.maintenanceSeen ? 'was on' : 'stayed off'}`,
    )
    if (!figures.ok) broken.push(`window ${window}: ${figures.why ?? 'the run broke'}`)
    if (figures.rowsLost > 0) broken.push(`window ${window}: ${figures.rowsLost} acknowledged rows lost`)
  }
  console.log(
    '\n| Window | Write downtime | Reads served in the window | Longest read gap | Commits refused | Rows lost |',
  )
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const f of results)
    console.log(
      `| ${f.window} | ${f.windowSeconds} s | ${f.readsInWindow} | ${f.longestReadGapSeconds.toFixed(0)} s | ${f.refusedCommits} | ${f.rowsLost} |`,
    )
  return { broken }
}
