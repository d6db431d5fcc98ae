import { configVarName } from '../model/database.js'
import { describeWindow, windowOf } from '../model/maintenance-window.js'
import type { Addon } from '../model/types.js'
import { upgradeScheduledAt } from '../model/upgrade-schedule.js'
import type { World } from '../model/world.js'
import { renderIssue } from './github.js'
import { json, type Router } from '../http/router.js'
import { parseFaults } from '../scenario/validate.js'
import { ScenarioError } from '../scenario/reader.js'

/** An add-on's data maintenance and window, for tests: `status: "none"` when it never had one. */
function maintenanceState(world: World, addon: Addon): Record<string, unknown> {
  const window = windowOf(world, addon)
  const m = world.maintenanceBook.latest(addon.id)
  const at = (t: number | null | undefined) => (t === null || t === undefined ? null : world.iso(t))
  return {
    status: m?.status ?? 'none',
    target_plan: m?.targetPlan ?? null,
    scheduled_for: at(m?.scheduledFor),
    started_at: at(m?.startedAt),
    completed_at: at(m?.completedAt),
    window: window ? describeWindow(window) : null,
  }
}

export function simulatorState(world: World): Record<string, unknown> {
  world.advance()
  return {
    scenario: world.scenario.name,
    apps: [...world.apps.values()].map((app) => ({
      name: app.name,
      id: app.id,
      space: app.space,
      maintenance: app.maintenance,
      release_phase: app.releasePhase,
      formation: app.formation.map((f) => ({ type: f.type, quantity: f.quantity, size: f.size })),
      config_var_names: [...app.config.keys()],
      database: world.attachedDatabaseOf(app)?.name ?? null,
      writes_through: app.writesThrough,
      serving_database: world.databaseAddonOf(app)?.name ?? null,
      dynos: app.dynos.map((d) => ({ name: d.name, type: d.type, state: d.state })),
    })),
    addons: [...world.addons.values()].map((addon) => {
      const leader =
        addon.db.leaderId === null
          ? undefined
          : (world.addons.get(addon.db.leaderId) ?? world.graveyard.get(addon.db.leaderId))
      return {
        name: addon.name,
        id: addon.id,
        app: world.appOf(addon).name,
        plan: addon.plan,
        version: addon.db.version,
        state: addon.state,
        following: leader?.name ?? null,
        behind_by: world.behindBy(addon),
        upgrade: addon.db.upgrade?.phase ?? null,
        upgrade_scheduled_for:
          addon.db.upgrade?.phase === 'scheduled'
            ? world.iso(upgradeScheduledAt(world, addon, addon.db.upgrade) ?? world.now)
            : null,
        maintenance: maintenanceState(world, addon),
        refused_writes: Math.floor((world.refusedWrites.get(addon.id) ?? 0) + 1e-9),
        attachments: world
          .attachmentsOfAddon(addon.id)
          .map((a) => `${world.apps.get(a.appId)?.name}::${a.name}`),
        config_vars: world.attachmentsOfAddon(addon.id).map(configVarName),
      }
    }),
    github_issues: world.issues.map((issue) => ({
      number: issue.number,
      title: issue.title,
      body: issue.body,
      labels: [...issue.labels],
      assignees: [...issue.assignees],
      state: issue.state,
      html_url: renderIssue(world, issue).html_url,
      repo: issue.repo,
    })),
    lost_writes: world.lostWrites(),
    refused_writes: Math.floor([...world.refusedWrites.values()].reduce((sum, n) => sum + n, 0) + 1e-9),
    clock: {
      simulated: world.now,
      real: world.realElapsedSeconds(),
      speed: world.speed,
      simulated_time: world.iso(world.now),
    },
  }
}

export function registerIntrospectionRoutes(router: Router): void {
  router.on('GET', '/__simulator/state', ({ world }) => json(200, simulatorState(world)))
  router.on('GET', '/__simulator/events', ({ world }) => json(200, world.events))
  router.on('GET', '/__simulator/requests', ({ world }) => json(200, world.requests))
  router.on('GET', '/__simulator/faults', ({ world }) =>
    json(200, { http: world.httpFaults, behaviour: world.behaviourFaults }),
  )
  router.on('POST', '/__simulator/faults', ({ world, body }) => {
    try {
      const faults = parseFaults(body)
      world.addFaults(faults)
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
    world.jump(seconds)
    return json(200, { simulated: world.now })
  })
}
