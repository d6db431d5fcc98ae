// `npx tsx scripts/screenshots.ts [--out DIR]` (default test-results/screenshots/): runs the bundled action
// (dist/index.js, as the runner runs it) against the simulator in four runs a reader meets: (a) a follower
// upgrade that succeeds, (b) the read-only plan an approver reads, (c) a run whose upgrade fails before the
// switch and rolls back, (d) an in-place upgrade whose prepare takes 6 hours of Heroku's time. Each job summary,
// and the follow-up issue of (a), is written as Markdown and rendered in headless Chromium to a PNG beside it
// (scripts/render-markdown.ts), with verdicts.json. Exits 1 when a run ends otherwise than expected or a
// rendering fails its verdict, so CI can run it; looking at the pictures is still a person's job.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { startSimulator } from '../simulator/index'
import { describeVerdict, launchBrowser, renderMarkdown, type RenderVerdict } from './render-markdown'
import { ENTRY, ROOT, RunnerJob } from './run-action'

const HEROKU_TOKEN = 'sim-heroku-token'
const GITHUB_TOKEN = 'sim-github-token'
const APP = 'acme-web'
const CLOCK_PRELOAD = join(ROOT, 'scripts', 'clock-preload.cjs')
/**
 * Simulated seconds per real second for the six-hour run: its 6 h of preparing take 36 s. Faster would do, but
 * the action's own milliseconds grow as much, and at 2000× its preflight alone reads 13 minutes.
 */
const LONG_SPEED = 600
const SIX_HOURS = 6 * 3600

type Json = Record<string, unknown>

interface Run {
  name: string
  what: string
  scenario: Json
  /** Simulated seconds per real second, for the simulator and the action's clock alike. */
  speed: number
  inputs: Record<string, string>
  status: string
  /** The follow-up issue is rendered too. */
  issue?: boolean
}

function standardPg14(changes: { durations?: Json; faults?: unknown[] } = {}): Json {
  const base = JSON.parse(
    readFileSync(join(ROOT, 'simulator', 'scenarios', 'standard-pg14.json'), 'utf8'),
  ) as Json
  return {
    ...base,
    durations: { ...(base.durations as Json), ...changes.durations },
    faults: changes.faults ?? [],
  }
}

// The action's clock runs as fast as the simulator's (scripts/clock-preload.cjs, as the bench's paced runs do),
// so that the summaries show Heroku's durations, as a real run's would, and polls keep their default pace.
const DEMO_SPEED = 60

const RUNS: Run[] = [
  {
    name: 'success',
    what: `follower upgrade of standard-pg14 that succeeds (${DEMO_SPEED}× faster)`,
    scenario: standardPg14(),
    speed: DEMO_SPEED,
    inputs: { method: 'follower', version: '17' },
    status: 'succeeded',
    issue: true,
  },
  {
    name: 'plan',
    what: 'phase plan of the same upgrade (changes nothing)',
    scenario: standardPg14(),
    speed: DEMO_SPEED,
    inputs: { method: 'follower', version: '17', phase: 'plan' },
    status: 'planned',
  },
  {
    name: 'rolled-back',
    what: `follower upgrade whose upgrade fails at step 3 of 7, before the switch (${DEMO_SPEED}× faster)`,
    scenario: standardPg14({ faults: [{ type: 'upgrade-fails', step: 3 }] }),
    speed: DEMO_SPEED,
    inputs: { method: 'follower', version: '17' },
    status: 'rolled-back',
  },
  {
    // Not one of the four asked for, but where a literal "?" and a method never chosen were once shown.
    name: 'early-failure',
    what: 'a run refused in preflight (a version Heroku does not offer)',
    scenario: standardPg14(),
    speed: DEMO_SPEED,
    inputs: { method: 'auto', version: '13' },
    status: 'failed',
  },
  {
    name: 'six-hour-prepare',
    what: `in-place upgrade whose prepare takes 6 h of Heroku's time (${LONG_SPEED}× faster)`,
    // Once prepared, Heroku refuses upgrade/run as "not ready" for a while; the simulator's default (300 s) outlasts
    // the 2 minutes the action retries within its window, so this run takes 60 s, as the fault matrix does.
    scenario: standardPg14({ durations: { upgrade_prepare: SIX_HOURS, upgrade_run_ready_after: 60 } }),
    speed: LONG_SPEED,
    // The default prepare-timeout is 6 h: a prepare this long needs more, as the README tells its readers.
    inputs: { method: 'in-place', version: '17', 'prepare-timeout': '8h' },
    status: 'succeeded',
  },
]

interface Produced {
  run: Run
  status: string
  exitCode: number | null
  summary: string
  issue?: string
  log: string
}

async function runOnSimulator(run: Run): Promise<Produced> {
  const simulator = await startSimulator({ scenario: run.scenario, speed: run.speed })
  try {
    const clock = { NODE_OPTIONS: `--require "${CLOCK_PRELOAD}"`, CLOCK_SPEED: String(run.speed) }
    const job = new RunnerJob({
      githubToken: GITHUB_TOKEN,
      inputs: { 'heroku-api-key': HEROKU_TOKEN, app: APP, confirm: APP, ...run.inputs },
      env: {
        HEROKU_API_URL: simulator.url,
        HEROKU_DATA_API_URL: simulator.url,
        GITHUB_API_URL: simulator.url,
        GITHUB_REPOSITORY: `acme/${APP}`,
        ...clock,
      },
      timeoutMs: 90_000,
    })
    try {
      const main = await job.main()
      const post = await job.post()
      const state = (await (await fetch(`${simulator.url}/__simulator/state`)).json()) as {
        github_issues: Array<{ title: string; body: string }>
      }
      const issue = state.github_issues.at(-1)
      return {
        run,
        status: main.outputs.status ?? '(none)',
        exitCode: main.exitCode,
        // GitHub shows the main step's summary followed by the post step's.
        summary: [main.summary, post.summary].filter((text) => text.trim()).join('\n'),
        issue: issue && `# ${issue.title}\n\n${issue.body}`,
        log: main.stdout + main.stderr,
      }
    } finally {
      rmSync(job.workDir, { recursive: true, force: true })
    }
  } finally {
    await simulator.stop()
  }
}

interface Rendered {
  file: string
  what: string
  verdict: RenderVerdict
}

async function renderTo(
  browser: Browser,
  out: string,
  file: string,
  markdown: string,
  what: string,
): Promise<Rendered> {
  writeFileSync(join(out, `${file}.md`), markdown)
  const { verdict } = await renderMarkdown(browser, markdown, {
    screenshotPath: join(out, `${file}.png`),
    diagramPathPrefix: join(out, file),
    title: `${file}: ${what}`,
  })
  return { file, what, verdict }
}

/** What went wrong with a run itself, before anything is rendered. */
function runProblems(produced: Produced): string[] {
  const problems: string[] = []
  const { run } = produced
  if (produced.status !== run.status)
    problems.push(
      `${run.name}: status ${produced.status} (exit ${produced.exitCode}), expected ${run.status}\n${tail(produced.log)}`,
    )
  if (!produced.summary.trim()) problems.push(`${run.name}: the action wrote no job summary`)
  if (run.issue && !produced.issue) problems.push(`${run.name}: no follow-up issue was opened`)
  return problems
}

const tail = (text: string): string =>
  text
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('::add-mask::'))
    .slice(-15)
    .map((line) => `    | ${line}`)
    .join('\n')

async function renderAll(out: string, runs: Produced[]): Promise<Rendered[]> {
  const browser = await launchBrowser()
  try {
    const rendered: Rendered[] = []
    for (const produced of runs) {
      const { run } = produced
      rendered.push(await renderTo(browser, out, run.name, produced.summary, run.what))
      if (run.issue && produced.issue)
        rendered.push(await renderTo(browser, out, `${run.name}-issue`, produced.issue, `${run.what}: issue`))
    }
    return rendered
  } finally {
    await browser.close()
  }
}

function outDir(argv: string[]): string {
  const index = argv.indexOf('--out')
  const dir = resolve((index >= 0 && argv[index + 1]) || join(ROOT, 'test-results', 'screenshots'))
  mkdirSync(dir, { recursive: true })
  return dir
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log('Usage: npx tsx scripts/screenshots.ts [--out DIR]   (default test-results/screenshots/)')
    return 0
  }
  if (!existsSync(ENTRY)) {
    console.error('dist/index.js is missing: run `npm run build` first.')
    return 1
  }
  const out = outDir(argv)
  const startedAt = Date.now()
  // Each run has its own simulator and process: running them together keeps the whole under a minute.
  const produced = await Promise.all(RUNS.map((run) => runOnSimulator(run)))
  const problems = produced.flatMap(runProblems)
  const rendered = await renderAll(out, produced)
  writeFileSync(
    join(out, 'verdicts.json'),
    JSON.stringify(
      rendered.map(({ file, what, verdict }) => ({ file, what, ...verdict })),
      null,
      2,
    ),
  )
  for (const { file, what, verdict } of rendered)
    console.log(`${file}.png (${what})\n${describeVerdict(verdict)}`)
  for (const item of rendered)
    if (!item.verdict.ok) problems.push(`${item.file}: the rendered page fails its verdict`)
  for (const problem of problems) console.error(`✗ ${problem}`)
  console.log(
    `${rendered.length} page(s) in ${out} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${problems.length ? `${problems.length} problem(s)` : 'all pass'}.`,
  )
  return problems.length ? 1 : 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error)
    process.exit(1)
  },
)
