// How the official Heroku CLI (the `heroku` devDependency) is run against the simulator without touching
// the real account or the internet. Shared by the conformance tests and the benchmark.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './run-action'

export const HEROKU_CLI_ENTRY = join(ROOT, 'node_modules', 'heroku', 'bin', 'run.js')

// Any request the CLI would send somewhere other than 127.0.0.1 goes to this proxy, where nothing
// listens (port 9, discard), so it fails instead of reaching the internet.
const DEAD_PROXY = 'http://127.0.0.1:9'

/** A throwaway HOME where the terms-of-service banner was already seen; the caller removes it. */
export function isolatedCliHome(prefix: string): string {
  const home = mkdtempSync(join(tmpdir(), prefix))
  const cacheDir = join(home, '.cache', 'heroku')
  mkdirSync(cacheDir, { recursive: true })
  // The init hook prints a terms-of-service warning until this marker exists.
  writeFileSync(join(cacheDir, 'terms-of-service'), '')
  return home
}

/** The environment the CLI runs with: the simulator as Heroku, and every phone-home feature off. */
export function isolatedCliEnvironment(home: string, url: string, apiKey: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    HEROKU_HOST: url,
    HEROKU_DATA_HOST: new URL(url).hostname,
    HEROKU_API_KEY: apiKey,
    // Telemetry (OpenTelemetry, Sentry, Herokulytics), update checks, auto-update, OS notifications.
    DISABLE_TELEMETRY: 'true',
    HEROKU_SKIP_NEW_VERSION_CHECK: 'true',
    HEROKU_DISABLE_AUTOUPDATE: '1',
    HEROKU_NOTIFICATIONS: '0',
    // Plain output: no colours, no spinner redraws.
    NO_COLOR: '1',
    TERM: 'dumb',
    // Errors and warnings are word-wrapped at 80 columns off a TTY; keep each message on one line.
    OCLIF_COLUMNS: '400',
    HTTP_PROXY: DEAD_PROXY,
    HTTPS_PROXY: DEAD_PROXY,
    NO_PROXY: '127.0.0.1,localhost',
  }
}
