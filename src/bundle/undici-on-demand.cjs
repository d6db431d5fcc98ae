// The bundle resolves `undici` here (tsconfig.json "paths"; ncc honours them, tsc and vitest never see this
// file). @actions/core loads undici through @actions/http-client at start-up although only the GitHub client
// (fetch, and ProxyAgent behind a proxy) uses it: evaluating it on first use instead keeps about a third of
// the action's cold start.
let undici
const load = () => (undici ??= require('undici/index.js'))

exports.fetch = (...args) => load().fetch(...args)
exports.ProxyAgent = function ProxyAgent(options) {
  return new (load().ProxyAgent)(options)
}
