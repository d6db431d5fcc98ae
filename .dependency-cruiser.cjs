// The layers, from the bottom up. A module may import from its own layer and from the layers listed under
// `uses`; everything else is an import that runs back up (or sideways), and `npm run lint` fails on it.
// Cycles are forbidden everywhere, type-only imports included: they tie modules together just as much.
/** @type {Array<{name: string, path: string, uses: string[]}>} */
const layers = [
  // The action (src/): inputs → domain ← heroku ← inspect → plan → steps → methods → engine → entry.
  { name: 'domain', path: '^src/domain/', uses: [] },
  { name: 'runtime', path: '^src/runtime/', uses: ['domain'] },
  { name: 'inputs', path: '^src/inputs/', uses: ['domain', 'runtime'] },
  { name: 'heroku', path: '^src/heroku/', uses: ['domain', 'runtime'] },
  // The app's database itself, reached with the credential of DATABASE_URL (the write fence).
  { name: 'postgres', path: '^src/postgres/', uses: ['domain'] },
  { name: 'record', path: '^src/record/', uses: ['domain'] },
  { name: 'inspect', path: '^src/inspect/', uses: ['domain', 'runtime', 'inputs', 'heroku', 'record'] },
  { name: 'plan', path: '^src/plan/', uses: ['domain', 'runtime', 'inputs', 'heroku', 'record', 'inspect'] },
  {
    name: 'steps',
    path: '^src/steps/',
    uses: ['domain', 'runtime', 'heroku', 'postgres', 'record', 'inspect', 'plan'],
  },
  {
    name: 'methods',
    path: '^src/methods/',
    uses: ['domain', 'runtime', 'heroku', 'record', 'inspect', 'plan', 'steps'],
  },
  { name: 'report', path: '^src/report/', uses: ['domain', 'runtime', 'inputs', 'record', 'plan'] },
  {
    name: 'engine',
    path: '^src/engine/',
    uses: [
      'domain',
      'runtime',
      'inputs',
      'heroku',
      'postgres',
      'record',
      'inspect',
      'plan',
      'steps',
      'methods',
      'report',
    ],
  },
  {
    name: 'entry',
    path: '^src/[^/]+$',
    uses: ['domain', 'runtime', 'inputs', 'heroku', 'record', 'plan', 'engine', 'report', 'bundle'],
  },
  { name: 'bundle', path: '^src/bundle/', uses: [] },
  // The simulator: the data plane (real Postgres servers, knowing nothing of the rest) and the scenario file
  // (its schema, types and the vocabulary they check) ← model ← scenario loading ← http helpers ← routes ←
  // server and CLI.
  { name: 'sim-data-plane', path: '^simulator/data-plane/', uses: [] },
  { name: 'sim-scenario-types', path: '^simulator/scenario/file/', uses: [] },
  { name: 'sim-model', path: '^simulator/model/', uses: ['sim-scenario-types', 'sim-data-plane'] },
  {
    name: 'sim-scenario',
    path: '^simulator/scenario/',
    uses: ['sim-scenario-types', 'sim-model', 'sim-data-plane'],
  },
  {
    name: 'sim-http',
    path: '^simulator/http/',
    uses: ['sim-scenario-types', 'sim-model', 'sim-scenario', 'sim-data-plane'],
  },
  {
    name: 'sim-routes',
    path: '^simulator/routes/',
    uses: ['sim-scenario-types', 'sim-model', 'sim-scenario', 'sim-http', 'sim-data-plane'],
  },
  {
    name: 'sim-entry',
    path: '^simulator/[^/]+$',
    uses: ['sim-scenario-types', 'sim-model', 'sim-scenario', 'sim-http', 'sim-routes', 'sim-data-plane'],
  },
  // Scripts drive the action and the simulator from the outside; nothing imports them but other scripts.
  { name: 'scripts', path: '^scripts/', uses: ['*src', '*simulator'] },
]

const byName = new Map(layers.map((layer) => [layer.name, layer]))
function allowedPaths(layer) {
  return layer.uses.flatMap((name) => {
    if (name === '*src') return ['^src/']
    if (name === '*simulator') return ['^simulator/']
    return [byName.get(name).path]
  })
}

// A module is in the most specific layer whose path matches it: scenario/types before scenario/.
function exclusions(layer) {
  return layers
    .filter((other) => other !== layer && other.path.startsWith(layer.path) && other.path !== layer.path)
    .map((other) => other.path)
}

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'Modules that import each other, directly or through others, cannot be read or tested apart.',
      from: { path: '^(src|simulator|scripts)/' },
      to: { circular: true },
    },
    ...layers.map((layer) => ({
      name: `layer-${layer.name}`,
      severity: 'error',
      comment: `${layer.name} (${layer.path}) may import only from itself and ${layer.uses.join(', ') || 'nothing else of the project'}.`,
      from: { path: layer.path, pathNot: exclusions(layer) },
      to: {
        path: '^(src|simulator|scripts)/',
        pathNot: [layer.path, ...allowedPaths(layer)],
      },
    })),
    {
      name: 'no-test-imports',
      severity: 'error',
      comment: 'The action, the simulator and the scripts never import from the tests.',
      from: { path: '^(src|simulator|scripts)/' },
      to: { path: '^__tests__/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|tools)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
}
