import { describe, expect, it } from 'vitest'
import type { ListedPlan } from '../../src/inspect/types'
import { planBlockers } from '../../src/plan/plan-check'

/** What GET /addon-services/heroku-postgresql/plans lists, in Heroku's order. */
const PLANS: ListedPlan[] = [
  ...['essential-0', 'essential-1', 'essential-2'].map((key) => listed(key, false)),
  ...['standard-0', 'standard-2', 'standard-3', 'standard-4', 'standard-10'].map((key) => listed(key, false)),
  ...['premium-0', 'premium-2', 'premium-l-6'].map((key) => listed(key, false)),
  ...['private-0', 'private-2'].map((key) => listed(key, true)),
  ...['shield-0', 'shield-2'].map((key) => listed(key, true)),
]

function listed(key: string, insideSpace: boolean): ListedPlan {
  return {
    name: `heroku-postgresql:${key}`,
    installable_inside_private_network: insideSpace,
    installable_outside_private_network: !insideSpace,
  }
}

const COMMON_RUNTIME = { name: 'acme-web', space: null }
const IN_SPACE = { name: 'acme-secure', space: { name: 'acme-space' } }
const WHERE = 'heroku addons:plans heroku-postgresql or https://elements.heroku.com/addons/heroku-postgresql'

describe('planBlockers', () => {
  it.each([
    ['heroku-postgresql:standard-0', COMMON_RUNTIME],
    ['heroku-postgresql:premium-l-6', COMMON_RUNTIME],
    ['standard-2', COMMON_RUNTIME],
    ['heroku-postgresql:private-0', IN_SPACE],
    ['heroku-postgresql:shield-2', IN_SPACE],
    ['heroku-postgresql:standard-0', IN_SPACE],
  ])('has nothing against %s for %o', (plan, app) => {
    expect(planBlockers(plan, PLANS, app)).toEqual([])
  })

  it('names the closest plans of the same tier for a plan Heroku does not list', () => {
    expect(planBlockers('heroku-postgresql:standard-1', PLANS, COMMON_RUNTIME)).toEqual([
      `Input "plan" is "standard-1", which is not a plan Heroku lists for heroku-postgresql. Closest: standard-0, standard-2, standard-3. Allowed: a plan listed by ${WHERE}.`,
    ])
  })

  it('names near spellings for a misspelt plan', () => {
    const [blocker] = planBlockers('heroku-postgresql:standrd-0', PLANS, COMMON_RUNTIME)
    expect(blocker).toContain('Closest: standard-0, standard-2, standard-3.')
  })

  it('names the smallest plan of each usable tier when nothing is close', () => {
    expect(planBlockers('heroku-postgresql:nonsense', PLANS, COMMON_RUNTIME)).toEqual([
      `Input "plan" is "nonsense", which is not a plan Heroku lists for heroku-postgresql. Closest: standard-0, premium-0. Allowed: a plan listed by ${WHERE}.`,
    ])
    expect(planBlockers('heroku-postgresql:nonsense', PLANS, IN_SPACE)[0]).toContain(
      'Closest: standard-0, premium-0, private-0.',
    )
  })

  it('does not suggest Private plans to an app outside a Private Space', () => {
    const [blocker] = planBlockers('heroku-postgresql:private-1', PLANS, COMMON_RUNTIME)
    expect(blocker).toContain('Closest: standard-0, premium-0.')
    expect(planBlockers('heroku-postgresql:private-1', PLANS, IN_SPACE)[0]).toContain(
      'Closest: private-0, private-2.',
    )
  })

  it.each([
    ['heroku-postgresql:private-0', 'a Private plan'],
    ['heroku-postgresql:shield-0', 'a Shield plan'],
  ])('refuses %s for an app outside a Private Space', (plan, kind) => {
    expect(planBlockers(plan, PLANS, COMMON_RUNTIME)).toEqual([
      `Input "plan" is "${plan.split(':')[1]}", ${kind}, which Heroku installs only inside a Private Space, and app acme-web is not in one. Allowed: a Standard or higher plan such as standard-0 or premium-0 (all of them: ${WHERE}), or move the app into a Private Space first.`,
    ])
  })

  it('goes by what Heroku says about where a plan installs', () => {
    const spaceOnly = { ...listed('standard-0', true), installable_outside_private_network: false }
    expect(planBlockers('heroku-postgresql:standard-0', [spaceOnly], COMMON_RUNTIME)).toEqual([
      expect.stringContaining('which Heroku installs only inside a Private Space'),
    ])
  })

  it('refuses an Essential plan as the target, since the new database is a follower', () => {
    expect(planBlockers('heroku-postgresql:essential-0', PLANS, COMMON_RUNTIME)).toEqual([
      `Input "plan" is "essential-0", an Essential plan, but the new database is created as a follower, and followers need Standard or higher. Allowed: a Standard or higher plan such as standard-0 or premium-0 (all of them: ${WHERE}).`,
    ])
    expect(planBlockers('heroku-postgresql:essential-1', PLANS, IN_SPACE)[0]).toContain(
      'such as standard-0, premium-0, private-0 or shield-0',
    )
  })

  it('still answers when Heroku lists no plans at all', () => {
    expect(planBlockers('heroku-postgresql:standard-0', [], COMMON_RUNTIME)).toEqual([
      `Input "plan" is "standard-0", which is not a plan Heroku lists for heroku-postgresql. Allowed: a plan listed by ${WHERE}.`,
    ])
  })
})
