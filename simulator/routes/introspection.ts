import { json, type Router } from '../http/router.js'
import type { ServerState } from '../http/server-state.js'
import { configVarName } from '../model/database.js'
import { windowOf } from '../model/maintenance-window.js'
import type { Addon } from '../model/types.js'
import { upgradeScheduledAt } from '../model/upgrade-schedule.js'
import type { World } from '../model/world.js'
import { describeWindow } from '../scenario/file/weekly-window.js'
import { ScenarioError } from '../scenario/reader.js'
import { parseFaults } from '../scenario/validate.js'
import { renderIssue } from './github.js'

/** An add-on's data maintenance and window, for tests: `status: "none"` when it never had one. */
function maintenanceState(world: World, addon: Addon): Record<string, unknown> {
  const window = windowOf(world, addon)
  const m = world.maintenances.latest(addon.id)
  const at = (t: number | null | undefined) => (t === null || t === undefined ? null : world.clock.iso(t))
  return {
    status: m?.status ?? 'none',
    target_plan: m?.targetPlan ?? null,
    scheduled_for: at(m?.scheduledFor),
    started_at: at(m?.startedAt),
    completed_at: at(m?.completedAt),
    window: window ? describeWindow(window) : null,
  }
}

export function simulatorState(world: World, server: ServerState): Record<string, unknown> {
  world.advance()
  return {
    scenario: world.scenario.name,
    apps: world.store.apps().map((app) => ({
      name: app.name,
      id: app.id,
      space: app.space,
      maintenance: app.maintenance,
      release_phase: app.releasePhase,
      formation: app.formation.map((f) => ({ type: f.type, quantity: f.quantity, size: f.size })),
      config_var_names: [...app.config.keys()],
      database: world.store.attachedDatabaseOf(app)?.name ?? null,
      writes_through: app.writesThrough,
      serving_database: world.store.servingAddonOf(app)?.name ?? null,
      dynos: app.dynos.map((d) => ({ name: d.name, type: d.type, state: d.state })),
    })),
    addons: world.store.addons().map((addon) => {
      const leader = addon.db.leaderId === null ? undefined : world.store.anyAddon(addon.db.leaderId)
      return {
        name: addon.name,
        id: addon.id,
        app: world.store.appOf(addon).name,
        plan: addon.plan,
        version: addon.db.version,
        state: addon.state,
        following: leader?.name ?? null,
        behind_by: world.writes.behindBy(addon),
        upgrade: addon.db.upgrade?.phase ?? null,
        upgrade_scheduled_for:
          addon.db.upgrade?.phase === 'scheduled'
            ? world.clock.iso(upgradeScheduledAt(world, addon, addon.db.upgrade) ?? world.clock.now)
            : null,
        maintenance: maintenanceState(world, addon),
        refused_writes: Math.floor(world.writes.refusedBy(addon.id) + 1e-9),
        attachments: world.store
          .attachmentsOfAddon(addon.id)
          .map((a) => `${world.store.app(a.appId)?.name}::${a.name}`),
        config_vars: world.store.attachmentsOfAddon(addon.id).map(configVarName),
      }
    }),
    github_issues: server.github.all().map((issue) => ({
      number: issue.number,
      title: issue.title,
      body: issue.body,
      labels: [...issue.labels],
      assignees: [...issue.assignees],
      state: issue.state,
      html_url: renderIssue(world, server, issue).html_url,
      repo: issue.repo,
    })),
    lost_writes: world.writes.lostWrites(),
    // Counted in rows, beside the model's figure, only when the data plane runs.
    ...(world.realRows
      ? {
          acknowledged_writes: world.realRows.acknowledged,
          lost_rows: world.realRows.lost,
          reads_served: world.realRows.reads.served,
          reads_failed: world.realRows.reads.failed,
        }
      : {}),
    refused_writes: Math.floor(world.writes.refusedTotal() + 1e-9),
    clock: {
      simulated: world.clock.now,
      real: world.clock.realElapsedSeconds(),
      speed: world.clock.speed,
      simulated_time: world.clock.iso(world.clock.now),
    },
  }
}

export function registerIntrospectionRoutes(router: Router): void {
  router.on('GET', '/__simulator/state', ({ world, server }) => json(200, simulatorState(world, server)))
  router.on('GET', '/__simulator/events', ({ world }) => json(200, world.journal.events()))
  router.on('GET', '/__simulator/requests', ({ server }) => json(200, server.requests()))
  router.on('GET', '/__simulator/faults', ({ world, server }) =>
    json(200, { http: server.faults.list(), behaviour: world.faults.list() }),
  )
  router.on('POST', '/__simulator/faults', ({ world, server, body }) => {
    try {
      const faults = parseFaults(body)
      world.faults.add(faults)
      server.faults.add(faults)
      return json(201, { added: faults.length })
    } catch (error) {
      if (error instanceof ScenarioError) return json(422, { id: 'invalid_fault', message: error.message })
      throw error
    }
  })
  router.on('POST', '/__simulator/clock', ({ world, body }) => {
    const seconds = (body as { advance_seconds?: unknown } | undefined)?.advance_seconds
    if (typeof seconds !== 'number' || !(seconds >= 0)) {
      return json(422, { id: 'invalid_params', message: 'advance_seconds must be a non-negative number' })
    }
    world.clock.jump(seconds)
    world.advance()
    return json(200, { simulated: world.clock.now })
  })
}
