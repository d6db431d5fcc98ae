// Entry point for both the main and the post step (action.yml runs dist/index.js for each).
import './silence-url-parse-warning'
import * as core from '@actions/core'
import { runMain } from './main'
import { runPost } from './post'
import { isPostStep } from './record/state'

const run = isPostStep() ? runPost() : runMain({ handleSignals: true })
run
  .catch((error: unknown) => core.setFailed(error instanceof Error ? error.message : String(error)))
  // Exit now rather than when abandoned sockets time out (after a cancellation, within the runner's grace period).
  .finally(() => process.exit())
