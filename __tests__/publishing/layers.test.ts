// `npm run layers` (part of `npm run lint`) must be able to fail: on a copy of the sources, an import that
// runs back up the layers and a cycle between two modules are each reported under their rule, naming the
// planted files, while a planted import that runs down the layers is not reported at all.
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from './release-workflow'

interface Checked {
  status: number | null
  /** What `npm run layers` prints: one violation per `error <rule>: <from> → <to>` line. */
  output: string
}

const copies: string[] = []
afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true })
})

/** Copies the sources and the checker's configuration, adds `planted` (path → text) and runs the check. */
function layersOf(planted: Record<string, string>): Promise<Checked> {
  const copy = mkdtempSync(join(tmpdir(), 'layers-'))
  copies.push(copy)
  for (const entry of ['src', 'simulator', 'scripts', '.dependency-cruiser.cjs', 'tsconfig.json']) {
    cpSync(join(ROOT, entry), join(copy, entry), { recursive: true })
  }
  for (const [path, text] of Object.entries(planted)) {
    mkdirSync(dirname(join(copy, path)), { recursive: true })
    writeFileSync(join(copy, path), text)
  }
  const args = ['src', 'simulator', 'scripts', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'depcruise'), args, { cwd: copy })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, output }))
  })
}

/** The violations the output reports, each with every file it names (a cycle's run over several lines). */
function violations(output: string): Array<{ rule: string; files: string[] }> {
  return output
    .split(/\n(?=\s*error )/)
    .map((text) => /^\s*error ([\w-]+):([\s\S]*)$/.exec(text))
    .filter((match) => match !== null)
    .map(([, rule = '', rest = '']) => ({ rule, files: rest.match(/[\w./-]+\.ts\b/g) ?? [] }))
}

let upward: Checked
let downward: Checked

// Both copies are checked at once: each run reads the whole tree, a few seconds apiece.
beforeAll(async () => {
  ;[upward, downward] = await Promise.all([
    layersOf({
      'src/engine/planted-target.ts': 'export const target = 1\n',
      'src/heroku/planted-upward.ts':
        "import { target } from '../engine/planted-target.js'\nexport const up = target\n",
      'src/domain/planted-cycle-a.ts':
        "import { b } from './planted-cycle-b.js'\nexport const a = (): number => b()\n",
      'src/domain/planted-cycle-b.ts':
        "import { a } from './planted-cycle-a.js'\nexport const b = (): number => a()\n",
    }),
    layersOf({
      'src/domain/planted-base.ts': 'export const base = 1\n',
      'src/engine/planted-downward.ts':
        "import { base } from '../domain/planted-base.js'\nexport const down = base\n",
    }),
  ])
}, 60_000)

describe('the layer check', () => {
  it('fails on an import from heroku/ up into engine/, naming the rule and both files', () => {
    expect(upward.status).not.toBe(0)
    expect(upward.output).toContain(
      'error layer-heroku: src/heroku/planted-upward.ts → src/engine/planted-target.ts',
    )
    const planted = violations(upward.output).filter((v) => v.files.includes('src/heroku/planted-upward.ts'))
    expect(planted).toEqual([
      { rule: 'layer-heroku', files: ['src/heroku/planted-upward.ts', 'src/engine/planted-target.ts'] },
    ])
  })

  it('fails on a cycle between two modules, naming the rule and both files', () => {
    const planted = violations(upward.output).filter((v) => v.files.includes('src/domain/planted-cycle-a.ts'))
    expect(planted.length).toBeGreaterThan(0)
    for (const violation of planted) {
      expect(violation.rule).toBe('no-cycle')
      expect(violation.files).toEqual(
        expect.arrayContaining(['src/domain/planted-cycle-a.ts', 'src/domain/planted-cycle-b.ts']),
      )
    }
  })

  it('says nothing about an import from engine/ down into domain/', () => {
    // The real tree may have violations of its own; the planted files must add none.
    expect(downward.output).toMatch(/dependency violations|no dependency violations/)
    expect(downward.output).not.toContain('planted-')
  })
})
