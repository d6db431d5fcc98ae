// verify-command: the user's own check of the new database inside the window, before the app reopens.
// A failed or timed-out check puts DATABASE back on the old database; no write is lost either way.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  appState,
  cleanUpAfterEachTest,
  expectNoSecrets,
  FAST,
  GITHUB_TOKEN,
  job,
  requestsOf,
  SIM_TOKEN,
  simulator,
  until,
} from './simulated'

const OLD = 'postgresql-curved-12345'
cleanUpAfterEachTest()

async function configVars(url: string): Promise<Record<string, string>> {
  const response = await fetch(`${url}/apps/acme-web/config-vars`, {
    headers: { Authorization: `Bearer ${SIM_TOKEN}`, Accept: 'application/vnd.heroku+json; version=3' },
  })
  return (await response.json()) as Record<string, string>
}

/** Whether a live (not zombie) process runs exactly `args`. */
function running(args: string): boolean {
  return execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\S+)\s+(.*)$/.exec(line))
    .some((match) => match !== null && !match[1]!.startsWith('Z') && match[2]!.trim() === args)
}

/** A `sleep` no other test or earlier run starts, so that `ps` finds only this one. */
const uniqueSleep = (seconds: number): string =>
  `sleep ${seconds}.${String(Date.now() % 1_000_000).padStart(6, '0')}`

/** The values the log registered with ::add-mask:: (the runner turns each into *** wherever it appears). */
function masksIn(log: string): string[] {
  return [...log.matchAll(/^::add-mask::(.*)$/gm)].map((match) =>
    match[1]!.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'),
  )
}

/** The log as the runner shows it: every registered value replaced by ***, longest first. */
function masked(log: string): string {
  const masks = masksIn(log).sort((a, b) => b.length - a.length)
  return log
    .replace(/^::add-mask::.*\n/gm, '')
    .split('\n')
    .map((line) => masks.reduce((text, mask) => text.split(mask).join('***'), line))
    .join('\n')
}

const reversed = (text: string): string => [...text].reverse().join('')

describe('verify-command', () => {
  it('runs against the new database with the old one beside it, then the app reopens on the new one', async () => {
    const sim = await simulator()
    const run = job(sim)
    const seen = join(run.dir, 'seen')
    const main = await job(sim, {
      'verify-command': `printf '%s\\n%s\\n%s\\n' "$DATABASE_URL" "$OLD_DATABASE_URL" "$HEROKU_APP" > ${seen} && echo rows-checked`,
    }).main(FAST)
    expect(main.outputs.status).toBe('succeeded')
    expect(main.log).toContain('rows-checked')
    const [newUrl, oldUrl, app] = readFileSync(seen, 'utf8').split('\n')
    const config = await configVars(sim.url)
    expect(newUrl).toBe(config.DATABASE_URL)
    expect(oldUrl).toMatch(/^postgres:\/\//)
    expect(oldUrl).not.toBe(newUrl)
    expect(app).toBe('acme-web')
    expect(main.summary).toMatch(/verify-command passed in \d/)
    expect(main.log).toMatch(/::add-mask::postgres:\/\//)
    expectNoSecrets(main)
    expect((await appState(sim)).current.lost_writes).toBe(0)
  })

  it('sees only what it needs: no input, no API key, no token; every secret part of the URLs is masked', async () => {
    const sim = await simulator()
    const run = job(sim)
    const names = join(run.dir, 'names')
    const main = await job(
      sim,
      {
        'verify-command': [
          "printenv 'INPUT_HEROKU-API-KEY' | rev",
          "printenv 'INPUT_GITHUB-TOKEN' | rev",
          'printenv HEROKU_API_KEY GITHUB_TOKEN ACTIONS_RUNTIME_TOKEN ACTIONS_ID_TOKEN_REQUEST_TOKEN',
          `echo "inputs: $(printenv | grep -c '^INPUT_')"`,
          `env | cut -d= -f1 | sort > ${names}`,
          'echo "without scheme: ${DATABASE_URL#postgres://}"',
          `echo "password: $(echo "$DATABASE_URL" | sed -E 's|^[^:]+://[^:]+:([^@]+)@.*$|\\1|')"`,
          'echo "old pair: $(echo "$OLD_DATABASE_URL" | sed -E \'s|^[^:]+://([^@]+)@.*$|\\1|\')"',
        ].join('\n'),
      },
      {
        HEROKU_API_KEY: SIM_TOKEN,
        GITHUB_TOKEN,
        ACTIONS_RUNTIME_TOKEN: 'runtime-token-secret',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-token-secret',
        GITHUB_RUN_ID: '4242',
        RUNNER_TEMP: run.dir,
        LC_ALL: 'C.UTF-8',
        DEPLOY_PASSWORD: 'some-other-secret',
      },
    ).main(FAST)
    expect(main.outputs.status).toBe('succeeded')
    expect(main.log).toContain('inputs: 0')
    const printed = main.log.replace(/^::add-mask::.*\n/gm, '')
    for (const secret of [SIM_TOKEN, GITHUB_TOKEN, 'runtime-token-secret', 'id-token-secret']) {
      expect(printed).not.toContain(secret)
      expect(printed).not.toContain(reversed(secret))
    }
    const seen = readFileSync(names, 'utf8').trim().split('\n')
    expect(seen.filter((name) => /^INPUT_|TOKEN|HEROKU_API_KEY|PASSWORD|^ACTIONS_/.test(name))).toEqual([])
    expect(seen).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'OLD_DATABASE_URL',
        'HEROKU_APP',
        'PATH',
        'GITHUB_REPOSITORY',
        'GITHUB_RUN_ID',
        'RUNNER_TEMP',
        'LC_ALL',
      ]),
    )
    // The check's own commands cannot reach this step's outputs, state or the job's environment.
    expect(seen.filter((name) => /^GITHUB_(OUTPUT|STATE|ENV|PATH|STEP_SUMMARY)$/.test(name))).toEqual([])

    const { DATABASE_URL: newUrl } = await configVars(sim.url)
    const url = new URL(newUrl!)
    const masks = masksIn(main.log)
    expect(masks).toEqual(
      expect.arrayContaining([
        newUrl,
        newUrl!.replace(/^postgres:\/\//, ''),
        `${url.username}:${url.password}`,
        url.password,
      ]),
    )
    const shown = masked(main.log)
    expect(main.log).toContain(`password: ${url.password}`)
    expect(shown).toContain('without scheme: ***')
    expect(shown).toContain('password: ***')
    expect(shown).toContain('old pair: ***')
    expect(shown).not.toContain(url.password)
    expectNoSecrets(main)
  })

  it('a check that leaves a child running ends with its main process, and takes the child with it', async () => {
    const sim = await simulator()
    const child = uniqueSleep(30)
    const started = Date.now()
    const main = await job(sim, { 'verify-command': `${child} & echo started` }).main(FAST)
    const took = Date.now() - started
    expect(main.outputs.status).toBe('succeeded')
    expect(main.log).toContain('started')
    expect(main.record?.verifyCommand?.verdict).toBe('passed')
    expect(main.record?.verifyCommand?.durationMs).toBeLessThan(3000)
    expect(took).toBeLessThan(10_000)
    expect(running(child)).toBe(false)
  })

  it('a check that ignores SIGTERM is killed at verify-timeout and reported as timed out', async () => {
    const sim = await simulator()
    const child = uniqueSleep(100)
    const started = Date.now()
    const main = await job(sim, {
      'verify-command': `trap '' TERM; ${child}`,
      'verify-timeout': '2s',
    }).main(FAST)
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(main.outputs.status).toBe('rolled-back')
    expect(main.record?.verifyCommand?.verdict).toBe('timed-out')
    expect(main.record?.error).toMatch(/verify-command did not finish within verify-timeout \(2s\)/)
    expect(main.summary).toContain(
      'verify-command timed out, so the switch was undone before the app reopened',
    )
    expect(running(child)).toBe(false)
  })

  it.each([
    [
      'fails',
      { 'verify-command': 'echo "3 rows missing" >&2; exit 3' },
      /verify-command exited with code 3/,
      'failed',
    ],
    [
      'times out',
      { 'verify-command': 'sleep 30', 'verify-timeout': '2s' },
      /verify-command did not finish within verify-timeout \(2s\)/,
      'timed out',
    ],
  ])(
    'when it %s, DATABASE goes back to the old database before the app reopens',
    async (_, inputs, error, said) => {
      const sim = await simulator()
      const before = (await appState(sim)).app
      const started = Date.now()
      const main = await job(sim, inputs).main(FAST)
      expect(Date.now() - started).toBeLessThan(30_000)
      expect(main.outputs.status).toBe('rolled-back')
      expect(main.record?.error).toMatch(error)
      expect(main.record?.switchOutcome).toBe('reverted')
      expect(main.summary).toContain(
        `verify-command ${said}, so the switch was undone before the app reopened`,
      )
      expect(main.summary).toMatch(/\| Running verify-command against the new database \|/)
      const { app, current } = await appState(sim)
      expect(app.database).toBe(OLD)
      expect(app.serving_database).toBe(OLD)
      expect(app.formation).toEqual(before.formation)
      expect(app.maintenance).toBe(false)
      expect(current.lost_writes).toBe(0)
    },
  )

  it('a cancellation while it runs counts as not passed: DATABASE goes back before the app reopens', async () => {
    const sim = await simulator()
    const before = (await appState(sim)).app
    const controller = new AbortController()
    const child = uniqueSleep(20)
    const main = job(sim, { 'verify-command': child }).main({ ...FAST, signal: controller.signal })
    // The check reads the database URLs from the config vars just before it starts the command, after the
    // promote (preflight reads them too, to decide on the write fence).
    await until('verify-command to start', async () => {
      const requests = await requestsOf(sim)
      const promote = requests.findIndex((r) => r.method === 'POST' && r.path === '/addon-attachments')
      return promote >= 0 && requests.slice(promote).some((r) => r.path === '/apps/acme-web/config-vars')
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(running(child)).toBe(true)
    controller.abort()
    const result = await main
    // The check itself is stopped: nothing it started is left holding the database URLs.
    expect(running(child)).toBe(false)
    expect(result.outputs.status).toBe('rolled-back')
    expect(result.record?.switchOutcome).toBe('reverted')
    const { app, current } = await appState(sim)
    expect(app.database).toBe(OLD)
    expect(app.serving_database).toBe(OLD)
    expect(app.formation).toEqual(before.formation)
    expect(app.maintenance).toBe(false)
    expect(current.lost_writes).toBe(0)
  })
})
