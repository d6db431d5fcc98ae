// action.yml is what the runner reads: it must parse, run the committed bundle on node24, and agree with
// the settings module (every input read) and the README (every input and output documented, same defaults).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { readSettings } from '../../src/inputs/settings'

const ROOT = join(__dirname, '..', '..')

interface ActionMetadata {
  inputs: Record<string, { required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string; post: string; 'post-if': string }
}

const metadata = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionMetadata
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** Rows of the README table that follows a `### <heading>` line: first cell → second cell. */
function readmeTable(heading: string): Map<string, string> {
  const section = readme.split(`### ${heading}\n`)[1] ?? ''
  const rows = new Map<string, string>()
  const lines = section.split('\n')
  const start = lines.findIndex((line) => line.startsWith('|'))
  // skip the header row and the |---| separator
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break
    const cells = line.split('|').map((cell) => cell.trim())
    for (const name of (cells[1] ?? '').split('/')) rows.set(name.trim().replace(/`/g, ''), cells[2] ?? '')
  }
  return rows
}

describe('action.yml', () => {
  it('runs the committed bundle on node24 for both the main and the post step', () => {
    expect(metadata.runs).toEqual({
      using: 'node24',
      main: 'dist/index.js',
      post: 'dist/index.js',
      'post-if': 'always()',
    })
  })

  it('declares exactly the inputs the settings module reads', () => {
    const read = new Set<string>()
    try {
      readSettings((name) => {
        read.add(name)
        return ''
      }, {})
    } catch {
      // every required input is empty here: only the names matter
    }
    expect([...read].sort()).toEqual(Object.keys(metadata.inputs).sort())
  })

  it('has every input documented in the README with the same default', () => {
    const documented = readmeTable('Inputs')
    for (const [name, input] of Object.entries(metadata.inputs)) {
      expect(documented.has(name), `README documents input ${name}`).toBe(true)
      const cell = documented.get(name) ?? ''
      if (input.required) expect(cell, name).toBe('(required)')
      else if (input.default) expect(cell, name).toBe(`\`${input.default}\``)
      else expect(cell, name).toBe('empty')
    }
    expect([...documented.keys()].sort()).toEqual(Object.keys(metadata.inputs).sort())
  })

  it('has every output documented in the README', () => {
    expect([...readmeTable('Outputs').keys()].sort()).toEqual(Object.keys(metadata.outputs).sort())
  })
})
