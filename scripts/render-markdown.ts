// Renders Markdown the way a reader sees it on GitHub, in a real browser: GitHub-flavoured Markdown by marked,
// ```mermaid blocks drawn by mermaid inside the page, a stylesheet close to GitHub's, then a full-page PNG and
// a verdict a program can act on (every diagram drawn; no `undefined`, `NaN`, lone `?` or raw Markdown left in
// the visible text). Used by scripts/screenshots.ts and __tests__/render/.
//
// CLI: `npx tsx scripts/render-markdown.ts FILE.md [--out FILE.png] [--html FILE.html] [--diagrams]`: prints the
// verdict as JSON and exits 1 when it fails (2 when no browser could be started). --diagrams also writes each
// diagram alone beside the PNG (`FILE-diagram-0.png` ...).

import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Marked, type Tokens } from 'marked'
import { chromium, type Browser, type Page } from 'playwright-core'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const MERMAID_JS = join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js')

/** Debian's package installs it here; CI installs it before the tests. */
export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser']

/** Flags that start Debian's Chromium as root in a container, with nothing reaching out to the network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** GitHub's Markdown column is about 1012 px wide; the page adds GitHub's padding around it. */
const VIEWPORT = { width: 1100, height: 800 }
/** A gantt bar narrower than this cannot carry its label or be told apart from its neighbours. */
const SLIVER_PX = 4

export interface MermaidFailure {
  /** 0-based position of the ```mermaid block in the document. */
  index: number
  message: string
}

/** One bar of a drawn gantt chart, as wide as the browser drew it. */
export interface GanttBar {
  diagram: number
  label: string
  widthPx: number
}

export interface TextProblem {
  check: string
  /** The text node it was found in, shortened. */
  text: string
}

export interface RenderVerdict {
  ok: boolean
  /** ```mermaid blocks in the Markdown. */
  diagrams: number
  /** Of those, how many mermaid drew. */
  rendered: number
  mermaidErrors: MermaidFailure[]
  /** Mermaid's own error pictures ("Syntax error in text") found in the page. */
  errorPictures: number
  textProblems: TextProblem[]
  /** Requests the page tried to make outside itself (all refused): it must be self-contained. */
  blockedRequests: string[]
  /** Uncaught errors in the page. */
  pageErrors: string[]
  /** Not failures, but what a reader would struggle with (gantt bars too thin to read, text cut off). */
  warnings: string[]
  bars: GanttBar[]
}

export interface RenderOptions {
  /** Writes a full-page PNG there. */
  screenshotPath?: string
  /** Writes the self-contained HTML page there. */
  htmlPath?: string
  /** Also writes each drawn diagram alone (`<prefix>-diagram-<n>.png`), small enough to view unscaled. */
  diagramPathPrefix?: string
  title?: string
}

export interface RenderResult {
  verdict: RenderVerdict
  html: string
}

/** The first Chromium found, or undefined: callers decide whether that is a failure or a skip. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined
  return CHROMIUM_PATHS.find((path) => existsSync(path))
}

/** Starts headless Chromium with a fresh profile (playwright makes a new temporary one per launch). */
export async function launchBrowser(executablePath = findChromium()): Promise<Browser> {
  if (!executablePath) {
    const where = process.env.CHROMIUM_PATH
      ? `CHROMIUM_PATH is "${process.env.CHROMIUM_PATH}", which does not exist`
      : `No Chromium at ${CHROMIUM_PATHS.join(' or ')}`
    throw new Error(`${where}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.`)
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true })
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** marked with GFM; a ```mermaid block becomes `<pre class="mermaid">` for the page's script to draw. */
function markdownToHtml(markdown: string): string {
  const marked = new Marked({
    gfm: true,
    renderer: {
      code(token: Tokens.Code): string | false {
        if (token.lang?.trim() !== 'mermaid') return false
        return `<pre class="mermaid">${escapeHtml(token.text)}</pre>\n`
      },
    },
  })
  return marked.parse(markdown, { async: false })
}

// Close to GitHub's markdown-body: enough to judge layout (tables, code, headings, details), not a copy.
const CSS = `
body { margin: 0; background: #fff; color: #1f2328; }
.markdown-body { box-sizing: border-box; max-width: 1012px; margin: 0 auto; padding: 32px;
  font-family: -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, "Liberation Sans", sans-serif;
  font-size: 14px; line-height: 1.5; word-wrap: break-word; }
h1, h2, h3, h4 { margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
h1 { font-size: 2em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0; }
h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0; }
h3 { font-size: 1.25em; } h4 { font-size: 1em; }
p, ul, ol, table, pre, details, blockquote { margin: 0 0 16px; }
ul, ol { padding-left: 2em; } li + li { margin-top: .25em; }
li:has(> input[type="checkbox"]) { list-style: none; margin-left: -1.4em; }
li > input[type="checkbox"] { margin: 0 .3em .2em 0; vertical-align: middle; }
a { color: #0969da; text-decoration: none; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 85%; padding: .2em .4em; background: rgba(129, 139, 152, .12); border-radius: 6px; }
pre { padding: 16px; overflow: auto; background: #f6f8fa; border-radius: 6px; line-height: 1.45; }
pre code { padding: 0; background: transparent; font-size: 85%; white-space: pre; }
table { display: block; width: max-content; max-width: 100%; overflow: auto; border-collapse: collapse; }
th, td { padding: 6px 13px; border: 1px solid #d1d9e0; }
th { font-weight: 600; } tr:nth-child(2n) { background: #f6f8fa; }
blockquote { padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
details summary { cursor: pointer; } details > summary + * { margin-top: 8px; }
hr { height: .25em; margin: 24px 0; background: #d1d9e0; border: 0; }
pre.mermaid { background: transparent; text-align: center; padding: 0; overflow: visible; }
pre.mermaid-failed { text-align: left; color: #d1242f; background: #ffebe9; padding: 16px; white-space: pre-wrap; }
`

// Runs in the page (plain JavaScript: the project's TypeScript has no DOM types). Opens every <details> so that
// the picture shows what a reader can unfold and mermaid measures text in visible boxes, draws each diagram on
// its own so one bad block does not hide the others, then collects the visible text and the gantt bars.
const PAGE_SCRIPT = String.raw`
window.__rendered = (async () => {
  const result = { diagrams: 0, rendered: 0, mermaidErrors: [], errorPictures: 0, texts: [], bars: [], overflows: [] };
  for (const details of document.querySelectorAll('details')) details.open = true;
  const blocks = Array.from(document.querySelectorAll('pre.mermaid'));
  result.diagrams = blocks.length;
  if (blocks.length > 0 && typeof mermaid === 'undefined') {
    result.mermaidErrors.push({ index: -1, message: 'mermaid did not load in the page' });
    return result;
  }
  if (blocks.length > 0)
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', suppressErrorRendering: true, theme: 'default' });
  for (const [index, block] of blocks.entries()) {
    const source = block.textContent;
    try {
      await mermaid.parse(source);
      const { svg } = await mermaid.render('mermaid-' + index, source);
      block.innerHTML = svg;
      block.dataset.diagram = String(index);
      result.rendered += 1;
    } catch (error) {
      const message = String((error && error.message) || error);
      result.mermaidErrors.push({ index, message });
      document.getElementById('dmermaid-' + index)?.remove();
      block.classList.add('mermaid-failed');
      block.textContent = 'Mermaid could not draw this diagram: ' + message + '\n\n' + source;
    }
  }
  result.errorPictures = document.querySelectorAll('svg[aria-roledescription="error"]').length;
  for (const block of document.querySelectorAll('pre.mermaid[data-diagram]')) {
    const diagram = Number(block.dataset.diagram);
    for (const rect of block.querySelectorAll('rect.task')) {
      const label = document.getElementById(rect.id + '-text');
      result.bars.push({ diagram, label: label ? label.textContent : rect.id, widthPx: rect.getBoundingClientRect().width });
    }
  }
  result.overflows = Array.from(document.querySelectorAll('pre:not(.mermaid), table'))
    .filter((element) => element.scrollWidth > element.clientWidth + 1)
    .map((element) => ({ tag: element.tagName.toLowerCase(), text: element.textContent.trim().slice(0, 100) }));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !node.textContent.trim()) continue;
    if (parent.closest('script, style, .mermaid-failed')) continue;
    result.texts.push({ text: node.textContent, code: Boolean(parent.closest('code, pre:not(.mermaid)')) });
  }
  return result;
})();
`

let mermaidJs: string | undefined
/** mermaid's 2.7 MB bundle, read once, made safe to inline in a <script> element. */
const mermaidSource = (): string =>
  (mermaidJs ??= readFileSync(MERMAID_JS, 'utf8').replace(/<\/script/gi, '<\\/script'))

/** Self-contained: mermaid is inlined, so the page loads nothing, in the test as when opened from disk. */
export function htmlPage(markdown: string, title = 'Rendered Markdown'): string {
  const body = markdownToHtml(markdown)
  const needsMermaid = body.includes('<pre class="mermaid">')
  const mermaidScript = needsMermaid ? `<script>${mermaidSource()}</script>` : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${CSS}</style></head>
<body><article class="markdown-body">
${body}
</article>
${mermaidScript}
<script>${PAGE_SCRIPT}</script>
</body></html>
`
}

/** A text found in the rendered page, and whether it sits in code (where Markdown syntax is legitimate). */
export interface PageText {
  text: string
  code: boolean
}

interface TextCheck {
  check: string
  pattern: RegExp
  /** Also looked for inside code spans and blocks. */
  inCode: boolean
}

const TEXT_CHECKS: TextCheck[] = [
  { check: '"undefined" shown to the reader', pattern: /\bundefined\b/, inCode: true },
  { check: '"NaN" shown to the reader', pattern: /\bNaN\b/, inCode: true },
  { check: '"[object Object]" shown to the reader', pattern: /\[object \w+\]/, inCode: true },
  { check: 'a lone "?" standing for a missing value', pattern: /(^|\s)\?(?=\s|$)/, inCode: true },
  { check: 'unrendered ** (bold markers left as text)', pattern: /\*\*/, inCode: false },
  { check: 'unrendered table (a |--- row left as text)', pattern: /\|\s*:?-{3,}/, inCode: false },
  { check: 'unrendered code fence (```)', pattern: /```/, inCode: false },
  {
    check: 'unrendered HTML tag left as text',
    pattern: /<\/?(details|summary|br|b|code|table|tr|td|th|sub|sup)\b[^>]*>/i,
    inCode: false,
  },
]

const shorten = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat
}

/** What a reader would read as a defect in the page's visible text; one entry per check and text. */
export function checkTexts(texts: PageText[]): TextProblem[] {
  const problems: TextProblem[] = []
  for (const { text, code } of texts)
    for (const { check, pattern, inCode } of TEXT_CHECKS)
      if ((inCode || !code) && pattern.test(text)) problems.push({ check, text: shorten(text) })
  return problems
}

interface PageResult {
  diagrams: number
  rendered: number
  mermaidErrors: MermaidFailure[]
  errorPictures: number
  texts: PageText[]
  bars: GanttBar[]
  /** Code blocks and tables wider than the column: the reader sees them cut off until they scroll. */
  overflows: Array<{ tag: string; text: string }>
}

/** Bars too thin to read, unless another chart of the page (a window drawn alone) shows the same step wider. */
function sliverWarnings(bars: GanttBar[]): string[] {
  const readable = new Set(bars.filter((bar) => bar.widthPx >= SLIVER_PX).map((bar) => bar.label.trim()))
  return bars
    .filter((bar) => Number.isFinite(bar.widthPx) && bar.widthPx < SLIVER_PX)
    .filter((bar) => !readable.has(bar.label.trim()))
    .map(
      (bar) =>
        `gantt ${bar.diagram}: the bar "${bar.label}" is ${bar.widthPx.toFixed(1)} px wide (under ${SLIVER_PX} px: unreadable)`,
    )
}

function verdictOf(page: PageResult, blockedRequests: string[], pageErrors: string[]): RenderVerdict {
  const textProblems = checkTexts(page.texts)
  const brokenBars = page.bars
    .filter((bar) => !Number.isFinite(bar.widthPx))
    .map((bar) => ({ check: 'gantt bar without a width', text: bar.label }))
  textProblems.push(...brokenBars)
  const ok =
    page.mermaidErrors.length === 0 &&
    page.rendered === page.diagrams &&
    page.errorPictures === 0 &&
    textProblems.length === 0 &&
    blockedRequests.length === 0 &&
    pageErrors.length === 0
  return {
    ok,
    diagrams: page.diagrams,
    rendered: page.rendered,
    mermaidErrors: page.mermaidErrors,
    errorPictures: page.errorPictures,
    textProblems,
    blockedRequests,
    pageErrors,
    warnings: [
      ...sliverWarnings(page.bars),
      ...(page.overflows ?? []).map(
        (box) => `a ${box.tag} wider than the page is cut off at its right edge: "${shorten(box.text)}"`,
      ),
    ],
    bars: page.bars,
  }
}

/** Refuses every request the page makes: the page is complete in itself, and a test never reaches out. */
async function isolate(page: Page, blocked: string[]): Promise<void> {
  await page.route('**/*', async (route) => {
    blocked.push(route.request().url())
    await route.abort()
  })
}

/** Each drawn diagram alone, for a close look at labels the full page shows too small to read. */
async function screenshotDiagrams(page: Page, prefix: string): Promise<void> {
  const diagrams = await page.locator('pre.mermaid[data-diagram]').all()
  for (const [index, diagram] of diagrams.entries())
    await diagram.screenshot({ path: `${prefix}-diagram-${index}.png` })
}

/** Renders `markdown` in a new page of `browser`; the caller owns the browser. */
export async function renderMarkdown(
  browser: Browser,
  markdown: string,
  options: RenderOptions = {},
): Promise<RenderResult> {
  const html = htmlPage(markdown, options.title)
  if (options.htmlPath) writeFileSync(options.htmlPath, html)
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 })
  try {
    const page = await context.newPage()
    const blocked: string[] = []
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await isolate(page, blocked)
    await page.setContent(html, { waitUntil: 'load' })
    const result = (await page.evaluate('window.__rendered')) as PageResult
    if (options.screenshotPath) await page.screenshot({ path: options.screenshotPath, fullPage: true })
    if (options.diagramPathPrefix) await screenshotDiagrams(page, options.diagramPathPrefix)
    return { verdict: verdictOf(result, blocked, pageErrors), html }
  } finally {
    await context.close()
  }
}

/** One paragraph per failure, for logs and test messages. */
export function describeVerdict(verdict: RenderVerdict): string {
  const lines = [
    `${verdict.ok ? 'passes' : 'FAILS'}: ${verdict.rendered} of ${verdict.diagrams} mermaid diagram(s) drawn`,
  ]
  for (const failure of verdict.mermaidErrors)
    lines.push(`  mermaid block ${failure.index}: ${failure.message.split('\n')[0]}`)
  if (verdict.errorPictures) lines.push(`  ${verdict.errorPictures} mermaid error picture(s) in the page`)
  for (const problem of verdict.textProblems) lines.push(`  ${problem.check}: "${problem.text}"`)
  for (const url of verdict.blockedRequests) lines.push(`  the page tried to load ${url}`)
  for (const error of verdict.pageErrors) lines.push(`  page error: ${error}`)
  for (const warning of verdict.warnings) lines.push(`  warning: ${warning}`)
  return lines.join('\n')
}

function option(argv: string[], flag: string): string | undefined {
  const index = argv.indexOf(flag)
  return index >= 0 ? argv[index + 1] : undefined
}

async function cli(argv: string[]): Promise<number> {
  const file = argv.find((arg, index) => !arg.startsWith('--') && !argv[index - 1]?.startsWith('--'))
  const usage =
    'Usage: npx tsx scripts/render-markdown.ts FILE.md [--out FILE.png] [--html FILE.html] [--diagrams]'
  if (argv.includes('--help')) {
    console.log(usage)
    return 0
  }
  if (!file) {
    console.error(`No Markdown file given. ${usage}`)
    return 2
  }
  const screenshotPath = option(argv, '--out') ?? file.replace(/\.md$/i, '') + '.png'
  let browser: Browser
  try {
    browser = await launchBrowser()
  } catch (error) {
    console.error(error instanceof Error ? error.message : error)
    return 2
  }
  try {
    const { verdict } = await renderMarkdown(browser, readFileSync(file, 'utf8'), {
      screenshotPath,
      htmlPath: option(argv, '--html'),
      diagramPathPrefix: argv.includes('--diagrams') ? screenshotPath.replace(/\.png$/i, '') : undefined,
      title: file,
    })
    console.log(JSON.stringify({ file, screenshot: screenshotPath, ...verdict }, null, 2))
    console.error(describeVerdict(verdict))
    return verdict.ok ? 0 : 1
  } finally {
    await browser.close()
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error)
      process.exit(1)
    },
  )
