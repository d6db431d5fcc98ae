// verify-command: the user's own check of the new database inside the window, before the app reopens.
// A failed or timed-out check puts DATABASE back on the old database; no write is lost either way.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  appState,
  cleanUpAfterEachTest,
  expectNoSecrets,
  FAST,
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
    const running = job(sim, { 'verify-command': 'sleep 20' }).main({ ...FAST, signal: controller.signal })
    // The check reads the database URLs from the config vars just before it starts the command.
    await until('verify-command to start', async () =>
      (await requestsOf(sim)).some((r) => r.path === '/apps/acme-web/config-vars'),
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    controller.abort()
    const result = await running
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
