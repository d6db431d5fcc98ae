// The action as a separate process, killed in the middle of the window: SIGKILL (then the post step
// restores the app and a re-run resumes), and SIGTERM (the main step restores the app itself, in time).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseFileCommands } from './harness'
import { DEFAULT_INPUTS, FAST, job, simulator, state, type Simulator } from './simulated'

const OLD = 'postgresql-curved-12345'
const ROOT = new URL('../..', import.meta.url).pathname
const ENTRY = new URL('../../src/index.ts', import.meta.url).pathname

let sim: Simulator | undefined
let dir: string | undefined
let child: ChildProcess | undefined
afterEach(async () => {
  child?.kill('SIGKILL')
  await sim?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
  sim = undefined
  dir = undefined
})

interface JobFiles {
  GITHUB_OUTPUT: string
  GITHUB_STATE: string
  GITHUB_STEP_SUMMARY: string
}

/** Starts src/index.ts the way the runner starts dist/index.js. */
function spawnMain(s: Simulator): { child: ChildProcess; files: JobFiles; exited: Promise<number | null> } {
  dir = mkdtempSync(join(tmpdir(), 'pg-upgrade-kill-'))
  const files: JobFiles = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const inputs = DEFAULT_INPUTS
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    HEROKU_API_URL: s.url,
    HEROKU_DATA_API_URL: s.url,
    GITHUB_API_URL: s.url,
    GITHUB_REPOSITORY: 'acme/web',
    ...files,
  }
  // node itself (not the tsx wrapper), so that a SIGKILL really kills the action.
  child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.resume()
  child.stderr?.resume()
  const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)))
  return { child, files, exited }
}

/** Until the window is fully open: maintenance on and every process type scaled to zero. */
async function untilMaintenanceOn(s: Simulator): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    const app = (await state(s)).apps.find((a) => a.name === 'acme-web')!
    if (app.maintenance && app.formation.every((entry) => entry.quantity === 0)) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('the app never went into maintenance')
}

// upgrade/run is refused once with Retry-After, which holds the action inside the window for a few seconds.
const HOLD_IN_WINDOW = (seconds: number) => ({
  method: 'POST',
  path: '/client/v11/databases/*/upgrade/run',
  status: 429,
  times: 1,
  retry_after: seconds,
})

describe('a kill in the middle of the window', () => {
  it('SIGKILL: the post step restores the app and a re-run resumes with the same follower', async () => {
    sim = await simulator([HOLD_IN_WINDOW(2)])
    const before = (await state(sim)).apps.find((a) => a.name === 'acme-web')!
    const main = spawnMain(sim)
    await untilMaintenanceOn(sim)
    main.child.kill('SIGKILL')
    await main.exited

    let app = (await state(sim)).apps.find((a) => a.name === 'acme-web')!
    expect(app.maintenance).toBe(true)

    const saved = parseFileCommands(readFileSync(main.files.GITHUB_STATE, 'utf8'))
    expect(saved.isPost).toBe('true')
    const rerun = job(sim)
    rerun.useState(saved)
    const post = await rerun.post(FAST)
    expect(post.log).toMatch(
      /Post step: restored acme-web: web=2:standard-2x worker=1:standard-1x clock=1:standard-1x, acme-web: maintenance off/i,
    )
    expect(post.outputs.status).toBe('rolled-back')
    app = (await state(sim)).apps.find((a) => a.name === 'acme-web')!
    expect(app.maintenance).toBe(false)
    expect(app.formation).toEqual(before.formation)

    const again = await rerun.post(FAST)
    expect(again.log).toContain('nothing to do')

    const resumed = await job(sim).main(FAST)
    expect(resumed.record?.error).toBeUndefined()
    expect(resumed.outputs.status).toBe('succeeded')
    expect(resumed.log).toMatch(/Resuming with follower/)
    const after = await state(sim)
    const created = after.addons.filter((a) => a.name !== OLD)
    expect(created).toHaveLength(1)
    expect(after.apps.find((a) => a.name === 'acme-web')!.database).toBe(created[0]!.name)
    expect(after.lost_writes).toBe(0)
  })

  it('SIGTERM: the main step puts the app back and exits within the runner grace period', async () => {
    sim = await simulator([HOLD_IN_WINDOW(30)])
    const before = (await state(sim)).apps.find((a) => a.name === 'acme-web')!
    const main = spawnMain(sim)
    await untilMaintenanceOn(sim)
    const signalledAt = Date.now()
    main.child.kill('SIGTERM')
    await main.exited
    expect(Date.now() - signalledAt).toBeLessThan(7_500)

    const outputs = parseFileCommands(readFileSync(main.files.GITHUB_OUTPUT, 'utf8'))
    expect(outputs.status).toBe('rolled-back')
    const app = (await state(sim)).apps.find((a) => a.name === 'acme-web')!
    expect(app.maintenance).toBe(false)
    expect(app.formation).toEqual(before.formation)
    expect(app.database).toBe(OLD)
  })
})
