import { describe, expect, it } from 'vitest'
import { CLI_TEST_TIMEOUT_MS, fastScenarioPerTest } from './procedure'
import { addonIn, simulatorState } from './simulator'

const app = 'acme-web'
const addon = 'postgresql-curved-12345'

/** The URL `pg:credentials:url` prints under "Connection URL:". */
function connectionUrl(stdout: string): string {
  const url = /Connection URL:\n\s+(postgres:\/\/\S+)/.exec(stdout)?.[1]
  if (!url) throw new Error(`pg:credentials:url printed no URL:\n${stdout}`)
  return url
}

describe('named credentials driven by the official Heroku CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  const scenario = fastScenarioPerTest('standard-pg14')

  it('pg:credentials:create stores a credential that pg:credentials lists and pg:credentials:url shows', async () => {
    const { simulator, heroku } = scenario
    const created = await heroku.ok('pg:credentials:create', 'DATABASE', '--name', 'reporter', '-a', app)
    expect(created.stderr).toContain('Creating credential reporter... done')
    expect(created.stdout).toContain(`heroku addons:attach ${addon} --credential reporter -a ${app}`)

    const listed = await heroku.ok('pg:credentials', '-a', app)
    expect(listed.stdout).toMatch(/^\s+default\s+active$/m)
    expect(listed.stdout).toMatch(/^\s+└─ as DATABASE$/m)
    expect(listed.stdout).toMatch(/^\s+reporter\s+(active|provisioning)$/m)

    const config = async () =>
      (await (
        await fetch(`${simulator.target.url}/apps/${app}/config-vars`, {
          headers: { Authorization: `Bearer ${simulator.target.apiKey}` },
        })
      ).json()) as Record<string, string>
    const defaultUrl = (await config()).DATABASE_URL ?? ''

    const shown = await heroku.ok('pg:credentials:url', 'DATABASE', '--name', 'reporter', '-a', app)
    expect(shown.stdout).toContain('Connection information for reporter credential.')
    const reporterUrl = new URL(connectionUrl(shown.stdout))
    expect(reporterUrl.username).not.toBe(new URL(defaultUrl).username)
    expect(reporterUrl.host).toBe(new URL(defaultUrl).host)
    expect(shown.stdout).toContain(
      `user=${reporterUrl.username} password=${reporterUrl.password} sslmode=require`,
    )

    // Attached, the credential's URL is the one pg:credentials:url printed, and pg:credentials names the attachment.
    const attached = await heroku.ok('addons:attach', addon, '--credential', 'reporter', '-a', app)
    const configVar = /Setting (HEROKU_POSTGRESQL_[A-Z]+) config vars/.exec(attached.stderr)?.[1]
    expect(configVar, attached.stderr).toBeDefined()
    expect((await config())[`${configVar}_URL`]).toBe(reporterUrl.toString())
    const relisted = await heroku.ok('pg:credentials', '-a', app)
    expect(relisted.stdout).toMatch(new RegExp(`^\\s+reporter\\s+active\\n\\s+└─ as ${configVar}$`, 'm'))
    expect(addonIn(await simulatorState(simulator.target.url), addon)?.attachments).toContain(
      `${app}::${configVar}`,
    )

    const unknown = await heroku.run('pg:credentials:url', '--name', 'nobody', '-a', app)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("Couldn't find that credential.")
  })
})
