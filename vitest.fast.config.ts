import { defineConfig } from 'vitest/config'

// `npm run test:fast`: the tests that only call functions, for the loop while you edit. Everything that
// starts the simulator, runs the action, spawns a process (the bundle, the heroku CLI, Chromium, git) is
// left to `npm test`, which runs the whole suite with vitest.config.ts.
export default defineConfig({
  test: {
    include: ['__tests__/unit/**/*.test.ts', '__tests__/report/**/*.test.ts'],
    exclude: [
      // These run the action, in process, against a fake server or the simulator.
      '__tests__/unit/no-changes-before-confirmation.test.ts',
      '__tests__/unit/progress-simulator.test.ts',
      '__tests__/report/github-simulator.test.ts',
      '__tests__/report/publish.test.ts',
      '__tests__/report/rendered-defects.test.ts',
      '__tests__/report/truthful-summary.test.ts',
    ],
    testTimeout: 10_000,
  },
})
