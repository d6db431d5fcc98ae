// The job summary and the follow-up issue as a reader sees them: rendered by marked (GitHub-flavoured Markdown)
// and mermaid in headless Chromium (Debian's package), then checked for undrawn diagrams and for text no
// reader should meet. Fixed Markdown shows the check passes good pages and fails bad ones; then the real
// summaries and issue the action writes must pass it. Nothing here reaches the network: the page's requests
// are refused, and one test proves it.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderFollowUpIssue } from '../../src/report/issue'
import { renderSummary } from '../../src/report/summary'
import {
  checkTexts,
  describeVerdict,
  findChromium,
  launchBrowser,
  renderMarkdown,
  type RenderVerdict,
} from '../../scripts/render-markdown'
import { failedAfterPromoteRecord, rolledBackRecord, succeededRecord } from '../report/fixtures'

const GOOD = `## Upgrade of acme-web

**Succeeded** with 42 s of downtime.

| Step | Duration |
| --- | --- |
| Create the follower | 3 min 20 s |
| Upgrade | 25 s |

<details><summary>Log</summary>

\`\`\`
heroku pg:info --app acme-web
\`\`\`

</details>

\`\`\`mermaid
gantt
  dateFormat x
  axisFormat %H:%M
  section Prepare (app up)
    Create the follower :done, a, 0, 200000
  section Switch (maintenance window)
    Downtime 42 s :crit, w, 350000, 392000
\`\`\`
`

const BROKEN_MERMAID = `A chart follows.

\`\`\`mermaid
gantt
  dateFormat x
  section Prepare
    Create the follower :done, a, 0, 200000
  this line is not mermaid ((((
\`\`\`
`

const chromiumPath = findChromium()

if (!chromiumPath) {
  const why =
    'No Chromium at /usr/bin/chromium (apt-get install -y chromium): the rendered pages are not checked.'
  if (process.env.CI) it('finds Chromium (CI installs it)', () => expect.fail(why))
  else {
    console.warn(`${why} Skipped outside CI.`)
    it.skip('renders the summary in Chromium (skipped: no Chromium)', () => {})
  }
}

const expectPasses = (verdict: RenderVerdict): void => expect(verdict.ok, describeVerdict(verdict)).toBe(true)

describe.runIf(chromiumPath)('the summary rendered in Chromium', () => {
  let browser: Browser
  let dir: string

  beforeAll(async () => {
    browser = await launchBrowser(chromiumPath)
    dir = mkdtempSync(join(tmpdir(), 'render-test-'))
  })

  afterAll(async () => {
    await browser?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('passes a page with a table, folded details and a valid gantt, and draws its bars', async () => {
    const screenshotPath = join(dir, 'good.png')
    const { verdict, html } = await renderMarkdown(browser, GOOD, { screenshotPath })
    expectPasses(verdict)
    expect(verdict).toMatchObject({ diagrams: 1, rendered: 1, mermaidErrors: [], errorPictures: 0 })
    expect(verdict.bars.map((bar) => bar.label.trim())).toEqual(['Create the follower', 'Downtime 42 s'])
    expect(verdict.bars.every((bar) => bar.widthPx > 10)).toBe(true)
    expect(html).toContain('<table>')
    // A PNG of the whole page was written.
    expect(readFileSync(screenshotPath).subarray(1, 4).toString('latin1')).toBe('PNG')
  })

  it('fails a mermaid block that does not parse, and keeps the error for the reader', async () => {
    const { verdict } = await renderMarkdown(browser, BROKEN_MERMAID)
    expect(verdict.ok).toBe(false)
    expect(verdict.diagrams).toBe(1)
    expect(verdict.rendered).toBe(0)
    expect(verdict.mermaidErrors.map((failure) => failure.index)).toEqual([0])
    expect(verdict.mermaidErrors[0]?.message.length).toBeGreaterThan(0)
  })

  it('fails a page that shows "undefined" to the reader, and names the text', async () => {
    const { verdict } = await renderMarkdown(browser, 'Waiting for undefined to catch up (app still up).\n')
    expect(verdict.ok).toBe(false)
    expect(verdict.textProblems).toEqual([
      {
        check: '"undefined" shown to the reader',
        text: 'Waiting for undefined to catch up (app still up).',
      },
    ])
  })

  it('fails Markdown that GitHub would show raw: bold markers and a table row left as text', async () => {
    // Bold markers with a space inside are not bold; a table without its header line is not a table.
    const { verdict } = await renderMarkdown(browser, 'Status: ** Succeeded **\n\n|---|---|\n')
    expect(verdict.ok).toBe(false)
    expect(verdict.textProblems.map((problem) => problem.check)).toEqual([
      'unrendered ** (bold markers left as text)',
      'unrendered table (a |--- row left as text)',
    ])
  })

  it('loads nothing from outside the page: a remote image is refused and fails the verdict', async () => {
    const { verdict } = await renderMarkdown(browser, '![status](https://example.invalid/badge.png)\n')
    expect(verdict.blockedRequests).toEqual(['https://example.invalid/badge.png'])
    expect(verdict.ok).toBe(false)
  })

  it('warns, without failing, of a gantt bar squeezed to a sliver and of a code line cut off at the edge', async () => {
    const markdown = [
      '```',
      `Error: ${'the upgrade failed at step 3 of 7; '.repeat(8)}`,
      '```',
      '',
      '```mermaid',
      'gantt',
      '  dateFormat x',
      '  section Prepare (app up)',
      '    Prepare the upgrade :done, p, 0, 21600000',
      '  section Switch (maintenance window)',
      '    Verify DATABASE_URL :v, 21600000, 21601000',
      '```',
    ].join('\n')
    const { verdict } = await renderMarkdown(browser, markdown)
    expectPasses(verdict)
    expect(verdict.warnings).toHaveLength(2)
    expect(verdict.warnings[0]).toMatch(/^gantt 0: the bar "Verify DATABASE_URL ?" is 0\.\d px wide/)
    expect(verdict.warnings[1]).toMatch(
      /^a pre wider than the page is cut off at its right edge: "Error: the upgrade/,
    )
  })

  it.each([
    ['succeeded', succeededRecord],
    ['rolled back', rolledBackRecord],
    ['failed after the switch', failedAfterPromoteRecord],
  ])('renders the action’s %s summary with its gantt drawn and nothing false-looking', async (_, record) => {
    const screenshotPath = join(dir, 'summary.png')
    const { verdict } = await renderMarkdown(browser, renderSummary(record()), { screenshotPath })
    expectPasses(verdict)
    expect(verdict.diagrams).toBeGreaterThanOrEqual(1)
    expect(verdict.rendered).toBe(verdict.diagrams)
    expect(existsSync(screenshotPath)).toBe(true)
  })

  it('renders the follow-up issue with its checklist', async () => {
    const issue = renderFollowUpIssue(succeededRecord(), new Date('2026-11-21T10:07:00Z'), {
      runUrl: 'https://github.com/acme/acme-web/actions/runs/1',
    })
    const { verdict, html } = await renderMarkdown(browser, `# ${issue.title}\n\n${issue.body}`)
    expectPasses(verdict)
    expect(html).toContain('type="checkbox"')
  })
})

describe('the text checks', () => {
  it('finds each kind of defect, and allows Markdown syntax inside code', () => {
    const problems = checkTexts([
      { text: 'Downtime: NaN s', code: false },
      { text: 'Method: ?', code: false },
      { text: 'Detail: [object Object]', code: false },
      { text: '<details>', code: false },
      { text: 'grep -c "**" file | wc', code: true },
      { text: 'Why? Because the plan said so.', code: false },
    ])
    expect(problems.map((problem) => problem.check)).toEqual([
      '"NaN" shown to the reader',
      'a lone "?" standing for a missing value',
      '"[object Object]" shown to the reader',
      'unrendered HTML tag left as text',
    ])
  })
})
