// From the simulator's events and request log: the maintenance window(s) of an app, the part of each that
// Heroku (the simulator) spends on its own, and the requests made.
//
// The parts are intervals, clipped to the window and merged (they may overlap, e.g. the dyno stop grace and
// the web dynos' in-flight writes), so "Heroku's own time" is the time during which at least one of them
// was under way: what even a tool that reacted instantly could not avoid. What Heroku does while the app is
// up (provisioning, catch-up, a prepared upgrade, a plan change) costs no downtime; it is reported apart,
// with how soon the tool asked again once it was over, which is all a tool can lose there.

import type { Timing } from './scenario'
import { isGithub, type SimEvent, type SimRequest, type SimulatorLog } from './simulator-log'

interface Interval {
  start: number
  end: number
}

export interface PartFigure {
  name: string
  /** Seconds inside the window (0 when absent). */
  seconds: number
  /** Which events (or settings, where no event exists) mark it. */
  source: string
  /** Why it could not be measured, when it could not. */
  missing?: string
}

export interface WindowFigures {
  openedAt: number
  closedAt: number
  seconds: number
  parts: PartFigure[]
  /** Union of the parts, within the window. */
  herokuSeconds: number
  /** Stretches of the window no part covers (the overhead), in seconds from its opening, with the event that ends each. */
  gaps: Array<{ from: number; to: number; until: string }>
  /** The union of the parts, epoch ms. */
  covered: Interval[]
}

/** Something Heroku did on its own outside every window, while the app was up. */
export interface UpPartFigure {
  name: string
  addon?: string
  /** Epoch ms. */
  startedAt: number
  seconds: number
  source: string
  /** From its end to the run's next Platform/data API request: the soonest the tool could have noticed. */
  nextRequestAfter?: number
  missing?: string
}

export interface RunFigures {
  app: string
  windows: WindowFigures[]
  upParts: UpPartFigure[]
  /** Totals over the windows. */
  windowSeconds: number
  herokuSeconds: number
  overheadSeconds: number
  /** window / Heroku's own time. */
  ratio: number
  herokuRequestsInWindow: number
  /** Platform/data API requests in the window by endpoint, most frequent first. */
  endpointsInWindow: Array<{ endpoint: string; count: number }>
  herokuRequestsTotal: number
  githubRequestsTotal: number
  /** First to last request of the run, seconds. */
  runSeconds: number
  /** Platform/data API requests per second: inside the window(s), and over the whole run. */
  requestRateWindow: number
  requestRateRun: number
  /**
   * Seconds during which Heroku worked on something the run waited for (the parts of every window and what
   * it did while the app was up), the requests sent meanwhile, and their rate: the polling cost of waiting.
   */
  waitingSeconds: number
  requestsWhileWaiting: number
  requestRateWaiting: number
  problems: string[]
}

/** The events the figures are computed from, and what the simulator does not emit. */
export const EVENTS_USED =
  'maintenance-on, maintenance-off, formation, dyno-stop, dyno-start, unfollow, upgrade-start, upgrade-end, copy-, backup-, restore-start and -end, promote, release, plan-change-start and -end, provisioning, provisioned, caught-up, upgrade-prepared'
export const EVENTS_MISSING = [
  'no event when a dyno is up: boot end = dyno-start + durations.dyno_boot',
  'no event when web dynos stop writing after maintenance on: maintenance-on + maintenance_write_seconds',
  'no event when the follower reaches 0 commits behind in the window: drain end = last write + replication_lag_seconds (counted only when a follower is unfollowed or upgraded in the window)',
  'no event when a prepared upgrade is ready: upgrade-prepared + durations.upgrade_prepare',
]

/** Work Heroku does between a start and an end event of the same add-on, when it happens in a window. */
const WORK_IN_WINDOW = [
  { name: 'upgrade', start: 'upgrade-start', ends: ['upgrade-end', 'upgrade-failed'] },
  { name: 'pg:copy transfer', start: 'copy-start', ends: ['copy-end', 'copy-failed', 'copy-canceled'] },
  {
    name: 'backup capture',
    start: 'backup-start',
    ends: ['backup-end', 'backup-failed', 'backup-canceled'],
  },
  {
    name: 'restore',
    start: 'restore-start',
    ends: ['restore-end', 'restore-failed', 'restore-canceled'],
  },
  { name: 'plan change', start: 'plan-change-start', ends: ['plan-change-end'] },
  { name: 'changeover', start: 'maintenance-started', ends: ['maintenance-completed'] },
]

const at = (event: SimEvent): number => Date.parse(event.at_real)

/**
 * Whether `end` closes the work `start` began. A backup's end names no add-on (a backup has no target
 * database), so transfers are also matched on their description: `backup DATABASE → BACKUP (2048 MB)` is
 * closed by `backup DATABASE → BACKUP completed`.
 */
function sameWork(start: SimEvent, end: SimEvent): boolean {
  if (end.addon !== undefined) return end.addon === start.addon
  const transfer = start.detail.replace(/ \([^)]*\)$/, '')
  return end.detail.startsWith(`${transfer} `)
}

/** `web 2:Standard-2X → 0:Standard-2X` → type and quantities. */
function formationChange(event: SimEvent): { type: string; from: number; to: number } | undefined {
  const match = /^(\S+) (\d+):\S+ → (\d+):\S+$/.exec(event.detail)
  if (!match) return undefined
  return { type: match[1] as string, from: Number(match[2]), to: Number(match[3]) }
}

/** `web.2 stopped` → `web` */
const dynoType = (event: SimEvent): string => (event.detail.split(' ')[0] ?? '').replace(/\.\d+$/, '')

function windowParts(
  events: SimEvent[],
  opened: number,
  closed: number,
  timing: Timing,
): { parts: PartFigure[]; intervals: Interval[] } {
  const inWindow = events.filter((event) => at(event) >= opened && at(event) <= closed)
  const parts: PartFigure[] = []
  const intervals: Interval[] = []
  const add = (name: string, source: string, interval: Interval | string): void => {
    if (typeof interval === 'string') {
      parts.push({ name, seconds: 0, source, missing: interval })
      return
    }
    const start = Math.max(opened, interval.start)
    const end = Math.min(closed, interval.end)
    parts.push({ name, seconds: Math.max(0, end - start) / 1000, source })
    if (end > start) intervals.push({ start, end })
  }

  // Dynos scaled away keep running for dyno_stop after SIGTERM.
  const scaledDown = inWindow.filter((event) => {
    const change = event.type === 'formation' ? formationChange(event) : undefined
    return change !== undefined && change.to < change.from
  })
  const stops = inWindow.filter((event) => event.type === 'dyno-stop' && event.detail.endsWith(' stopped'))
  const firstScaleDown = scaledDown[0]
  add(
    'dyno stop grace',
    'formation (down) → last dyno-stop',
    firstScaleDown === undefined
      ? 'no scale-down in the window'
      : stops.length === 0
        ? 'no dyno-stop event after the scale-down'
        : { start: at(firstScaleDown), end: Math.max(...stops.map(at)) },
  )

  // Web dynos keep writing for maintenance_write_seconds after maintenance goes on, unless stopped sooner.
  const webStops = stops.filter((event) => dynoType(event) === 'web').map(at)
  const webTail = opened + timing.maintenance_write_seconds * 1000
  const webEnd = webStops.length > 0 ? Math.min(webTail, Math.max(...webStops)) : webTail
  add('web writes after maintenance on', 'maintenance-on + maintenance_write_seconds, or web dyno-stop', {
    start: opened,
    end: webEnd,
  })

  // The follower holds what its leader held replication_lag_seconds ago: 0 behind that long after the last
  // write. Only a method that switches to a follower waits for it; a copy or an in-place upgrade has none.
  if (inWindow.some((event) => event.type === 'unfollow')) {
    const otherStops = stops.filter((event) => dynoType(event) !== 'web').map(at)
    const writesEnd = Math.max(webEnd, ...otherStops)
    add('replication drain', 'last write (above) + replication_lag_seconds', {
      start: writesEnd,
      end: writesEnd + timing.replication_lag_seconds * 1000,
    })
  }

  // Each kind of work is named only when it happened, so each method shows its own parts.
  for (const work of WORK_IN_WINDOW) {
    const start = inWindow.find((event) => event.type === work.start)
    if (!start) continue
    const end = inWindow.find(
      (event) => work.ends.includes(event.type) && sameWork(start, event) && at(event) >= at(start),
    )
    add(
      work.name,
      `${work.start} → ${work.ends[0]}`,
      end ? { start: at(start), end: at(end) } : `no ${work.ends.join(' or ')} in the window`,
    )
  }

  const promote = inWindow.find((event) => event.type === 'promote')
  const attached = promote
    ? inWindow.find(
        (event) =>
          event.type === 'release' && event.detail.includes('Attach DATABASE') && at(event) >= at(promote),
      )
    : undefined
  if (promote)
    add(
      'release phase of the promote',
      'promote → release "Attach DATABASE …"',
      attached ? { start: at(promote), end: at(attached) } : 'no Attach DATABASE release ended in the window',
    )

  const scaledUp = inWindow.filter((event) => {
    const change = event.type === 'formation' ? formationChange(event) : undefined
    return change !== undefined && change.to > change.from
  })
  const firstScaleUp = scaledUp[0]
  const starts = firstScaleUp
    ? inWindow.filter(
        (event) =>
          event.type === 'dyno-start' && event.detail.includes(' starting') && at(event) >= at(firstScaleUp),
      )
    : []
  add(
    'dyno boot after scale-up',
    'dyno-start + durations.dyno_boot',
    firstScaleUp === undefined
      ? 'no scale-up in the window'
      : starts.length === 0
        ? 'no dyno-start after the scale-up'
        : {
            start: Math.min(...starts.map(at)),
            end: Math.max(...starts.map(at)) + timing.durations.dyno_boot * 1000,
          },
  )
  return { parts, intervals }
}

function union(intervals: Interval[]): Interval[] {
  const merged: Interval[] = []
  for (const interval of [...intervals].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1]
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end)
    else merged.push({ ...interval })
  }
  return merged
}

/** Gaps shorter than this are rounding between events, not overhead worth naming. */
const MIN_GAP_MS = 20

function gapsOf(
  covered: Interval[],
  opened: number,
  closed: number,
  events: SimEvent[],
): WindowFigures['gaps'] {
  const gaps: WindowFigures['gaps'] = []
  let cursor = opened
  for (const interval of [...covered, { start: closed, end: closed }]) {
    if (interval.start - cursor >= MIN_GAP_MS) {
      const next = events.find(
        (event) => at(event) >= interval.start - 1 && at(event) <= closed && at(event) > cursor,
      )
      gaps.push({
        from: (cursor - opened) / 1000,
        to: (interval.start - opened) / 1000,
        until: next ? `${next.type}${next.type === 'formation' ? ` ${next.detail}` : ''}` : 'maintenance-off',
      })
    }
    cursor = Math.max(cursor, interval.end)
  }
  return gaps
}

/** `/client/v11/databases/4f0c…/wait_status` → `/client/v11/databases/:id/wait_status` */
export function endpoint(request: SimRequest): string {
  const path = request.path
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')
    .replace(/postgresql-[a-z]+-\d+/g, ':addon')
    .replace(/\/apps\/[^/]+/, '/apps/:app')
  return `${request.method} ${path}`
}

/** A request logged this close after the maintenance-off event is the one that turned it off. */
const SLACK_MS = 50

/** Start and end events of the same add-on, as intervals; an end can only follow its own start. */
function paired(
  events: SimEvent[],
  start: string,
  end: string,
): Array<{ addon?: string; from: number; to?: number }> {
  return events
    .filter((event) => event.type === start)
    .map((begin) => {
      const finish = events.find(
        (event) => event.type === end && event.addon === begin.addon && at(event) >= at(begin),
      )
      return { addon: begin.addon, from: at(begin), to: finish && at(finish) }
    })
}

function upParts(
  events: SimEvent[],
  requests: SimRequest[],
  windows: WindowFigures[],
  timing: Timing,
): UpPartFigure[] {
  const inWindow = (t: number): boolean =>
    windows.some((window) => t > window.openedAt && t < window.closedAt)
  const times = requests.map((request) => Date.parse(request.at)).sort((a, b) => a - b)
  const parts: UpPartFigure[] = []
  const add = (name: string, source: string, found: { addon?: string; from: number; to?: number }): void => {
    // Work that ran inside a window is already counted there.
    if (inWindow(found.from)) return
    if (found.to === undefined) {
      parts.push({
        name,
        addon: found.addon,
        startedAt: found.from,
        seconds: 0,
        source,
        missing: 'it never ended',
      })
      return
    }
    const end = found.to
    const next = times.find((t) => t > end)
    parts.push({
      name,
      addon: found.addon,
      startedAt: found.from,
      seconds: (end - found.from) / 1000,
      source,
      nextRequestAfter: next === undefined ? undefined : (next - end) / 1000,
    })
  }
  for (const found of paired(events, 'provisioning', 'provisioned'))
    add('provisioning', 'provisioning → provisioned', found)
  for (const found of paired(events, 'provisioned', 'caught-up'))
    if (found.to !== undefined) add('follower catch-up', 'provisioned → caught-up', found)
  for (const prepared of events.filter((event) => event.type === 'upgrade-prepared'))
    add('upgrade prepare', 'upgrade-prepared + durations.upgrade_prepare', {
      addon: prepared.addon,
      from: at(prepared),
      to: at(prepared) + timing.durations.upgrade_prepare * 1000,
    })
  for (const found of paired(events, 'plan-change-start', 'plan-change-end'))
    add('plan change', 'plan-change-start → plan-change-end', found)
  return parts.sort((a, b) => a.startedAt - b.startedAt)
}

/**
 * `expectedWindows`: how many maintenance windows the method opens; a method that opens none (plan-change)
 * is not a problem for having none.
 */
export function runFigures(log: SimulatorLog, app: string, timing: Timing, expectedWindows = 1): RunFigures {
  const events = log.events.filter((event) => event.app === app)
  const problems: string[] = []
  const windows: WindowFigures[] = []
  for (const on of events.filter((event) => event.type === 'maintenance-on')) {
    const off = events.find((event) => event.type === 'maintenance-off' && at(event) >= at(on))
    if (!off) {
      problems.push(`maintenance went on at ${on.at_real} and never off`)
      continue
    }
    const { parts, intervals } = windowParts(events, at(on), at(off), timing)
    const covered = union(intervals)
    windows.push({
      openedAt: at(on),
      closedAt: at(off),
      seconds: (at(off) - at(on)) / 1000,
      parts,
      herokuSeconds: sum(covered.map((interval) => interval.end - interval.start)) / 1000,
      gaps: gapsOf(covered, at(on), at(off), events),
      covered,
    })
  }
  if (windows.length === 0 && problems.length === 0 && expectedWindows > 0)
    problems.push('maintenance never went on')
  if (windows.length > 0 && expectedWindows === 0)
    problems.push(`maintenance went on ${windows.length} time(s); the method should open no window`)

  const heroku = log.requests.filter((request) => !isGithub(request.path))
  const inAnyWindow = (request: SimRequest): boolean => {
    const t = Date.parse(request.at)
    return windows.some((window) => t >= window.openedAt && t <= window.closedAt + SLACK_MS)
  }
  const times = log.requests.map((request) => Date.parse(request.at))
  const runSeconds = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 : 0
  const windowSeconds = sum(windows.map((window) => window.seconds))
  const herokuSeconds = sum(windows.map((window) => window.herokuSeconds))
  const inWindow = heroku.filter(inAnyWindow)
  const ups = upParts(events, heroku, windows, timing)
  const waiting = union([
    ...windows.flatMap((window) => window.covered),
    ...ups.map((part) => ({ start: part.startedAt, end: part.startedAt + part.seconds * 1000 })),
  ])
  const waitingSeconds = sum(waiting.map((interval) => interval.end - interval.start)) / 1000
  const requestsWhileWaiting = heroku.filter((request) => {
    const t = Date.parse(request.at)
    return waiting.some((interval) => t >= interval.start && t <= interval.end)
  }).length
  const counts = new Map<string, number>()
  for (const request of inWindow) counts.set(endpoint(request), (counts.get(endpoint(request)) ?? 0) + 1)
  return {
    app,
    windows,
    upParts: ups,
    windowSeconds,
    herokuSeconds,
    overheadSeconds: windowSeconds - herokuSeconds,
    ratio: herokuSeconds > 0 ? windowSeconds / herokuSeconds : Number.NaN,
    herokuRequestsInWindow: inWindow.length,
    endpointsInWindow: [...counts]
      .map(([name, count]) => ({ endpoint: name, count }))
      .sort((a, b) => b.count - a.count),
    herokuRequestsTotal: heroku.length,
    githubRequestsTotal: log.requests.length - heroku.length,
    runSeconds,
    requestRateWindow: windowSeconds > 0 ? inWindow.length / windowSeconds : Number.NaN,
    requestRateRun: runSeconds > 0 ? heroku.length / runSeconds : Number.NaN,
    waitingSeconds,
    requestsWhileWaiting,
    requestRateWaiting: waitingSeconds > 0 ? requestsWhileWaiting / waitingSeconds : Number.NaN,
    problems,
  }
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0)
