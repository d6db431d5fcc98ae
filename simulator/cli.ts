import { parseArgs } from 'node:util'
import { ScenarioError, startSimulator } from './index.js'

const USAGE =
  'Usage: npm run simulator -- --scenario <built-in-name-or-path.json> [--port N] [--speed X] [--data-plane] [--quiet]'

function exitWith(message: string, code: number): never {
  process.stderr.write(`${message}\n`)
  process.exit(code)
}

async function main(): Promise<void> {
  let values: {
    scenario?: string
    port?: string
    speed?: string
    quiet?: boolean
    help?: boolean
    'data-plane'?: boolean
  }
  try {
    values = parseArgs({
      options: {
        scenario: { type: 'string', short: 's' },
        port: { type: 'string', short: 'p' },
        speed: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        'data-plane': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    exitWith(`${(error as Error).message}\n${USAGE}`, 2)
  }
  if (values.help) exitWith(USAGE, 0)
  const scenario = values.scenario ?? 'standard-pg14'
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    exitWith(`--port must be an integer from 0 to 65535\n${USAGE}`, 2)
  const speed = values.speed === undefined ? undefined : Number(values.speed)
  if (speed !== undefined && !(speed > 0)) exitWith(`--speed must be a positive number\n${USAGE}`, 2)

  let handle
  try {
    handle = await startSimulator({
      scenario,
      port,
      ...(speed === undefined ? {} : { speed }),
      ...(values['data-plane'] ? { dataPlane: true } : {}),
      log: values.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
    })
  } catch (error) {
    if (error instanceof ScenarioError) exitWith(error.message, 2)
    exitWith(`Could not start the simulator: ${(error as Error).message}`, 1)
  }
  const s = handle.scenario
  process.stdout.write(
    `Heroku simulator listening on ${handle.url} (scenario ${s.name}, speed ${handle.world.clock.speed}x)\n` +
      `env: HEROKU_HOST=${handle.url} HEROKU_DATA_HOST=127.0.0.1 HEROKU_API_KEY=${s.api_key} ` +
      `HEROKU_API_URL=${handle.url} HEROKU_DATA_API_URL=${handle.url} GITHUB_API_URL=${handle.url} GITHUB_TOKEN=${s.github_token}\n`,
  )
  if (handle.dataPlane) {
    process.stdout.write(
      `data plane: add-ons on real PostgreSQL at 127.0.0.1:${handle.dataPlane.endpoint.port}\n`,
    )
  }
  const stop = () => {
    void handle.stop().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

void main()
