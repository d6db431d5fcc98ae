// What the inputs become once read and checked: the Settings of a run and the values a few inputs allow.
import type { FenceInput, PhaseInput, WindowEnd, WindowInput } from '../domain/policy'
import type { MethodInput, ScaleDown } from '../domain/vocabulary'

export type { PhaseInput, WindowEnd }

export const METHODS = ['auto', 'follower', 'in-place', 'copy', 'backup-restore', 'plan-change'] as const
export const PHASES = ['all', 'plan', 'prepare', 'switch'] as const
export const FENCES = ['auto', 'on', 'off'] as const
export const WINDOWS = ['maintenance', 'read-only'] as const

export interface Settings {
  apiKey: string
  app: string
  database: string
  method: MethodInput
  /** plan: read-only report; prepare: only what can happen with the app up; switch/all: the whole run. */
  phase: PhaseInput
  /** The plan an approver saw: prepare and switch refuse when the facts changed since. */
  planId?: string
  /** The window is not opened when the estimate exceeds it, and rolled back when it lasts longer. */
  maxDowntimeMs?: number
  windowEnd?: WindowEnd
  /** Target major version; undefined means the newest Heroku supports (unless keepVersion). */
  version?: string
  /** `version` was left empty and `plan` was set: the major version stays as it is. */
  keepVersion: boolean
  /** Canonical plan (heroku-postgresql:standard-0); undefined keeps the current plan. */
  plan?: string
  /** maintenance: the app in maintenance mode; read-only: web serves reads from the fenced database. */
  window: WindowInput
  maintenance: boolean
  scaleDown: ScaleDown
  /**
   * Process types that scale-down leaves running may keep writing while the app moves to a new database:
   * what they write to the old one is lost. False: the window waits until their dynos are stopped.
   */
  acceptLostWrites: boolean
  /** The write fence at the database: on, off, or auto (on when the database can be reached from here). */
  fence: FenceInput
  /** Bounds provisioning and catching up while the app is still up. */
  catchUpTimeoutMs: number
  /** Bounds the wait for 0 commits behind inside the maintenance window. */
  lagTimeoutMs: number
  /** A shell command run inside the window against the new database; undefined when not given. */
  verifyCommand?: string
  verifyTimeoutMs: number
  upgradeTimeoutMs: number
  /** Bounds the wait for Heroku to prepare an in-place upgrade (Standard and higher) while the app is up. */
  prepareTimeoutMs: number
  /** Recreate the old database's followers on the new one after the switch. */
  recreateFollowers: boolean
  pollIntervalMs: number
  githubToken: string
  followUpIssue: boolean
  issueLabels: string[]
  issueAssignees: string[]
  herokuApiUrl: string
  herokuDataApiUrl: string
  githubApiUrl: string
  repository?: string
}
