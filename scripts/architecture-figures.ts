// The figures of the code's shape that the engine refactor (issue 15) is measured by, for any checkout:
//   npx tsx scripts/architecture-figures.ts [DIR]
// DIR defaults to this checkout; give another worktree (git worktree add /tmp/old <rev>) to compare. The
// layer rules are the ones in DIR/.dependency-cruiser.cjs, run with this checkout's dependency-cruiser.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'

const root = resolve(process.argv[2] ?? '.')
const here = resolve(new URL('..', import.meta.url).pathname)

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : []
  })
}

interface Counts {
  recordWrites: number
  recordWriterFiles: Set<string>
  saveCalls: number
  runContextParams: number
  settingsReadsInSteps: number
  nonNull: number
  over300: string[]
}

const counts: Counts = {
  recordWrites: 0,
  recordWriterFiles: new Set(),
  saveCalls: 0,
  runContextParams: 0,
  settingsReadsInSteps: 0,
  nonNull: 0,
  over300: [],
}

/** `record.x`, `context.record.x`, `this.record.x`: an access whose chain passes through a `record`. */
function throughRecord(node: ts.Expression): boolean {
  let current: ts.Expression = node
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
    const object: ts.Expression = current.expression
    if (ts.isIdentifier(object) && object.text === 'record') return true
    if (ts.isPropertyAccessExpression(object) && object.name.text === 'record') return true
    current = object
  }
  return false
}

const ASSIGNMENTS = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken])
const MUTATORS = new Set(['push', 'splice', 'unshift'])

for (const file of [...sources(join(root, 'src')), ...sources(join(root, 'simulator'))]) {
  const text = readFileSync(file, 'utf8')
  const name = relative(root, file)
  if (text.split('\n').length > 300) counts.over300.push(name)
  if (!name.startsWith('src/')) continue
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true)
  // The record's owner writes it by design: before, nothing owned it; after, src/record/.
  const owner = name.startsWith('src/record/')
  const inSteps = name.startsWith('src/steps/')
  const visit = (node: ts.Node): void => {
    if (ts.isNonNullExpression(node)) counts.nonNull += 1
    if (ts.isParameter(node) && node.type && /\bRunContext\b/.test(node.type.getText(source)))
      counts.runContextParams += 1
    if (inSteps && ts.isPropertyAccessExpression(node)) {
      const object = node.expression
      if (
        (ts.isIdentifier(object) && object.text === 'settings') ||
        (ts.isPropertyAccessExpression(object) && object.name.text === 'settings')
      )
        counts.settingsReadsInSteps += 1
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression
      const called = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : ''
      if (called === 'save' && node.arguments.length === 0 && !owner) counts.saveCalls += 1
      if (
        !owner &&
        ts.isPropertyAccessExpression(callee) &&
        MUTATORS.has(called) &&
        throughRecord(callee.expression)
      ) {
        counts.recordWrites += 1
        counts.recordWriterFiles.add(name)
      }
    }
    const written =
      (ts.isBinaryExpression(node) && ASSIGNMENTS.has(node.operatorToken.kind) && node.left) ||
      (ts.isDeleteExpression(node) && node.expression)
    if (
      !owner &&
      written &&
      (ts.isPropertyAccessExpression(written) || ts.isElementAccessExpression(written))
    ) {
      if (throughRecord(written)) {
        counts.recordWrites += 1
        counts.recordWriterFiles.add(name)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
}

function layerViolations(): { upward: number; cycles: number } {
  let output = ''
  try {
    output = execFileSync(
      join(here, 'node_modules/.bin/depcruise'),
      ['src', 'simulator', 'scripts', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    )
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? '')
  }
  return {
    upward: (output.match(/^\s*error layer-/gm) ?? []).length,
    cycles: (output.match(/^\s*error no-cycle/gm) ?? []).length,
  }
}

const layers = layerViolations()
const rows: Array<[string, string | number]> = [
  ['imports that run back up a layer (dependency-cruiser)', layers.upward],
  ['import cycles (dependency-cruiser)', layers.cycles],
  ['files outside src/record/ that write the run record', counts.recordWriterFiles.size],
  ['writes to the run record outside src/record/', counts.recordWrites],
  ['save() calls outside src/record/', counts.saveCalls],
  ['RunContext parameters', counts.runContextParams],
  ['settings reads in src/steps/', counts.settingsReadsInSteps],
  ['non-null assertions in src/', counts.nonNull],
  ['files over 300 lines in src/ and simulator/', counts.over300.length],
]
console.log(`Figures for ${root}`)
for (const [what, value] of rows) console.log(`${String(value).padStart(5)}  ${what}`)
if (counts.over300.length) console.log(`over 300 lines: ${counts.over300.join(', ')}`)
