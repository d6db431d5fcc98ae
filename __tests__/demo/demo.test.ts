// `npm run demo` as a user meets it: --help, a mistyped option, a scenario of one's own app written exactly
// as the README's "Rehearse your upgrade" shows it, run from the user's directory.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../scripts/run-action'

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')
const DEMO = join(ROOT, 'scripts', 'demo.ts')
const ALLOWED = '--scenario, --app, --method, --version, --plan, --phase, --data-plane, --help'

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** The demo as `npm run demo -- ARGS` starts it: from the package's root, with the user's directory as INIT_CWD. */
function demo(args: string[], userDirectory = ROOT): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [DEMO, ...args], {
      cwd: ROOT,
      env: { ...process.env, INIT_CWD: userDirectory },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** The JSON block between the README's rehearse-scenario markers, as a user would copy it. */
function readmeScenario(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const block =
    /<!-- rehearse-scenario:start -->\s*```json\n([\s\S]*?)```\s*<!-- rehearse-scenario:end -->/.exec(readme)
  if (!block?.[1]) throw new Error('README.md has no JSON block between the rehearse-scenario markers')
  return block[1]
}

function userDirectoryWith(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'demo-user-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text)
  return directory
}

describe('npm run demo', () => {
  it('--help prints every option and exits 0 without starting a rehearsal', async () => {
    const run = await demo(['--help'])
    expect(run.code).toBe(0)
    for (const flag of ALLOWED.split(', ')) expect(run.stdout).toContain(flag)
    expect(run.stdout).toContain('standard-pg14')
    expect(run.stdout).not.toContain('main step')
  })

  it('refuses an unknown option, naming it and the allowed ones', async () => {
    const run = await demo(['--metod', 'follower'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Unknown option "--metod". Allowed: ' + ALLOWED)
    expect(run.stdout).not.toContain('main step')
  })

  it('refuses an --app the scenario does not have, naming the apps it has', async () => {
    const directory = userDirectoryWith({ 'my-app.json': readmeScenario() })
    const run = await demo(['--scenario', 'my-app.json', '--app', 'my-ap'], directory)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--app is "my-ap"')
    expect(run.stderr).toContain('Allowed: my-app.')
  })

  it('names the file, the key and the allowed values of a bad scenario', async () => {
    const bad = readmeScenario().replace('"quantity": 2', '"quantity": -2')
    const directory = userDirectoryWith({ 'my-app.json': bad })
    const run = await demo(['--scenario', 'my-app.json'], directory)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(join(directory, 'my-app.json'))
    expect(run.stderr).toContain('apps[0].formation[0].quantity: expected a non-negative integer, got -2')
  })

  it('refuses a plan Heroku does not sell, listing the plans it does', async () => {
    const bad = readmeScenario().replace('"essential-0"', '"standard-1"')
    const directory = userDirectoryWith({ 'my-app.json': bad })
    const run = await demo(['--scenario', 'my-app.json'], directory)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(
      'apps[0].databases[0].plan: expected a Heroku Postgres plan, got "standard-1"',
    )
    expect(run.stderr).toContain('Allowed: essential-0, essential-1, essential-2, standard-0, standard-2,')
  })

  it("upgrades the README's own scenario with --app and the default method, in Heroku's time", async () => {
    const directory = userDirectoryWith({ 'my-app.json': readmeScenario() })
    const run = await demo(['--scenario', 'my-app.json', '--app', 'my-app'], directory)
    const lines = run.stdout.trimEnd().split('\n')
    expect(run.code, run.stdout.slice(-3000) + run.stderr).toBe(0)
    expect(run.stdout).toContain('method auto')
    // Stated once, at the top; every other time is Heroku's, and the real time has a line of its own.
    expect(run.stdout.split('60× faster than Heroku').length - 1).toBe(1)
    // The last 4 lines are the result summary `.ci/run` shows.
    expect(lines.slice(-4)).toEqual([
      expect.stringMatching(/^Status: succeeded with method in-place /),
      // Minutes: the 7-minute upgrade alone. Measured on the action's real clock it would read seconds.
      expect.stringMatching(
        /^Downtime: \d+ ?m.* of Heroku's time, maintenance on to off \(the action measured \d+ ?m/,
      ),
      'Lost writes: 0',
      expect.stringMatching(/^Real time: the demo took [\d.]+ s on this machine\.$/),
    ])
    expect(lines.filter((line) => /real/i.test(line) && /Heroku's time/.test(line))).toEqual([])
  })
})
