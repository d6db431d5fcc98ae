// The release workflow's tag step, run as the workflow runs it (its own `run:` line and environment), in a
// clone of a local bare repository that stands for GitHub: what users of `@vX.Y.Z` and `@vX` get.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROOT, tagStep, tagStepEnv } from './release-workflow'

const CHANGELOG = `# Changelog

## [Unreleased]

## [1.0.0] - 2026-12-03

- First stable release.

## [0.3.1] - 2026-12-02

- Fixes the plan summary.

## [0.3.0] - 2026-12-01

- Adds the plan phase.

## [0.2.5] - 2026-11-30

- Backports a fix to 0.2.
`

let dir: string
let remote: string
let clone: string
/** git isolated from the machine's configuration: no user identity but the one each command passes. */
let gitEnv: NodeJS.ProcessEnv

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    env: gitEnv,
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`)
  return result.stdout.trim()
}

/** The commit a tag of the bare repository names, or undefined when it has no such tag. */
function remoteTag(tag: string): string | undefined {
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], {
    cwd: remote,
    env: gitEnv,
    encoding: 'utf8',
  })
  return result.status === 0 ? result.stdout.trim() : undefined
}

function remoteTags(): string[] {
  return git(remote, 'tag', '--list').split('\n').filter(Boolean).sort()
}

function commit(message: string): string {
  writeFileSync(join(clone, 'src.txt'), `${message}\n`)
  git(clone, 'add', '--all')
  git(clone, 'commit', '--quiet', '--message', message)
  git(clone, 'push', '--quiet', 'origin', 'HEAD:main')
  return git(clone, 'rev-parse', 'HEAD')
}

interface Run {
  status: number | null
  output: string
  notes: string
  outputs: string
}

/** Runs the tag step's `run:` line with `version` as the workflow_dispatch input (or the pushed tag). */
function release(version: string, event: 'workflow_dispatch' | 'push' = 'workflow_dispatch'): Run {
  const runnerTemp = mkdtempSync(join(dir, 'runner-temp-'))
  const githubOutput = join(runnerTemp, 'github-output')
  writeFileSync(githubOutput, '')
  const expression = 'inputs.version || github.ref_name'
  const env = tagStepEnv({ [expression]: version, 'runner.temp': runnerTemp })
  const result = spawnSync('bash', ['-e', '-c', tagStep().run ?? ''], {
    cwd: clone,
    env: { ...gitEnv, ...env, GITHUB_OUTPUT: githubOutput, GITHUB_EVENT_NAME: event },
    encoding: 'utf8',
  })
  const read = (file: string): string => {
    try {
      return readFileSync(file, 'utf8')
    } catch {
      return ''
    }
  }
  return {
    status: result.status,
    output: result.stdout + result.stderr,
    notes: env.NOTES ? read(env.NOTES) : '',
    outputs: read(githubOutput),
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'release-test-'))
  remote = join(dir, 'remote.git')
  clone = join(dir, 'clone')
  gitEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(dir, 'no-gitconfig'),
    GIT_TERMINAL_PROMPT: '0',
  }
  git(dir, 'init', '--quiet', '--bare', remote)
  git(dir, 'init', '--quiet', '--initial-branch=main', clone)
  git(clone, 'remote', 'add', 'origin', remote)
  // What a release commit holds: the script the workflow calls, the bundle and the notes.
  mkdirSync(join(clone, 'scripts'))
  mkdirSync(join(clone, 'dist'))
  copyFileSync(join(ROOT, 'scripts', 'release.mjs'), join(clone, 'scripts', 'release.mjs'))
  writeFileSync(join(clone, 'dist', 'index.js'), '// bundle\n')
  writeFileSync(join(clone, 'CHANGELOG.md'), CHANGELOG)
  commit('first commit')
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('release workflow, tag step', () => {
  it('tags HEAD v0.3.0 (annotated), points v0 at it, pushes both and writes the 0.3.0 notes', () => {
    const head = git(clone, 'rev-parse', 'HEAD')
    const run = release('0.3.0')
    expect(run.status, run.output).toBe(0)
    expect(remoteTag('v0.3.0')).toBe(head)
    expect(remoteTag('v0')).toBe(head)
    expect(git(remote, 'cat-file', '-t', 'refs/tags/v0.3.0')).toBe('tag')
    expect(remoteTags()).toEqual(['v0', 'v0.3.0'])
    expect(run.notes).toBe('- Adds the plan phase.\n')
    expect(run.outputs).toContain('tag=v0.3.0\n')
    expect(run.output).toContain('v0 now points at v0.3.0')
  })

  it('moves v0 to v0.3.1 on a new commit and leaves v0.3.0 where it was', () => {
    const first = git(clone, 'rev-parse', 'HEAD')
    expect(release('0.3.0').status).toBe(0)
    const second = commit('fix the plan summary')
    const run = release('0.3.1')
    expect(run.status, run.output).toBe(0)
    expect(remoteTag('v0.3.1')).toBe(second)
    expect(remoteTag('v0')).toBe(second)
    expect(remoteTag('v0.3.0')).toBe(first)
    expect(run.notes).toBe('- Fixes the plan summary.\n')
  })

  it('creates v1 for v1.0.0 and leaves v0 on the last 0.x release', () => {
    const zero = git(clone, 'rev-parse', 'HEAD')
    expect(release('0.3.0').status).toBe(0)
    const one = commit('stable')
    const run = release('1.0.0')
    expect(run.status, run.output).toBe(0)
    expect(remoteTag('v1.0.0')).toBe(one)
    expect(remoteTag('v1')).toBe(one)
    expect(remoteTag('v0')).toBe(zero)
  })

  it('releases a tag pushed by hand (the push trigger) and moves the major tag to it', () => {
    const head = git(clone, 'rev-parse', 'HEAD')
    git(clone, 'tag', '--annotate', 'v0.3.0', '--message', 'v0.3.0')
    git(clone, 'push', '--quiet', 'origin', 'refs/tags/v0.3.0')
    const run = release('v0.3.0', 'push')
    expect(run.status, run.output).toBe(0)
    expect(remoteTag('v0')).toBe(head)
    expect(run.notes).toBe('- Adds the plan phase.\n')
  })

  it('finishes a release on a re-run of the same version on the same commit', () => {
    expect(release('0.3.0').status).toBe(0)
    const run = release('0.3.0')
    expect(run.status, run.output).toBe(0)
    expect(remoteTags()).toEqual(['v0', 'v0.3.0'])
  })

  it('tags a patch of an older line without moving the major tag back', () => {
    const older = git(clone, 'rev-parse', 'HEAD')
    const newer = commit('0.3 line')
    expect(release('0.3.0').status).toBe(0)
    git(clone, 'checkout', '--quiet', older)
    const run = release('0.2.5')
    expect(run.status, run.output).toBe(0)
    expect(remoteTag('v0.2.5')).toBe(older)
    expect(remoteTag('v0')).toBe(newer)
    expect(run.output).toContain('v0 stays on the newest v0 release')
  })

  it.each(['1.2', 'v1.2.3.4', 'latest', '01.2.3', '1.2.3-rc.1', ''])(
    'refuses the version "%s", naming the allowed form, and pushes nothing',
    (version) => {
      const run = release(version)
      expect(run.status).toBe(1)
      expect(run.output).toContain(`version "${version}" is not allowed: give X.Y.Z or vX.Y.Z`)
      expect(remoteTags()).toEqual([])
    },
  )

  it('refuses to re-release a version that names another commit, and moves nothing', () => {
    const first = git(clone, 'rev-parse', 'HEAD')
    expect(release('0.3.0').status).toBe(0)
    commit('something else')
    const run = release('0.3.0')
    expect(run.status).toBe(1)
    expect(run.output).toContain(`v0.3.0 already exists on origin on commit ${first.slice(0, 12)}`)
    expect(run.output).toContain('a released version never moves')
    expect(remoteTag('v0.3.0')).toBe(first)
    expect(remoteTag('v0')).toBe(first)
  })

  it('refuses a work tree that differs from HEAD', () => {
    writeFileSync(join(clone, 'dist', 'index.js'), '// rebuilt, not committed\n')
    const run = release('0.3.0')
    expect(run.status).toBe(1)
    expect(run.output).toContain('the work tree differs from HEAD')
    expect(run.output).toContain('dist/index.js')
    expect(remoteTags()).toEqual([])
  })

  it('refuses a version CHANGELOG.md has no section for', () => {
    const run = release('0.4.0')
    expect(run.status).toBe(1)
    expect(run.output).toContain('CHANGELOG.md at HEAD has no section "## [0.4.0] - YYYY-MM-DD"')
    expect(remoteTags()).toEqual([])
  })

  it('refuses a commit without the bundle runners execute', () => {
    git(clone, 'rm', '--quiet', 'dist/index.js')
    commit('no bundle')
    const run = release('0.3.0')
    expect(run.status).toBe(1)
    expect(run.output).toContain('HEAD does not contain dist/index.js')
    expect(remoteTags()).toEqual([])
  })
})
