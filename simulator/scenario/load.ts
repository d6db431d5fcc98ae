import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PLANS, tierOf } from '../model/plans.js'
import { ScenarioError } from './reader.js'
import type { Scenario } from './file/types.js'
import { validateScenario } from './validate.js'

const SCENARIO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios')

export const builtInScenarios: string[] = readdirSync(SCENARIO_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length))
  .sort()

function looksLikePath(value: string): boolean {
  return value.includes('/') || value.includes('\\') || value.endsWith('.json')
}

/** Loads a built-in scenario by name or a scenario JSON file by path. Throws ScenarioError with a clear message. */
export function loadScenario(nameOrPath: string): Scenario {
  if (builtInScenarios.includes(nameOrPath)) {
    return parseFile(join(SCENARIO_DIR, `${nameOrPath}.json`), nameOrPath)
  }
  if (looksLikePath(nameOrPath)) {
    const path = resolve(nameOrPath)
    if (!existsSync(path))
      throw new ScenarioError(
        `Scenario file not found: ${nameOrPath} (${path}). Give the path of a .json file, or a built-in scenario: ${builtInScenarios.join(', ')}`,
      )
    return checkPlans(parseFile(path, basename(path).replace(/\.json$/, '')), path)
  }
  throw new ScenarioError(
    `Unknown scenario "${nameOrPath}". Known scenarios: ${builtInScenarios.join(', ')} (or give a path to a .json file)`,
  )
}

function parseFile(path: string, name: string): Scenario {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new ScenarioError(`${path}: not valid JSON (${(error as Error).message})`)
  }
  try {
    return validateScenario(raw, name)
  } catch (error) {
    if (error instanceof ScenarioError) throw new ScenarioError(`${path}: ${error.message}`)
    throw error
  }
}

/**
 * A scenario of one's own names its plans as `heroku pg:info` shows them; one the simulator does not sell
 * (a typo such as standard-1) would only fail later, in the middle of a rehearsal. Legacy and Advanced plans
 * are accepted as they are: a database may still be on one.
 */
function checkPlans(scenario: Scenario, path: string): Scenario {
  const known = new Set(PLANS.map((plan) => plan.key))
  const problems = scenario.apps.flatMap((app, i) =>
    app.databases.flatMap((db, j) => {
      const tier = tierOf(db.plan)
      if (known.has(db.plan) || tier === 'legacy-essential' || tier === 'advanced') return []
      return [`apps[${i}].databases[${j}].plan: expected a Heroku Postgres plan, got "${db.plan}"`]
    }),
  )
  if (problems.length === 0) return scenario
  const allowed = `Allowed: ${[...known].join(', ')}, or a legacy mini or basic plan.`
  throw new ScenarioError(`${path}: ${problems.join('; ')}. ${allowed}`)
}

/** Accepts what startSimulator accepts: a built-in name, a path, or an already-parsed object. */
export function resolveScenario(input: string | object): Scenario {
  if (typeof input === 'string') return loadScenario(input)
  return validateScenario(input, 'custom')
}
