// The project's own workflows: the release workflow calls the tested release script the way
// release.test.ts runs it, after the bundle check; every action is pinned to a commit; permissions are least.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readWorkflow, releaseJob, tagStep, WORKFLOWS, type Workflow } from './release-workflow'

const FILES = readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file))

/** The scopes a `permissions:` value grants write access to (`*` for write-all). */
function writeScopes(permissions: Workflow['permissions']): string[] {
  if (permissions === undefined) return []
  if (typeof permissions === 'string') return permissions === 'write-all' ? ['*'] : []
  return Object.entries(permissions).flatMap(([scope, level]) => (level === 'write' ? [scope] : []))
}

function steps(workflow: Workflow): Array<{ uses?: string; run?: string }> {
  return Object.values(workflow.jobs).flatMap((job) => job.steps ?? [])
}

describe('the release workflow', () => {
  const workflow = readWorkflow('release.yml')

  it('starts from a version typed in the Actions tab or from a pushed vX.Y.Z tag', () => {
    expect(workflow.on).toMatchObject({
      workflow_dispatch: { inputs: { version: { required: true, type: 'string' } } },
      push: { tags: ['v*.*.*'] },
    })
  })

  it('calls scripts/release.mjs with the version, the remote origin and the notes file', () => {
    const step = tagStep()
    expect(step.run?.trim()).toBe('node scripts/release.mjs "$VERSION" origin --notes-file "$NOTES"')
    expect(step.env?.VERSION).toBe('${{ inputs.version || github.ref_name }}')
    expect(step.id).toBe('tag')
  })

  it('checks that dist/ is a fresh build before tagging', () => {
    const runs = (releaseJob().steps ?? []).map((step) => step.run?.trim() ?? step.uses ?? '')
    const check = runs.indexOf('npm run check-dist')
    expect(check).toBeGreaterThanOrEqual(0)
    expect(check).toBeLessThan(runs.findIndex((run) => run.includes('scripts/release.mjs')))
  })

  it('publishes the GitHub release from the tag and the notes the script wrote', () => {
    const publish = (releaseJob().steps ?? []).find((step) => step.run?.includes('gh release create'))
    expect(publish?.env?.TAG).toBe('${{ steps.tag.outputs.tag }}')
    expect(publish?.env?.NOTES).toBe(tagStep().env?.NOTES)
    expect(publish?.run).toContain('--notes-file "$NOTES"')
  })

  it('is the only workflow that may write to the repository, and only its job may', () => {
    expect(workflow.permissions).toEqual({})
    expect(releaseJob().permissions).toEqual({ contents: 'write' })
    for (const file of FILES.filter((name) => name !== 'release.yml')) {
      const other = readWorkflow(file)
      const granted = [other.permissions, ...Object.values(other.jobs).map((job) => job.permissions)]
      // Code scanning's upload is the one write another workflow needs.
      expect(
        granted.flatMap(writeScopes).filter((scope) => scope !== 'security-events'),
        file,
      ).toEqual([])
    }
  })
})

describe('every workflow of .github/workflows', () => {
  it('is there: CI, the dist check, CodeQL and the release', () => {
    expect([...FILES].sort()).toEqual(['check-dist.yml', 'ci.yml', 'codeql.yml', 'release.yml'])
  })

  it.each(FILES)('%s pins each action to a full commit SHA with its version in a comment', (file) => {
    const uses = steps(readWorkflow(file)).flatMap((step) => (step.uses ? [step.uses] : []))
    expect(uses.length).toBeGreaterThan(0)
    for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/)
    const lines = readFileSync(join(WORKFLOWS, file), 'utf8').split('\n')
    const pinned = lines.filter((line) => /^\s*(- )?uses: /.test(line))
    expect(pinned).toHaveLength(uses.length)
    for (const line of pinned) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)
  })

  it.each(FILES)('%s sets top-level permissions and a timeout on every job', (file) => {
    const workflow = readWorkflow(file)
    expect(workflow.permissions).toBeDefined()
    for (const job of Object.values(workflow.jobs)) expect(job['timeout-minutes']).toBeGreaterThan(0)
  })

  it('runs CI through .ci/run, the script a contributor runs', () => {
    expect(steps(readWorkflow('ci.yml')).map((step) => step.run)).toContain('bash .ci/run')
  })
})
