// What verify-command is given: only the variables it needs, and a log in which no piece of a database URL
// that gives access shows.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { maskDatabaseUrl, secretPartsOf } from '../../src/domain/secrets'
import { checkEnvironment } from '../../src/steps/verify-command'

afterEach(() => {
  vi.restoreAllMocks()
})

/** The values registered with ::add-mask:: while `work` runs, as the runner reads them. */
function masksRegistered(work: () => void): string[] {
  const written: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk))
    return true
  })
  work()
  vi.restoreAllMocks()
  return [...written.join('').matchAll(/^::add-mask::(.*)$/gm)].map((match) =>
    match[1]!.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'),
  )
}

describe('checkEnvironment', () => {
  const runner = {
    PATH: '/usr/bin:/bin',
    HOME: '/home/runner',
    CI: 'true',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TZ: 'UTC',
    TMPDIR: '/tmp',
    SHELL: '/bin/bash',
    USER: 'runner',
    TERM: 'xterm',
    GITHUB_REPOSITORY: 'acme/web',
    GITHUB_RUN_ID: '42',
    GITHUB_SHA: 'abc',
    RUNNER_TEMP: '/home/runner/work/_temp',
    RUNNER_OS: 'Linux',
    'INPUT_HEROKU-API-KEY': 'heroku-key',
    'INPUT_GITHUB-TOKEN': 'ghs_token',
    'INPUT_VERIFY-COMMAND': 'psql',
    HEROKU_API_KEY: 'heroku-key',
    GITHUB_TOKEN: 'ghs_token',
    GH_TOKEN: 'ghs_token',
    ACTIONS_RUNTIME_TOKEN: 'runtime',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example',
    ACTIONS_CACHE_URL: 'https://cache.example',
    GITHUB_OUTPUT: '/tmp/output',
    GITHUB_STATE: '/tmp/state',
    GITHUB_ENV: '/tmp/env',
    GITHUB_PATH: '/tmp/path',
    GITHUB_STEP_SUMMARY: '/tmp/summary',
    RUNNER_SECRET_THING: 'x',
    DATABASE_URL: 'postgres://stale@old/db',
    AWS_SECRET_ACCESS_KEY: 'aws',
    NODE_OPTIONS: '--require /tmp/x.js',
    UNSET: undefined,
  }
  const own = {
    DATABASE_URL: 'postgres://u:p@new/db',
    OLD_DATABASE_URL: 'postgres://u:q@old/db',
    HEROKU_APP: 'acme-web',
  }

  it('passes the check its own variables and, of the runner’s, only the allowed ones', () => {
    expect(checkEnvironment(runner, own)).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/runner',
      CI: 'true',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TZ: 'UTC',
      TMPDIR: '/tmp',
      SHELL: '/bin/bash',
      USER: 'runner',
      TERM: 'xterm',
      GITHUB_REPOSITORY: 'acme/web',
      GITHUB_RUN_ID: '42',
      GITHUB_SHA: 'abc',
      RUNNER_TEMP: '/home/runner/work/_temp',
      RUNNER_OS: 'Linux',
      ...own,
    })
  })

  it('never passes an input, a key, a token or this step’s files', () => {
    const names = Object.keys(checkEnvironment(runner, own))
    expect(names.filter((name) => name.startsWith('INPUT_'))).toEqual([])
    for (const name of [
      'HEROKU_API_KEY',
      'GITHUB_TOKEN',
      'GH_TOKEN',
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'GITHUB_OUTPUT',
      'GITHUB_STATE',
      'GITHUB_ENV',
      'GITHUB_PATH',
      'GITHUB_STEP_SUMMARY',
      'RUNNER_SECRET_THING',
      'AWS_SECRET_ACCESS_KEY',
      'NODE_OPTIONS',
    ])
      expect(names).not.toContain(name)
  })

  it('leaves OLD_DATABASE_URL out when it is not known', () => {
    const env = checkEnvironment({ PATH: '/bin' }, { DATABASE_URL: 'postgres://u:p@new/db', HEROKU_APP: 'a' })
    expect(Object.keys(env).sort()).toEqual(['DATABASE_URL', 'HEROKU_APP', 'PATH'])
  })
})

describe('maskDatabaseUrl', () => {
  it('registers the URL, the URL without its scheme, user:password and the password, as written and decoded', () => {
    const url = 'postgres://u1ser:p%40ss%3Aw0rd@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d8db'
    expect(masksRegistered(() => maskDatabaseUrl(url)).sort()).toEqual(
      [
        url,
        'u1ser:p%40ss%3Aw0rd@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d8db',
        'u1ser:p%40ss%3Aw0rd',
        'u1ser:p@ss:w0rd',
        'p%40ss%3Aw0rd',
        'p@ss:w0rd',
      ].sort(),
    )
  })

  it('takes the password up to the last @ of the host part, and works for postgresql:// too', () => {
    expect(secretPartsOf('postgresql://user:a@b@host/db?sslmode=require')).toEqual([
      'postgresql://user:a@b@host/db?sslmode=require',
      'user:a@b@host/db?sslmode=require',
      'user:a@b',
      'a@b',
    ])
  })

  it('a URL without a password (a signed backup URL) is registered whole and without its scheme', () => {
    const url = 'https://bucket.s3.amazonaws.com/backup?X-Amz-Signature=abc123'
    expect(secretPartsOf(url)).toEqual([url, 'bucket.s3.amazonaws.com/backup?X-Amz-Signature=abc123'])
    expect(secretPartsOf('postgres://user@host/db')).toEqual(['postgres://user@host/db', 'user@host/db'])
  })
})
