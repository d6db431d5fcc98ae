// auto's choice and the preflight's judgement, as pure functions of the inspected facts.
import { describe, expect, it } from 'vitest'
import { appsToMove, decideTarget } from '../../src/plan/checks'
import { planBlockers } from '../../src/plan/plan-check'
import { tierOf } from '../../src/domain/tier'
import type { Inspection, OtherApp } from '../../src/inspect/types'
import { estimateDowntimeMs } from '../../src/plan/estimates'
import { chooseMethod, METHODS } from '../../src/methods/registry'
import type { Settings } from '../../src/inputs/settings'
import { resolvePolicy } from '../../src/inputs/policy'

const GB = 1024 ** 3

function facts(
  plan: string,
  options: { sizeBytes?: number; space?: string; major?: number; others?: OtherApp[] } = {},
): Inspection {
  const major = options.major ?? 14
  return {
    app: {
      id: 'a',
      name: 'acme-web',
      maintenance: false,
      space: options.space ? { id: 's', name: options.space } : null,
    },
    old: {
      id: 'db',
      name: 'postgresql-old',
      plan: `heroku-postgresql:${plan}`,
      tier: tierOf(plan),
      info: {},
      version: `${major}.1`,
      major,
      sizeBytes: options.sizeBytes,
    },
    appAttachments: [],
    databaseAttachments: [],
    otherApps: options.others ?? [],
    formation: [],
    dynos: [],
    plans: [],
    upgrade: { phase: 'none', message: '' },
    leftovers: {
      otherAppAttachments: [],
      nonDefaultPoolers: [],
      credentials: [],
      followers: [],
      backupSchedule: false,
    },
    notes: [],
    hold: { attachment: 'UPGRADE_FOLLOWER_X', name: 'acme-web-upgrade-1' },
  }
}

const settings = (inputs: Partial<Settings>): Settings =>
  ({ method: 'auto', phase: 'all', pollIntervalMs: 5_000, scaleDown: { kind: 'all' }, ...inputs }) as Settings

function auto(plan: string, inputs: Partial<Settings>, options?: Parameters<typeof facts>[1]) {
  const inspected = facts(plan, options)
  const blockers: string[] = []
  const target = decideTarget(inspected, settings(inputs), blockers)
  expect(blockers).toEqual([])
  return chooseMethod('auto', inspected, target)
}

describe('auto follows Heroku’s advice', () => {
  it.each([
    ['essential-0', { version: '17' }, 'in-place'],
    ['essential-0', { version: '14', plan: 'heroku-postgresql:essential-1' }, 'plan-change'],
    ['essential-0', { version: '17', plan: 'heroku-postgresql:standard-0' }, 'copy'],
    ['mini', { version: '17' }, 'copy'],
    ['standard-0', { version: '17' }, 'in-place'],
    ['standard-0', {}, 'in-place'],
    ['standard-0', { version: '14', plan: 'heroku-postgresql:standard-2' }, 'plan-change'],
    ['standard-0', { version: '17', plan: 'heroku-postgresql:standard-2' }, 'follower'],
    ['premium-0', { version: '16', plan: 'heroku-postgresql:private-0' }, 'follower'],
  ] as const)('%s with %o: %s', (plan, inputs, method) => {
    expect(auto(plan, inputs).method).toBe(method)
  })

  it('names every other method with its expected downtime for this database', () => {
    const choice = auto('standard-0', { version: '17' }, { sizeBytes: 4 * GB })
    expect(choice.reason).toContain('Heroku recommends')
    expect(choice.downtimeMs).toBe(10 * 60_000)
    expect(Object.fromEntries(choice.alternatives.map((a) => [a.method, a.downtimeMs]))).toEqual({
      follower: 25 * 60_000,
      // Standard: the changeover runs in a window, with its stops and boots.
      'plan-change': 60_000 + 2 * 60_000,
      copy: 2 * 60_000 + 4 * 3 * 60_000,
      'backup-restore': 2 * 60_000 + 2 * 4 * 3 * 60_000,
    })
    expect(choice.alternatives.find((a) => a.method === 'plan-change')?.note).toBe('keeps the version')
  })

  it('says when copy is above the size Heroku advises it for', () => {
    const choice = auto('standard-0', { version: '17' }, { sizeBytes: 12 * GB })
    expect(choice.alternatives.find((a) => a.method === 'copy')?.note).toBe(
      'Heroku advises it only under 10 GB',
    )
    expect(estimateDowntimeMs('copy', { sizeBytes: 12 * GB })).toBe(38 * 60_000)
  })

  it('an explicit method is kept, with the reason that it was asked for', () => {
    const inspected = facts('standard-0')
    const choice = chooseMethod('copy', inspected, decideTarget(inspected, settings({ version: '17' }), []))
    expect(choice).toMatchObject({ method: 'copy', reason: 'method "copy" was asked for' })
  })
})

describe('each method refuses what it cannot do, before any change', () => {
  const plan = (tier: string, inputs: Partial<Settings>, method: keyof typeof METHODS) => {
    const inspected = facts(tier)
    return {
      facts: inspected,
      method,
      policy: resolvePolicy(settings(inputs)),
      otherApps: [],
      adoptsHold: false,
      switchOnly: false,
      fence: { use: false as const, why: 'not asked' },
      ...decideTarget(inspected, settings(inputs), []),
    }
  }

  it('in-place: no plan change, no legacy plan, something to upgrade', () => {
    expect(METHODS['in-place'].refusals(plan('standard-0', { version: '17' }, 'in-place'))).toEqual([])
    expect(
      METHODS['in-place'].refusals(
        plan('standard-0', { version: '17', plan: 'heroku-postgresql:standard-2' }, 'in-place'),
      ),
    ).toEqual([expect.stringContaining('keeps the plan')])
    expect(METHODS['in-place'].refusals(plan('mini', { version: '17' }, 'in-place'))).toEqual([
      expect.stringContaining('legacy plan heroku-postgresql:mini'),
    ])
  })

  it('copy and backup-restore: refused on Shield, where Heroku offers neither pg:copy nor PG Backups', () => {
    for (const method of ['copy', 'backup-restore'] as const) {
      expect(METHODS[method].refusals(plan('shield-0', { version: '17' }, method))).toEqual([
        expect.stringContaining(
          'which Heroku does not offer for Shield databases (shield-0). Use method follower.',
        ),
      ])
      expect(METHODS[method].refusals(plan('private-0', { version: '17' }, method))).toEqual([])
    }
  })

  it('in-place, phase switch: refused unless Heroku holds a prepared upgrade', () => {
    const switchOnly = (phase: 'none' | 'preparing' | 'prepared') => {
      const planned = plan('standard-0', { version: '17' }, 'in-place')
      return {
        ...planned,
        switchOnly: true,
        facts: {
          ...planned.facts,
          upgrade: { phase, message: phase === 'preparing' ? 'upgrade is being prepared' : '' },
        },
      }
    }
    expect(METHODS['in-place'].refusals(switchOnly('none'))).toEqual([
      expect.stringContaining('Run phase prepare first'),
    ])
    expect(METHODS['in-place'].refusals(switchOnly('preparing'))).toEqual([
      expect.stringContaining('Heroku is still preparing it (upgrade is being prepared)'),
    ])
    expect(METHODS['in-place'].refusals(switchOnly('prepared'))).toEqual([])
  })

  it('plan-change: keeps the version, needs another plan', () => {
    expect(METHODS['plan-change'].refusals(plan('standard-0', { version: '17' }, 'plan-change'))).toEqual([
      expect.stringContaining('keeps the Postgres version'),
      expect.stringContaining('needs input "plan"'),
    ])
  })

  it('copy and backup-restore warn above the 10 GB Heroku advises them for, with the estimate', () => {
    const big = facts('standard-0', { sizeBytes: 12 * GB })
    const target = decideTarget(big, settings({ version: '17' }), [])
    expect(
      METHODS.copy.warnings({
        facts: big,
        policy: resolvePolicy(settings({ version: '17' })),
        method: 'copy',
        otherApps: [],
        adoptsHold: false,
        switchOnly: false,
        fence: { use: false as const, why: 'not asked' },
        ...target,
      }),
    ).toEqual([
      expect.stringContaining(
        'holds 12.0 GB: Heroku advises copy only under 10 GB. The app would be down for about 40m',
      ),
    ])
    expect(METHODS.copy.warnings(plan('standard-0', { version: '17' }, 'copy'))).toEqual([])
  })

  it('follower: Standard and higher only', () => {
    expect(METHODS.follower.refusals(plan('essential-0', { version: '17' }, 'follower'))).toEqual([
      expect.stringContaining('cannot have followers'),
    ])
  })

  it('lists its steps by phase: prepare before the window, the switch in it', () => {
    const standard = plan('standard-0', { version: '17' }, 'in-place')
    const names = (steps: Array<{ name: string }>): string[] => steps.map((step) => step.name)
    expect(METHODS['in-place'].steps(standard).map((step) => step.phase)).toEqual([
      'prepare',
      'prepare',
      'switch',
      'switch',
      'switch',
      'switch',
      'switch',
      'cleanup',
    ])
    expect(names(METHODS['in-place'].steps(standard))).toEqual([
      'hold',
      'prepare-upgrade',
      'window-open',
      'writers-stop',
      'upgrade',
      'verify',
      'window-close',
      'release-hold',
    ])
    expect(
      names(METHODS['in-place'].steps(plan('essential-0', { version: '17' }, 'in-place'))),
    ).not.toContain('prepare-upgrade')
    expect(names(METHODS.copy.steps(standard))).toEqual([
      'provision',
      'window-open',
      'writers-stop',
      'copy',
      'promote',
      'release',
      'verify',
      'window-close',
    ])
  })
})

describe('a move into a Private Space', () => {
  const other = (name: string, space: string | null, quantity: number): OtherApp => ({
    name,
    attachments: ['DATABASE'],
    formation: [{ type: 'web', quantity, size: 'standard-1x' }],
    space,
    owner: name === 'acme-cr',
  })

  it('moves only the apps that can reach a database in the space', () => {
    const inspected = facts('standard-0', {
      space: 'acme-space',
      others: [other('acme-cr', null, 0), other('acme-worker', 'acme-space', 1)],
    })
    const target = decideTarget(
      inspected,
      settings({ version: '14', plan: 'heroku-postgresql:private-0' }),
      [],
    )
    const { move, stay } = appsToMove(inspected, target)
    expect(move).toEqual(['acme-worker'])
    expect(stay.map((o) => o.name)).toEqual(['acme-cr'])
  })
})

describe('the plan input, by what it is for', () => {
  const plans = [{ name: 'heroku-postgresql:essential-1' }, { name: 'heroku-postgresql:standard-0' }]
  const app = { name: 'acme-web', space: null }

  it('a new database may be Essential; a follower may not', () => {
    expect(planBlockers('heroku-postgresql:essential-1', plans, app, 'new-database')).toEqual([])
    expect(planBlockers('heroku-postgresql:essential-1', plans, app, 'follower')).toEqual([
      expect.stringContaining('followers need Standard or higher'),
    ])
  })

  it('a plan change stays on its side of Essential', () => {
    expect(
      planBlockers('heroku-postgresql:standard-0', plans, app, {
        changeFrom: 'heroku-postgresql:essential-0',
      }),
    ).toEqual([expect.stringContaining('only within the Essential tier or only above it')])
  })
})
