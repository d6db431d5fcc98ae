// The files a contributor or a reporter meets: the bug form asks for what a maintainer needs to reproduce a
// run, Dependabot watches both ecosystems, and the CHANGELOG has the section the release script reads.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ROOT } from './release-workflow'

interface FormField {
  type: string
  id?: string
  attributes: { label?: string; value?: string; options?: unknown[] }
  validations?: { required?: boolean }
}

const read = (...path: string[]): string => readFileSync(join(ROOT, ...path), 'utf8')

describe('the bug report form', () => {
  const form = parse(read('.github', 'ISSUE_TEMPLATE', 'bug_report.yml')) as { body: FormField[] }
  const required = form.body.filter((field) => field.validations?.required).map((field) => field.id)

  it('requires the method, the plans, the versions, the action version and the job summary', () => {
    expect(required).toEqual(
      expect.arrayContaining(['method', 'tier', 'postgres-versions', 'action-version', 'summary']),
    )
  })

  it('tells the reporter to redact secrets before anything is pasted', () => {
    const intro = form.body[0]
    expect(intro?.type).toBe('markdown')
    expect(intro?.attributes.value).toMatch(/Redact secrets before you paste anything/)
  })
})

describe('Dependabot', () => {
  const config = parse(read('.github', 'dependabot.yml')) as {
    updates: Array<{ 'package-ecosystem': string; schedule: { interval: string }; groups?: object }>
  }

  it('updates npm packages and the pinned actions weekly, grouped', () => {
    const ecosystems = config.updates.map((update) => update['package-ecosystem']).sort()
    expect(ecosystems).toEqual(['github-actions', 'npm'])
    for (const update of config.updates) {
      expect(update.schedule.interval).toBe('weekly')
      expect(Object.keys(update.groups ?? {})).toHaveLength(1)
    }
  })
})

describe('CHANGELOG.md', () => {
  const changelog = read('CHANGELOG.md')
  const { version } = JSON.parse(read('package.json')) as { version: string }

  it("has an Unreleased section and a dated section for package.json's version", () => {
    expect(changelog).toMatch(/^## \[Unreleased\]$/m)
    expect(changelog).toMatch(
      new RegExp(`^## \\[${version.replaceAll('.', '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'),
    )
  })
})
