// What the Marketplace and a reader of the repository see first: action.yml's description and author, and a
// LICENSE that says what package.json says.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ROOT } from './release-workflow'

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  description: string
  author: string
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string
  license: string
  author: string
}
const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8')

describe('action.yml', () => {
  it('has a description the Marketplace shows whole (under 125 characters) that says what the action does', () => {
    expect(action.description.length).toBeLessThan(125)
    expect(action.description).toMatch(/^Upgrade .*Heroku Postgres/)
  })

  it('names a real author, the one package.json and the LICENSE name', () => {
    expect(action.author).not.toMatch(/^\s*$|OWNER|TODO|TBD|placeholder|your name|example/i)
    expect(action.author).not.toBe(pkg.name)
    expect(action.author).toBe(pkg.author)
  })
})

describe('LICENSE', () => {
  it('is the license package.json declares', () => {
    expect(pkg.license).toBe('MIT')
    expect(license.split('\n')[0]).toBe('MIT License')
    expect(license).toContain('Permission is hereby granted, free of charge, to any person obtaining a copy')
  })

  it('names the year and the holder package.json names as author', () => {
    const copyright = /^Copyright \(c\) (\d{4}) (.+)$/m.exec(license)
    expect(copyright?.[1]).toBe('2026')
    expect(copyright?.[2]).toBe(pkg.author)
  })
})
