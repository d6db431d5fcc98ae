// The README's Inputs and Outputs tables are rendered from action.yml, the file the runner reads, so that
// the two cannot disagree. `node scripts/readme-tables.mjs` rewrites them; `--check` (part of `npm run lint`)
// only says whether they drifted. Text that action.yml does not carry belongs below the tables, outside
// the markers, where a rewrite leaves it alone.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import { parse } from 'yaml'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const ACTION = join(ROOT, 'action.yml')
const README = join(ROOT, 'README.md')

/** One table cell: a single line, with the pipes that would end the cell escaped. */
function cell(text) {
  return String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|')
}

/** A code span that survives backticks inside the value. */
function code(value) {
  const longestRun = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${value}${pad}${fence}`
}

function defaultCell(input) {
  if (input.required === true || input.required === 'true') return '(required)'
  const value = input.default === undefined || input.default === null ? '' : String(input.default)
  return value === '' ? 'empty' : code(value)
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

export function renderTables(metadata) {
  const inputs = Object.entries(metadata.inputs ?? {}).map(([name, input]) => [
    code(name),
    cell(defaultCell(input ?? {})),
    cell(input?.description),
  ])
  const outputs = Object.entries(metadata.outputs ?? {}).map(([name, output]) => [
    code(name),
    cell(output?.description),
  ])
  return {
    inputs: table(['Input', 'Default', 'Meaning'], inputs),
    outputs: table(['Output', 'Meaning'], outputs),
  }
}

const markers = (name) => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`]

/** The README with the text between `<!-- name:start -->` and `<!-- name:end -->` replaced. */
export function replaceSection(readme, name, body) {
  const [start, end] = markers(name)
  const from = readme.indexOf(start)
  const to = readme.indexOf(end)
  if (from < 0 || to < from)
    throw new Error(`README.md has no "${start}" ... "${end}" pair around the ${name} table.`)
  const note = `<!-- Generated from action.yml by \`npm run readme-tables\`: edit action.yml, not this table. -->`
  return `${readme.slice(0, from)}${start}\n${note}\n\n${body}\n\n${readme.slice(to)}`
}

export function section(readme, name) {
  const [start, end] = markers(name)
  return readme.slice(readme.indexOf(start), readme.indexOf(end) + end.length)
}

export async function expectedReadme(readme, metadata) {
  const tables = renderTables(metadata)
  let text = readme
  for (const name of ['inputs', 'outputs']) text = replaceSection(text, name, tables[name])
  // Prettier pads the columns; formatting here keeps `prettier --check` and this check in agreement.
  const options = (await prettier.resolveConfig(README)) ?? {}
  return prettier.format(text, { ...options, filepath: README })
}

async function main(argv) {
  const check = argv.includes('--check')
  const metadata = parse(readFileSync(ACTION, 'utf8'))
  const readme = readFileSync(README, 'utf8')
  const expected = await expectedReadme(readme, metadata)
  const drifted = ['inputs', 'outputs'].filter((name) => section(readme, name) !== section(expected, name))
  const where = relative(process.cwd(), README) || README
  if (check) {
    if (expected === readme) return 0
    console.error(
      drifted.length
        ? `${where}: the ${drifted.join(' and ')} table${drifted.length > 1 ? 's differ' : ' differs'} from action.yml. Run \`npm run readme-tables\` to rewrite ${drifted.length > 1 ? 'them' : 'it'}.`
        : `${where} is not formatted as Prettier formats it: run \`npm run format\`.`,
    )
    return 1
  }
  if (expected !== readme) writeFileSync(README, expected)
  console.log(
    expected === readme ? `${where} is up to date.` : `${where}: rewrote the inputs and outputs tables.`,
  )
  return 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error)
      process.exit(2)
    },
  )
}
