import { describe, expect, it } from 'vitest'
import { resolvePolicy, type PolicyInputs } from '../../src/inputs/policy'
import { readSettings } from '../../src/inputs/settings'

const VALID: Record<string, string> = {
  'heroku-api-key': 'key-123',
  app: 'acme-web',
  confirm: 'acme-web',
  'github-token': 'gh-token',
}

const settingsOf = (inputs: Record<string, string>) => {
  const all = { ...VALID, ...inputs }
  return readSettings((name) => all[name] ?? '', {})
}

describe('resolvePolicy', () => {
  it('carries the documented defaults, each bound named by its input', () => {
    expect(resolvePolicy(settingsOf({}))).toEqual({
      phase: 'all',
      timeouts: {
        catchUp: { input: 'catch-up-timeout', ms: 7_200_000 },
        prepare: { input: 'prepare-timeout', ms: 18_000_000 },
        lag: { input: 'lag-timeout', ms: 300_000 },
        upgrade: { input: 'upgrade-timeout', ms: 3_600_000 },
        verify: { input: 'verify-timeout', ms: 300_000 },
      },
      poll: { intervalMs: 5_000, windowMs: 2_000, longWaitMs: 30_000, watchMs: 5_000 },
      window: {
        readOnly: false,
        maintenance: true,
        scaleDown: { kind: 'all' },
        acceptLostWrites: false,
        fence: 'auto',
        maxDowntime: undefined,
        end: undefined,
      },
      verifyCommand: undefined,
      recreateFollowers: true,
    })
  })

  it('takes every input the steps read', () => {
    const policy = resolvePolicy(
      settingsOf({
        phase: 'prepare',
        'catch-up-timeout': '3h',
        'prepare-timeout': '4h',
        'lag-timeout': '90s',
        'upgrade-timeout': '2h',
        'verify-timeout': '1m',
        'poll-interval': '500ms',
        maintenance: 'false',
        'scale-down': 'worker,clock',
        'accept-lost-writes': 'true',
        fence: 'off',
        'max-downtime': '15m',
        'window-end': '04:30',
        'verify-command': 'psql "$DATABASE_URL" -c "select 1"',
        'recreate-followers': 'false',
      }),
    )
    expect(policy).toEqual({
      phase: 'prepare',
      timeouts: {
        catchUp: { input: 'catch-up-timeout', ms: 10_800_000 },
        prepare: { input: 'prepare-timeout', ms: 14_400_000 },
        lag: { input: 'lag-timeout', ms: 90_000 },
        upgrade: { input: 'upgrade-timeout', ms: 7_200_000 },
        verify: { input: 'verify-timeout', ms: 60_000 },
      },
      poll: { intervalMs: 500, windowMs: 500, longWaitMs: 3_000, watchMs: 2_500 },
      window: {
        readOnly: false,
        maintenance: false,
        scaleDown: { kind: 'list', types: ['worker', 'clock'] },
        acceptLostWrites: true,
        fence: 'off',
        maxDowntime: { input: 'max-downtime', ms: 900_000 },
        end: { hour: 4, minute: 30, text: '04:30 UTC' },
      },
      verifyCommand: 'psql "$DATABASE_URL" -c "select 1"',
      recreateFollowers: false,
    })
  })

  it('keeps a window-end instant and scale-down none as given', () => {
    const policy = resolvePolicy(settingsOf({ 'window-end': '2026-12-02T04:30:00Z', 'scale-down': 'none' }))
    expect(policy.window.end).toEqual({
      at: Date.parse('2026-12-02T04:30:00Z'),
      text: '2026-12-02T04:30:00Z',
    })
    expect(policy.window.scaleDown).toEqual({ kind: 'none' })
  })

  it('window read-only: maintenance stays off and scale-down all keeps web serving', () => {
    const window = resolvePolicy(settingsOf({ window: 'read-only' })).window
    expect(window).toMatchObject({
      readOnly: true,
      maintenance: false,
      scaleDown: { kind: 'all', keep: ['web'] },
    })
    expect(
      resolvePolicy(settingsOf({ window: 'read-only', 'scale-down': 'worker' })).window.scaleDown,
    ).toEqual({
      kind: 'list',
      types: ['worker'],
    })
  })

  it('caps the window cadence and the dyno watch, whatever poll-interval is', () => {
    expect(resolvePolicy(settingsOf({ 'poll-interval': '1m' })).poll).toEqual({
      intervalMs: 60_000,
      windowMs: 2_000,
      longWaitMs: 360_000,
      watchMs: 5_000,
    })
  })

  it('is pure: equal policies from the same settings, which it leaves untouched and unshared', () => {
    const inputs: PolicyInputs = {
      phase: 'switch',
      catchUpTimeoutMs: 1_000,
      prepareTimeoutMs: 2_000,
      lagTimeoutMs: 3_000,
      upgradeTimeoutMs: 4_000,
      verifyTimeoutMs: 5_000,
      pollIntervalMs: 100,
      window: 'maintenance',
      maintenance: true,
      scaleDown: { kind: 'list', types: ['worker'] },
      acceptLostWrites: false,
      fence: 'on',
      maxDowntimeMs: 60_000,
      windowEnd: { at: 0, text: '1970-01-01T00:00:00Z' },
      verifyCommand: undefined,
      recreateFollowers: true,
    }
    const before = structuredClone(inputs)
    const first = resolvePolicy(inputs)
    expect(resolvePolicy(inputs)).toEqual(first)
    expect(inputs).toEqual(before)
    expect(first.window.scaleDown).not.toBe(inputs.scaleDown)
    expect(first.window.end).not.toBe(inputs.windowEnd)
  })

  it('is frozen all the way down', () => {
    const policy = resolvePolicy(
      settingsOf({ 'scale-down': 'worker', 'max-downtime': '10m', 'window-end': '05:00' }),
    )
    expect(Object.isFrozen(policy)).toBe(true)
    expect(Object.isFrozen(policy.timeouts)).toBe(true)
    expect(Object.isFrozen(policy.timeouts.lag)).toBe(true)
    expect(Object.isFrozen(policy.poll)).toBe(true)
    expect(Object.isFrozen(policy.window)).toBe(true)
    expect(Object.isFrozen(policy.window.scaleDown)).toBe(true)
    expect(policy.window.scaleDown.kind === 'list' && Object.isFrozen(policy.window.scaleDown.types)).toBe(
      true,
    )
    expect(Object.isFrozen(policy.window.maxDowntime)).toBe(true)
    expect(Object.isFrozen(policy.window.end)).toBe(true)
  })
})
