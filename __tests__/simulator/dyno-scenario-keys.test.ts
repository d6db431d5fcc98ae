import { describe, expect, it } from 'vitest'
import { builtInScenarios, loadScenario } from '../../simulator/index.js'
import { validateScenario } from '../../simulator/scenario/validate.js'

const withApp = (app: Record<string, unknown>) => ({ apps: [{ name: 'acme', ...app }] })

describe('scenario keys for dynos', () => {
  it('defaults dyno durations, maintenance_write_seconds, writes_through and scheduler', () => {
    const scenario = validateScenario(withApp({}), 'test')
    expect(scenario.durations).toMatchObject({ dyno_boot: 10, dyno_stop: 30, one_off: 120 })
    expect(scenario.maintenance_write_seconds).toBe(5)
    expect(scenario.stopping_dynos_listed).toBe('hidden')
    expect(scenario.over_plan_capacity).toBe('access_restricted')
    expect(scenario.transfer_timeout_gb).toBe(20)
    expect(scenario.durations.copy_mb_per_s).toBe(5.7)
    expect(scenario.apps[0]).toMatchObject({ writes_through: 'DATABASE', scheduler: [] })
  })

  it('reads a scheduler job, with first_at_seconds 0 and a command by default', () => {
    const scenario = validateScenario(
      withApp({ scheduler: [{ every_seconds: 600, run_seconds: 90 }] }),
      'test',
    )
    expect(scenario.apps[0]?.scheduler).toEqual([
      { every_seconds: 600, run_seconds: 90, first_at_seconds: 0, command: 'bin/scheduled-job' },
    ])
  })

  it('names the path of a bad key', () => {
    expect(() => validateScenario(withApp({ scheduler: [{ run_seconds: 90 }] }), 'test')).toThrow(
      'apps[0].scheduler[0].every_seconds: is required',
    )
    expect(() =>
      validateScenario(withApp({ scheduler: [{ every_seconds: 60, run_seconds: 9, at: 1 }] }), 'test'),
    ).toThrow(/apps\[0\]\.scheduler\[0\]\.at: unknown key/)
    expect(() => validateScenario(withApp({ writes_through: 'shop' }), 'test')).toThrow(
      'apps[0].writes_through: expected an attachment name like DATABASE',
    )
    expect(() => validateScenario({ maintenance_write_seconds: -1 }, 'test')).toThrow(
      'maintenance_write_seconds: expected a non-negative number',
    )
    expect(() => validateScenario({ durations: { dyno_boot: 'ten' } }, 'test')).toThrow(
      'durations.dyno_boot: expected a non-negative number',
    )
    expect(() => validateScenario({ stopping_dynos_listed: 'gone' }, 'test')).toThrow(
      'stopping_dynos_listed: expected "up", "down" or "hidden"',
    )
    expect(() => validateScenario({ over_plan_capacity: 'warn' }, 'test')).toThrow(
      'over_plan_capacity: expected "access_restricted" or "action_required"',
    )
    expect(() => validateScenario({ transfer_timeout_gb: 0 }, 'test')).toThrow(
      'transfer_timeout_gb: expected a positive number',
    )
    expect(() =>
      validateScenario({ faults: [{ type: 'transfer-fails', transfer: 'dump' }] }, 'test'),
    ).toThrow('faults[0].transfer: expected one of backup, copy, restore')
  })

  it('reports every problem of a scenario at once, each with its path and the value found', () => {
    const problems = () =>
      validateScenario(
        { speed: -2, durations: { dyno_boot: 'ten' }, apps: [{ name: 'acme', color: 'red' }] },
        'test',
      )
    expect(problems).toThrow(/3 problems/)
    expect(problems).toThrow(/speed: expected a positive number, got -2/)
    expect(problems).toThrow(/durations\.dyno_boot: expected a non-negative number, got "ten"/)
    expect(problems).toThrow(/apps\[0\]\.color: unknown key/)
  })

  it('ships scheduler-app: standard-pg14 plus a scheduler job', () => {
    expect(builtInScenarios).toContain('scheduler-app')
    const scheduler = loadScenario('scheduler-app')
    const standard = loadScenario('standard-pg14')
    expect(scheduler.apps[0]?.databases).toEqual(standard.apps[0]?.databases)
    expect(scheduler.apps[0]?.formation).toEqual(standard.apps[0]?.formation)
    expect(scheduler.apps[0]?.scheduler).toEqual([
      { every_seconds: 600, run_seconds: 90, first_at_seconds: 300, command: 'rake reports:nightly' },
    ])
    expect(scheduler.apps[0]?.writes_per_second.scheduler).toBe(3)
  })

  it('gives acme-reports writes through SHOP_DATABASE in premium-follower-pooler', () => {
    const reports = loadScenario('premium-follower-pooler').apps.find((a) => a.name === 'acme-reports')
    expect(reports).toMatchObject({ writes_through: 'SHOP_DATABASE', writes_per_second: { web: 5 } })
  })
})
