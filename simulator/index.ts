import type { AddressInfo } from 'node:net'
import { createSimulatorServer } from './http/server.js'
import { Router } from './http/router.js'
import { ServerState } from './http/server-state.js'
import { RealPlane } from './model/real-rows/plane.js'
import { createWorld } from './model/seed.js'
import type { World } from './model/world.js'
import { registerAddonRoutes } from './routes/addons.js'
import { registerAppRoutes } from './routes/apps.js'
import { registerAttachmentRoutes } from './routes/attachments.js'
import { registerCredentialRoutes } from './routes/credentials.js'
import { registerDatabaseRoutes } from './routes/databases.js'
import { registerGithubRoutes } from './routes/github.js'
import { registerIntrospectionRoutes } from './routes/introspection.js'
import { registerTransferRoutes } from './routes/transfers.js'
import { resolveScenario } from './scenario/load.js'
import type { Scenario } from './scenario/file/types.js'

export { builtInScenarios, loadScenario } from './scenario/load.js'
export { ScenarioError } from './scenario/reader.js'
export type { Scenario } from './scenario/file/types.js'

export interface SimulatorOptions {
  /** A built-in scenario name, a path to a scenario JSON file, or an already-parsed scenario object. */
  scenario: string | object
  /** 0 or absent: a random free port. */
  port?: number
  /**
   * Simulated seconds per real second; overrides the scenario's `speed`. 0 = a manual clock that only moves
   * with `POST /__simulator/clock` (deterministic tests).
   */
  speed?: number
  /** Receives one line per request and notable event. */
  log?: (line: string) => void
  /**
   * Real PostgreSQL servers behind the add-ons (simulator/data-plane/): overrides the scenario's `data_plane`.
   * Off by default.
   */
  dataPlane?: boolean
}

export interface SimulatorHandle {
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
  scenario: Scenario
  /** The live model, for in-process inspection by tests. */
  world: World
  /** The data plane, when it runs: `rows()` counts the acknowledged and lost rows. */
  dataPlane?: RealPlane
  stop(): Promise<void>
}

const TICK_MS = 250

export async function startSimulator(opts: SimulatorOptions): Promise<SimulatorHandle> {
  const scenario = resolveScenario(opts.scenario)
  if (opts.speed !== undefined && !(opts.speed >= 0)) throw new Error('speed must be a non-negative number')
  const log = opts.log ?? (() => {})
  const plane = (opts.dataPlane ?? scenario.data_plane) ? await RealPlane.start(scenario, log) : undefined
  const world = createWorld(scenario, opts.speed, plane?.endpoint ?? null)
  try {
    await plane?.attach(world)
  } catch (error) {
    await plane?.stop()
    throw error
  }
  const state = new ServerState(world)
  const server = createSimulatorServer(
    world,
    state,
    {
      heroku: registerAll(new Router(), [
        registerAppRoutes,
        registerAddonRoutes,
        registerAttachmentRoutes,
        registerDatabaseRoutes,
        registerCredentialRoutes,
        registerTransferRoutes,
      ]),
      github: registerAll(new Router(), [registerGithubRoutes]),
      introspection: registerAll(new Router(), [registerIntrospectionRoutes]),
    },
    log,
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  }).catch(async (error: unknown) => {
    await plane?.stop()
    throw error
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}`
  state.listeningAt(url)
  const ticker = setInterval(() => world.advance(), TICK_MS)
  ticker.unref()
  let stopped: Promise<void> | null = null
  return {
    url,
    port,
    scenario,
    world,
    ...(plane ? { dataPlane: plane } : {}),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        clearInterval(ticker)
        server.close(() => resolve())
        server.closeAllConnections()
      }).then(() => plane?.stop())
      return stopped
    },
  }
}

function registerAll(router: Router, registrations: ((router: Router) => void)[]): Router {
  for (const register of registrations) register(router)
  return router
}
