import { describe, expect, it } from 'vitest'
import { behindBy, follows, sameDatabase, sanitizeInfo } from '../../src/heroku/database-info'
import { holdAttachmentName } from '../../src/domain/identity'
import { allowsFollowers, tierOf } from '../../src/domain/tier'
import { typesLeftRunning, typesToScaleDown } from '../../src/domain/formation'

const FORMATION = [
  { type: 'web', quantity: 2, size: 'standard-2x' },
  { type: 'worker', quantity: 1, size: 'standard-1x' },
  { type: 'clock', quantity: 1, size: 'standard-1x' },
  { type: 'release', quantity: 0, size: 'standard-1x' },
  { type: 'urgent', quantity: 0, size: 'standard-1x' },
]

describe('typesToScaleDown', () => {
  it('scales every running type for all, web included: maintenance mode only stops the router', () => {
    expect(typesToScaleDown(FORMATION, { kind: 'all' }).map((e) => e.type)).toEqual([
      'web',
      'worker',
      'clock',
    ])
    expect(typesLeftRunning(FORMATION, { kind: 'all' })).toEqual([])
  })
  it('scales only the listed running types, and nothing for none; the rest is left running', () => {
    expect(
      typesToScaleDown(FORMATION, { kind: 'list', types: ['clock', 'urgent'] }).map((e) => e.type),
    ).toEqual(['clock'])
    expect(typesLeftRunning(FORMATION, { kind: 'list', types: ['clock'] }).map((e) => e.type)).toEqual([
      'web',
      'worker',
    ])
    expect(typesToScaleDown(FORMATION, { kind: 'none' })).toEqual([])
  })
})

describe('tiers and methods', () => {
  it.each([
    ['heroku-postgresql:standard-0', 'standard', true],
    ['heroku-postgresql:premium-3', 'premium', true],
    ['heroku-postgresql:private-4', 'private', true],
    ['heroku-postgresql:shield-0', 'shield', true],
    ['heroku-postgresql:essential-0', 'essential', false],
    ['heroku-postgresql:mini', 'legacy-essential', false],
    ['heroku-postgresql:advanced', 'advanced', false],
  ])('%s is %s (followers: %s)', (plan, tier, followers) => {
    expect(tierOf(plan)).toBe(tier)
    expect(allowsFollowers(tierOf(plan))).toBe(followers)
  })

  it('names the hold attachment deterministically per old database', () => {
    // The same name in every run and every release: a run finds another run's hold by it.
    expect(holdAttachmentName('11111111-1111-1111-1111-111111111111')).toBe('UPGRADE_HOLD_BAFDE8')
    expect(holdAttachmentName('a')).not.toBe(holdAttachmentName('b'))
    expect(holdAttachmentName('a')).toMatch(/^UPGRADE_HOLD_[0-9A-F]{6}$/)
  })
})

describe('database info', () => {
  it('reads Behind By', () => {
    expect(behindBy({ info: [{ name: 'Behind By', values: ['1,250 commits'] }] })).toBe(1250)
    expect(behindBy({ info: [{ name: 'Behind By', values: ['0 commits'] }] })).toBe(0)
    expect(behindBy({ info: [] })).toBeUndefined()
  })

  it('compares database URLs without their credentials', () => {
    expect(sameDatabase('postgres://u:p@host:5432/db', 'postgres://other:x@host/db')).toBe(true)
    expect(sameDatabase('postgres://u:p@host:5432/db', 'postgres://u:p@host:5433/db')).toBe(false)
  })

  it('tells whether a database follows another, by leader id or by URL', () => {
    const leader = { addonId: 'old', info: { resource_url: 'postgres://u:p@db1:5432/d' } }
    expect(follows({ leader: { addon_id: 'old', name: 'x' } }, leader)).toBe(true)
    expect(follows({ following: 'postgres://db1:5432/d' }, leader)).toBe(true)
    expect(follows({ following: 'postgres://db2:5432/d' }, leader)).toBe(false)
  })

  it('never keeps a URL in the pg:info entries it records', () => {
    const info = sanitizeInfo(
      [
        { name: 'Following', values: ['postgres://u:secret@db1:5432/d'] },
        { name: 'Followers', values: ['postgres://u:secret@db9:5432/z'] },
        { name: 'Plan', values: ['Standard 0'] },
      ],
      [{ url: 'postgres://db1:5432/d', name: 'postgresql-curved-12345' }],
    )
    expect(info).toEqual([
      { name: 'Following', values: ['postgresql-curved-12345'] },
      { name: 'Followers', values: ['another database'] },
      { name: 'Plan', values: ['Standard 0'] },
    ])
  })
})
