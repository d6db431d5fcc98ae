// Preloaded (`node --require`) into the action by run-example.ts for a scheduled run: the action's clock
// reads the time the cron entry fires, plus the time elapsed since, so that `window-end` is judged as it
// would be on GitHub whatever time the tests run at. Durations are unchanged: only the origin moves.
const offset = Number(process.env.RUN_EXAMPLE_CLOCK_OFFSET_MS || 0)
if (offset) {
  const RealDate = Date
  const now = () => RealDate.now() + offset
  function ShiftedDate(...args) {
    if (!new.target) return new RealDate(now()).toString()
    return args.length === 0 ? new RealDate(now()) : new RealDate(...args)
  }
  ShiftedDate.prototype = RealDate.prototype
  ShiftedDate.now = now
  ShiftedDate.parse = RealDate.parse
  ShiftedDate.UTC = RealDate.UTC
  globalThis.Date = ShiftedDate
}
