// Fails when modules under src/ import each other in a circle. Type-only imports count: they tie the
// layers (inspect, steps, methods, run, report) together just as much, and ESLint's no-cycle skips them.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', 'src')

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : []
  })
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g

function resolveImport(from, specifier) {
  const base = resolve(dirname(from), specifier.replace(/\.js$/, ''))
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate))
}

const graph = new Map()
for (const file of sources(root)) {
  const text = readFileSync(file, 'utf8')
  const targets = new Set()
  for (const match of text.matchAll(IMPORT)) {
    const target = resolveImport(file, match[1] ?? match[2])
    if (target) targets.add(target)
  }
  graph.set(file, [...targets])
}

// Tarjan's strongly connected components: every component with more than one module is a cycle.
let index = 0
const indices = new Map()
const lowlinks = new Map()
const stack = []
const onStack = new Set()
const cycles = []
function visit(node) {
  indices.set(node, index)
  lowlinks.set(node, index)
  index += 1
  stack.push(node)
  onStack.add(node)
  for (const next of graph.get(node) ?? []) {
    if (!indices.has(next)) {
      visit(next)
      lowlinks.set(node, Math.min(lowlinks.get(node), lowlinks.get(next)))
    } else if (onStack.has(next)) lowlinks.set(node, Math.min(lowlinks.get(node), indices.get(next)))
  }
  if (lowlinks.get(node) === indices.get(node)) {
    const component = []
    let member
    do {
      member = stack.pop()
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component)
  }
}
for (const node of graph.keys()) if (!indices.has(node)) visit(node)

if (cycles.length > 0) {
  console.error(`Import cycles under src/ (${cycles.length}):`)
  for (const cycle of cycles)
    console.error(
      `- ${cycle
        .map((file) => relative(root, file))
        .sort()
        .join(' <-> ')}`,
    )
  process.exit(1)
}
console.log(`No import cycles among ${graph.size} modules under src/.`)
