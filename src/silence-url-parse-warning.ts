// heroku-client builds every request URL with url.parse(), and Node 24 prints DEP0169 for it on each run.
// The warning is about that library, not about anything a user of this action can change, so it is dropped;
// every other warning is left alone.
const emitWarning = process.emitWarning.bind(process)

process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const [typeOrOptions, code] = rest
  const codeOf =
    typeof typeOrOptions === 'object' && typeOrOptions !== null
      ? (typeOrOptions as { code?: string }).code
      : code
  if (codeOf === 'DEP0169') return
  ;(emitWarning as (...args: unknown[]) => void)(warning, ...rest)
}) as typeof process.emitWarning
