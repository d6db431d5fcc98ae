// Preloaded into the action (`node --require`) where its clock must not be the machine's:
// - CLOCK_OFFSET_MS moves its origin: run-example.ts gives a scheduled run the time its cron entry fires, so that
//   `window-end` is judged as on GitHub whatever time the tests run at;
// - CLOCK_SPEED (> 1) makes its clock and timers run that many times faster: the bench's Heroku-paced runs
//   match the simulator's clock at that speed, so that minutes of Heroku's work take seconds while every wait
//   keeps its proportions in simulated time.
const offset = Number(process.env.CLOCK_OFFSET_MS || 0)
const speed = Number(process.env.CLOCK_SPEED || 1)

if (offset || speed > 1) {
  const RealDate = Date
  const origin = RealDate.now()
  const now = () => Math.round(origin + offset + (RealDate.now() - origin) * speed)
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

if (speed > 1) {
  const realSetTimeout = globalThis.setTimeout
  const realSetInterval = globalThis.setInterval
  globalThis.setTimeout = (callback, ms, ...args) =>
    realSetTimeout(callback, (Number(ms) || 0) / speed, ...args)
  globalThis.setInterval = (callback, ms, ...args) =>
    realSetInterval(callback, (Number(ms) || 0) / speed, ...args)
}
