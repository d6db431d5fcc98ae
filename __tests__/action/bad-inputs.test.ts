// Every bad input stops the run before anything changes: the step fails, the message names the input and
// what is allowed, a long value is cut, and the simulator sees only reads.
import { afterAll, describe, expect, it } from 'vitest'
import { ActionJob, type StepResult } from './harness'
import { FAST, GITHUB_TOKEN, job, SIM_TOKEN, simulator, type Simulator } from './simulated'

type Scenario = 'standard-pg14' | 'premium-follower-pooler'

interface Row {
  name: string
  inputs?: Record<string, string>
  env?: { HEROKU_API_URL: string }
  scenario?: Scenario
  /** Fragments the failure message must contain. */
  expect: string[]
  /** Fragments it must not contain (secrets). */
  absent?: string[]
  /** Refused by the preflight's read-only checks rather than by the settings. */
  needsPreflight?: true
}

const LONG = 10_000
const long = (text: string): string => text.repeat(Math.ceil(LONG / text.length)).slice(0, LONG)
const CUT = `… (${LONG} characters)`

const DURATION = 'Allowed: a duration such as 90s, 45m, 2h or 1h30m, from 1s to 120h.'
const POLL = 'Allowed: a duration such as 90s, 45m, 2h or 1h30m, from 100ms to 10m.'
const BOOLEAN = 'Allowed: true or false.'
const APP_NAME = 'Allowed: a Heroku app name'
const DATABASE = 'Allowed: an attachment name (DATABASE), a config var (DATABASE_URL) or an add-on name'
const METHOD = 'Allowed: auto, follower, in-place, copy, backup-restore, plan-change.'
const VERSION = 'Allowed: a Postgres major version such as 17 (1 to 3 digits, no leading zero)'
const PLAN = 'Allowed: a Heroku Postgres plan such as standard-0'
const PLAN_LISTED = 'Allowed: a plan listed by heroku addons:plans heroku-postgresql'
const SCALE_DOWN = 'Allowed: all, none, or a comma-separated list of at most 20 process types'
const ASSIGNEES = 'Allowed: comma-separated GitHub logins, at most 10.'
const LABELS = 'Allowed: comma-separated label names of at most 50 characters each.'
const API_KEY = 'Allowed: a Heroku API key (printable ASCII without spaces, at most 1000 characters).'
const GITHUB =
  'Allowed: a GitHub token with issues: write (printable ASCII without spaces, at most 1000 characters).'
const URL_ALLOWED = 'Allowed: an http(s) URL such as https://api.heroku.com'

const invalid = (input: string, value: string): string => `Input "${input}" has an invalid value ${value}`

const ROWS: Row[] = [
  {
    name: 'app empty',
    inputs: { app: '' },
    expect: ['Input "app" is required', 'Allowed: the name of a Heroku app'],
  },
  {
    name: 'app with spaces and capitals',
    inputs: { app: 'Acme Web', confirm: 'Acme Web' },
    expect: [invalid('app', '"Acme Web"'), APP_NAME],
  },
  {
    name: 'app starting with a dash',
    inputs: { app: '-acme', confirm: '-acme' },
    expect: [invalid('app', '"-acme"'), APP_NAME],
  },
  {
    name: 'app of 31 characters',
    inputs: { app: 'a'.repeat(31), confirm: 'a'.repeat(31) },
    expect: ['Input "app"', APP_NAME],
  },
  {
    name: 'app 10,000 characters',
    inputs: { app: long('a'), confirm: long('a') },
    expect: ['Input "app"', CUT, APP_NAME],
  },
  {
    name: 'app that does not exist',
    inputs: { app: 'acme-missing', confirm: 'acme-missing' },
    expect: ['The app "acme-missing" was not found'],
    needsPreflight: true,
  },

  {
    name: 'confirm empty',
    inputs: { confirm: '' },
    expect: ['Input "confirm" is required', 'Allowed: the app name "acme-web"'],
  },
  {
    name: 'confirm another app',
    inputs: { confirm: 'acme-prod' },
    expect: ['Input "confirm" has the value "acme-prod"', 'Allowed: exactly the app name.'],
  },
  {
    name: 'confirm in capitals',
    inputs: { confirm: 'ACME-WEB' },
    expect: ['Input "confirm" has the value "ACME-WEB"', 'Allowed: exactly the app name.'],
  },
  {
    name: 'confirm 10,000 characters',
    inputs: { confirm: long('acme-web ') },
    expect: ['Input "confirm"', CUT, 'Allowed: exactly the app name.'],
  },

  {
    name: 'database with a space',
    inputs: { database: 'DATABASE URL' },
    expect: [invalid('database', '"DATABASE URL"'), DATABASE],
  },
  {
    name: 'database with a semicolon',
    inputs: { database: 'DATABASE;DROP' },
    expect: [invalid('database', '"DATABASE;DROP"'), DATABASE],
  },
  {
    name: 'database as a connection URL',
    inputs: { database: 'postgres://user:hunter2@db.example.com:5432/app' },
    expect: ['Input "database" is a connection URL (not shown', DATABASE],
    absent: ['hunter2'],
  },
  {
    name: 'database 10,000 characters',
    inputs: { database: long('DATABASE_') },
    expect: ['Input "database"', CUT, DATABASE],
  },
  {
    name: 'database the app does not have',
    inputs: { database: 'HEROKU_POSTGRESQL_NOPE' },
    expect: ['Input "database" is "HEROKU_POSTGRESQL_NOPE"', 'acme-web'],
    needsPreflight: true,
  },
  {
    name: 'database of another app, attached to this one',
    scenario: 'premium-follower-pooler',
    inputs: { app: 'acme-reports', confirm: 'acme-reports', database: 'SHOP_DATABASE' },
    expect: ['Input "database" is "SHOP_DATABASE"', 'set "app" to the app whose DATABASE_URL it is'],
    needsPreflight: true,
  },

  { name: 'method unknown', inputs: { method: 'fast' }, expect: [invalid('method', '"fast"'), METHOD] },
  {
    name: 'method in capitals',
    inputs: { method: 'FOLLOWER' },
    expect: [invalid('method', '"FOLLOWER"'), METHOD],
  },
  {
    name: 'method as a list',
    inputs: { method: 'follower,copy' },
    expect: [invalid('method', '"follower,copy"'), METHOD],
  },
  {
    name: 'method 10,000 characters',
    inputs: { method: long('follower') },
    expect: ['Input "method"', CUT, METHOD],
  },

  ...['018', '17.2', 'v17', ' 1 7', '0', '-1', '99999'].map((version) => ({
    name: `version ${JSON.stringify(version)}`,
    inputs: { version },
    expect: [invalid('version', JSON.stringify(version.trim())), VERSION],
  })),
  {
    name: 'version 10,000 characters',
    inputs: { version: long('17') },
    expect: ['Input "version"', CUT, VERSION],
  },
  {
    name: 'version older than the database',
    inputs: { version: '13' },
    expect: ['Input "version" is "13"', 'Allowed: 15, 16, 17, 18'],
    needsPreflight: true,
  },
  {
    name: 'version Heroku does not offer',
    inputs: { version: '19' },
    expect: ['Input "version" is "19"', 'Allowed: 15, 16, 17, 18.'],
    needsPreflight: true,
  },

  {
    name: 'plan of another service',
    inputs: { plan: 'heroku-redis:premium-0' },
    expect: [invalid('plan', '"heroku-redis:premium-0"'), PLAN],
  },
  {
    name: 'plan as shown in pg:info',
    inputs: { plan: 'Standard 0' },
    expect: [invalid('plan', '"Standard 0"'), PLAN],
  },
  {
    name: 'plan of 65 characters',
    inputs: { plan: 'p'.repeat(65) },
    expect: ['Input "plan"', 'at most 64 characters'],
  },
  {
    name: 'plan 10,000 characters',
    inputs: { plan: long('standard-0') },
    expect: ['Input "plan"', CUT, PLAN],
  },
  {
    name: 'plan Heroku does not list',
    inputs: { plan: 'nonsense' },
    expect: ['Input "plan" is "nonsense"', 'Closest: standard-0', PLAN_LISTED],
    needsPreflight: true,
  },
  {
    name: 'plan private-0 on an app outside a Private Space',
    inputs: { plan: 'private-0' },
    expect: [
      'Input "plan" is "private-0"',
      'not in one',
      'Allowed: a Standard or higher plan such as standard-0',
    ],
    needsPreflight: true,
  },
  {
    name: 'plan essential-0 for a follower',
    inputs: { plan: 'essential-0' },
    expect: [
      'Input "plan" is "essential-0", an Essential plan',
      'followers need Standard or higher',
      'Allowed: a Standard or higher plan such as standard-0',
    ],
    needsPreflight: true,
  },

  {
    name: 'maintenance yes',
    inputs: { maintenance: 'yes' },
    expect: [invalid('maintenance', '"yes"'), BOOLEAN],
  },
  { name: 'maintenance 1', inputs: { maintenance: '1' }, expect: [invalid('maintenance', '"1"'), BOOLEAN] },
  {
    name: 'maintenance 10,000 characters',
    inputs: { maintenance: long('true') },
    expect: ['Input "maintenance"', CUT, BOOLEAN],
  },

  {
    name: 'scale-down with semicolons',
    inputs: { 'scale-down': 'worker;clock' },
    expect: [invalid('scale-down', '"worker;clock"'), SCALE_DOWN],
  },
  {
    name: 'scale-down all and a type',
    inputs: { 'scale-down': 'all,worker' },
    expect: [invalid('scale-down', '"all,worker"'), SCALE_DOWN],
  },
  {
    name: 'scale-down of 21 types',
    inputs: { 'scale-down': Array.from({ length: 21 }, (_, i) => `type${i}`).join(',') },
    expect: ['Input "scale-down"', SCALE_DOWN],
  },
  {
    name: 'scale-down 10,000 characters',
    inputs: { 'scale-down': long('worker') },
    expect: ['Input "scale-down"', CUT, SCALE_DOWN],
  },
  {
    name: 'scale-down a type the app does not have',
    inputs: { 'scale-down': 'web,ghost' },
    expect: ['Input "scale-down"', 'ghost', 'Allowed: all, none, or some of'],
    needsPreflight: true,
  },

  {
    name: 'catch-up-timeout in words',
    inputs: { 'catch-up-timeout': '2 hours' },
    expect: [invalid('catch-up-timeout', '"2 hours"'), DURATION],
  },
  {
    name: 'catch-up-timeout too long',
    inputs: { 'catch-up-timeout': '121h' },
    expect: [invalid('catch-up-timeout', '"121h"'), DURATION],
  },
  {
    name: 'catch-up-timeout 10,000 characters',
    inputs: { 'catch-up-timeout': long('9') },
    expect: ['Input "catch-up-timeout"', CUT, DURATION],
  },

  {
    name: 'upgrade-timeout zero',
    inputs: { 'upgrade-timeout': '0s' },
    expect: [invalid('upgrade-timeout', '"0s"'), DURATION],
  },
  {
    name: 'upgrade-timeout negative',
    inputs: { 'upgrade-timeout': '-5m' },
    expect: [invalid('upgrade-timeout', '"-5m"'), DURATION],
  },
  {
    name: 'upgrade-timeout 10,000 characters',
    inputs: { 'upgrade-timeout': long('1h') },
    expect: ['Input "upgrade-timeout"', CUT, DURATION],
  },

  {
    name: 'verify-timeout in words',
    inputs: { 'verify-timeout': 'soon' },
    expect: [invalid('verify-timeout', '"soon"'), DURATION],
  },
  {
    name: 'verify-command 10,000 characters',
    inputs: { 'verify-command': long('psql "$DATABASE_URL" -c "select 1"; ') },
    expect: [
      'Input "verify-command" is 10000 characters long',
      'Allowed: a shell command of at most 4000 characters',
    ],
  },
  {
    name: 'prepare-timeout in words',
    inputs: { 'prepare-timeout': 'a day' },
    expect: [invalid('prepare-timeout', '"a day"'), DURATION],
  },
  {
    name: 'recreate-followers not a boolean',
    inputs: { 'recreate-followers': 'sometimes' },
    expect: [invalid('recreate-followers', '"sometimes"'), BOOLEAN],
  },
  {
    name: 'phase unknown',
    inputs: { phase: 'approve' },
    expect: [invalid('phase', '"approve"'), 'Allowed: all, plan, prepare, switch.'],
  },
  {
    name: 'plan-id not one',
    inputs: { 'plan-id': 'abc123' },
    expect: [invalid('plan-id', '"abc123"'), 'Allowed: the plan-id output of a run with phase plan'],
  },
  {
    name: 'plan-id with phase plan',
    inputs: { phase: 'plan', 'plan-id': 'p2-0000-1111-2222-3333-4444-5555-6666' },
    expect: [
      'Input "plan-id" is set with phase "plan"',
      'Allowed: plan-id with phase prepare, switch or all.',
    ],
  },
  {
    name: 'plan-id 10,000 characters',
    inputs: { 'plan-id': long('p2-0000-') },
    expect: ['Input "plan-id" has an invalid value', CUT],
  },
  {
    name: 'max-downtime in words',
    inputs: { 'max-downtime': 'short' },
    expect: [invalid('max-downtime', '"short"'), DURATION],
  },
  {
    name: 'window-end a local time without offset',
    inputs: { 'window-end': '2026-12-02T04:30:00' },
    expect: [invalid('window-end', '"2026-12-02T04:30:00"'), 'Allowed: a time of day in UTC such as 04:30'],
  },
  {
    name: 'window-end an instant that does not exist (February 31)',
    inputs: { 'window-end': '2030-02-31T00:00:00Z' },
    expect: [invalid('window-end', '"2030-02-31T00:00:00Z"'), 'or an ISO 8601 instant with its offset'],
  },
  {
    name: 'window-end at 24:30',
    inputs: { 'window-end': '2026-12-02T24:30Z' },
    expect: [invalid('window-end', '"2026-12-02T24:30Z"')],
  },
  {
    name: 'database of another app (other-app::DATABASE)',
    inputs: { database: 'acme-reports::DATABASE' },
    expect: [
      'Input "database" is "acme-reports::DATABASE", which names a database of app "acme-reports"',
      'This action upgrades the DATABASE of app "acme-web"',
    ],
  },
  {
    name: 'accept-lost-writes not a boolean',
    inputs: { 'accept-lost-writes': 'yes' },
    expect: [invalid('accept-lost-writes', '"yes"'), 'Allowed: true or false'],
  },
  {
    name: 'window-end an impossible time of day',
    inputs: { 'window-end': '25:00' },
    expect: [invalid('window-end', '"25:00"'), 'or an ISO 8601 instant with its offset'],
  },
  {
    name: 'lag-timeout in words',
    inputs: { 'lag-timeout': 'forever' },
    expect: [invalid('lag-timeout', '"forever"'), DURATION],
  },
  {
    name: 'lag-timeout under a second',
    inputs: { 'lag-timeout': '500ms' },
    expect: [invalid('lag-timeout', '"500ms"'), DURATION],
  },
  {
    name: 'lag-timeout in days',
    inputs: { 'lag-timeout': '1d' },
    expect: [invalid('lag-timeout', '"1d"'), DURATION],
  },
  {
    name: 'lag-timeout 10,000 characters',
    inputs: { 'lag-timeout': long('5m') },
    expect: ['Input "lag-timeout"', CUT, DURATION],
  },

  {
    name: 'poll-interval in words',
    inputs: { 'poll-interval': 'often' },
    expect: [invalid('poll-interval', '"often"'), POLL],
  },
  {
    name: 'poll-interval too short',
    inputs: { 'poll-interval': '50ms' },
    expect: [invalid('poll-interval', '"50ms"'), POLL],
  },
  {
    name: 'poll-interval too long',
    inputs: { 'poll-interval': '11m' },
    expect: [invalid('poll-interval', '"11m"'), POLL],
  },
  {
    name: 'poll-interval 10,000 characters',
    inputs: { 'poll-interval': long('5s') },
    expect: ['Input "poll-interval"', CUT, POLL],
  },

  {
    name: 'follow-up-issue maybe',
    inputs: { 'follow-up-issue': 'maybe' },
    expect: [invalid('follow-up-issue', '"maybe"'), BOOLEAN],
  },
  {
    name: 'follow-up-issue no',
    inputs: { 'follow-up-issue': 'no' },
    expect: [invalid('follow-up-issue', '"no"'), BOOLEAN],
  },
  {
    name: 'follow-up-issue 10,000 characters',
    inputs: { 'follow-up-issue': long('false') },
    expect: ['Input "follow-up-issue"', CUT, BOOLEAN],
  },

  {
    name: 'github-token empty with a follow-up issue',
    inputs: { 'github-token': '' },
    expect: [
      'Input "github-token" is empty',
      'Allowed: a token with issues: write, or set follow-up-issue to false.',
    ],
  },
  {
    name: 'github-token with a space',
    inputs: { 'github-token': 'ghp_abc def' },
    expect: ['Input "github-token" contains whitespace', GITHUB],
    absent: ['ghp_abc'],
  },
  {
    name: 'github-token with non-ASCII characters',
    inputs: { 'github-token': 'ghp_tökén' },
    expect: ['Input "github-token" contains characters other than printable ASCII', GITHUB],
    absent: ['ghp_t'],
  },
  {
    name: 'github-token 10,000 characters',
    inputs: { 'github-token': long('ghp_') },
    expect: [`Input "github-token" is ${LONG} characters long`, GITHUB],
  },

  {
    name: 'issue-assignees not a login',
    inputs: { 'issue-assignees': 'octo cat!' },
    expect: [invalid('issue-assignees', '"octo cat!"'), ASSIGNEES],
  },
  {
    name: 'issue-assignees more than GitHub assigns',
    inputs: { 'issue-assignees': Array.from({ length: 11 }, (_, i) => `user${i}`).join(',') },
    expect: ['Input "issue-assignees" names 11 logins', ASSIGNEES],
  },
  {
    name: 'issue-assignees 10,000 characters',
    inputs: { 'issue-assignees': long('octocat') },
    expect: ['Input "issue-assignees"', CUT, ASSIGNEES],
  },
  {
    name: 'issue-assignees 10,000 characters of bad logins',
    inputs: { 'issue-assignees': long('a!,') },
    expect: ['Input "issue-assignees" has invalid values "a!", "a!", "a!" and', ASSIGNEES],
  },

  {
    name: 'issue-labels over 50 characters',
    inputs: { 'issue-labels': `db,${'l'.repeat(51)}` },
    expect: ['Input "issue-labels"', LABELS],
  },
  {
    name: 'issue-labels 10,000 characters',
    inputs: { 'issue-labels': long('label') },
    expect: ['Input "issue-labels"', CUT, LABELS],
  },

  {
    name: 'heroku-api-key empty',
    inputs: { 'heroku-api-key': '' },
    expect: ['Input "heroku-api-key" is required', 'Pass a Heroku API key from a secret.'],
  },
  {
    name: 'heroku-api-key with a space',
    inputs: { 'heroku-api-key': 'sim-heroku token' },
    expect: ['Input "heroku-api-key" contains whitespace', API_KEY],
    absent: ['sim-heroku'],
  },
  {
    name: 'heroku-api-key with a line break',
    inputs: { 'heroku-api-key': 'sim-heroku\ntoken' },
    expect: ['Input "heroku-api-key" contains whitespace', API_KEY],
    absent: ['sim-heroku'],
  },
  {
    name: 'heroku-api-key with non-ASCII characters',
    inputs: { 'heroku-api-key': 'clé-héroku' },
    expect: ['Input "heroku-api-key" contains characters other than printable ASCII', API_KEY],
    absent: ['clé'],
  },
  {
    name: 'heroku-api-key 10,000 characters',
    inputs: { 'heroku-api-key': long('k') },
    expect: [`Input "heroku-api-key" is ${LONG} characters long`, API_KEY],
  },
  {
    name: 'heroku-api-key Heroku refuses',
    inputs: { 'heroku-api-key': 'not-the-key' },
    expect: ['The Heroku API key was refused', 'Check the heroku-api-key secret.'],
    needsPreflight: true,
  },

  {
    name: 'HEROKU_API_URL not http',
    env: { HEROKU_API_URL: 'ftp://example.com' },
    expect: ['Environment variable HEROKU_API_URL has an invalid value "ftp://example.com"', URL_ALLOWED],
  },
  {
    name: 'HEROKU_API_URL not a URL',
    env: { HEROKU_API_URL: 'api.heroku.com' },
    expect: ['Environment variable HEROKU_API_URL has an invalid value "api.heroku.com"', URL_ALLOWED],
  },
  {
    name: 'HEROKU_API_URL with a password',
    env: { HEROKU_API_URL: 'https://user:hunter2@api.heroku.com' },
    expect: ['Environment variable HEROKU_API_URL contains a user name or password (not shown)', URL_ALLOWED],
    absent: ['hunter2'],
  },
  {
    name: 'HEROKU_API_URL with a query',
    env: { HEROKU_API_URL: 'https://api.heroku.com?debug=1' },
    expect: [
      'Environment variable HEROKU_API_URL has an invalid value "https://api.heroku.com?debug=1"',
      URL_ALLOWED,
    ],
  },
  {
    name: 'HEROKU_API_URL 10,000 characters',
    env: { HEROKU_API_URL: `https://${long('x').slice(8)}` },
    expect: ['Environment variable HEROKU_API_URL has an invalid value "https://xxx', CUT, URL_ALLOWED],
  },
]

const simulators = new Map<Scenario, Promise<Simulator>>()
function simulatorFor(scenario: Scenario): Promise<Simulator> {
  let started = simulators.get(scenario)
  if (!started) {
    started = simulator([], 600, scenario)
    simulators.set(scenario, started)
  }
  return started
}

afterAll(async () => {
  for (const started of simulators.values()) await (await started).stop()
})

interface SeenRequest {
  method: string
  path: string
}

async function requestsSeen(sim: Simulator): Promise<SeenRequest[]> {
  return (await (await fetch(`${sim.url}/__simulator/requests`)).json()) as SeenRequest[]
}

const isChange = (request: SeenRequest): boolean =>
  request.method !== 'GET' &&
  !(request.method === 'POST' && request.path === '/actions/addon-attachments/resolve')

async function run(sim: Simulator, row: Row): Promise<StepResult> {
  const created = row.env
    ? new ActionJob(
        {
          'heroku-api-key': SIM_TOKEN,
          app: 'acme-web',
          confirm: 'acme-web',
          'github-token': GITHUB_TOKEN,
          ...row.inputs,
        },
        {
          HEROKU_DATA_API_URL: sim.url,
          GITHUB_API_URL: sim.url,
          GITHUB_REPOSITORY: 'acme/web',
          ...row.env,
        },
      )
    : job(sim, row.inputs)
  try {
    return await created.main(FAST)
  } finally {
    created.cleanup()
  }
}

/** The messages of the ::error:: commands, unescaped the way the runner shows them. */
function errorsOf(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith('::error::'))
    .map((line) =>
      line.slice('::error::'.length).replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'),
    )
}

/** Any 200 characters in a row of the value, wherever they come from in it. */
function containsRunOf(text: string, value: string, run = 200): boolean {
  for (let start = 0; start + run <= value.length; start++)
    if (text.includes(value.slice(start, start + run))) return true
  return false
}

describe('bad inputs', () => {
  for (const row of ROWS)
    it(`refuses ${row.name}${row.needsPreflight ? ' (preflight)' : ''}`, async () => {
      const sim = await simulatorFor(row.scenario ?? 'standard-pg14')
      const before = (await requestsSeen(sim)).length

      const result = await run(sim, row)

      const requests = (await requestsSeen(sim)).slice(before)
      expect(requests.filter(isChange), 'requests that change something').toEqual([])
      expect(result.failed).toBe(true)
      expect(result.outputs.status).toBe('failed')
      const errors = errorsOf(result.log)
      const message = errors.at(-1) ?? ''
      for (const fragment of row.expect) expect(message).toContain(fragment)
      for (const fragment of row.absent ?? []) expect(message).not.toContain(fragment)
      expect(message.length).toBeLessThan(1_000)

      const seen = [result.log.replace(/^::add-mask::.*$/gm, ''), result.summary].join('\n')
      const longValues = [...Object.values(row.inputs ?? {}), ...Object.values(row.env ?? {})].filter(
        (value) => value.length >= LONG,
      )
      for (const value of longValues)
        expect(containsRunOf(seen, value), 'a 200-character run of the value').toBe(false)
      for (const fragment of row.absent ?? []) expect(seen).not.toContain(fragment)
    })

  it('has at least 45 rows, and a bad value of every input', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(45)
    const covered = new Set(
      ROWS.flatMap((row) => [...Object.keys(row.inputs ?? {}), ...Object.keys(row.env ?? {})]),
    )
    for (const input of [
      'app',
      'confirm',
      'database',
      'method',
      'version',
      'plan',
      'maintenance',
      'scale-down',
      'catch-up-timeout',
      'upgrade-timeout',
      'lag-timeout',
      'verify-command',
      'verify-timeout',
      'prepare-timeout',
      'recreate-followers',
      'phase',
      'plan-id',
      'max-downtime',
      'window-end',
      'accept-lost-writes',
      'poll-interval',
      'follow-up-issue',
      'github-token',
      'issue-assignees',
      'issue-labels',
      'heroku-api-key',
      'HEROKU_API_URL',
    ])
      expect(covered.has(input), input).toBe(true)
  })
})
