// The runner emulation used by the dist tests and the demo must set what the real runner sets.
import { describe, expect, it } from 'vitest'
import { actionDefaults, inputEnvironment, parseFileCommands } from '../../scripts/run-action'

describe('runner emulation', () => {
  it('names inputs like the runner: INPUT_ + upper case, hyphens kept', () => {
    const env = inputEnvironment({ 'heroku-api-key': 'k', app: 'acme-web' }, 'gh')
    expect(env['INPUT_HEROKU-API-KEY']).toBe('k')
    expect(env.INPUT_APP).toBe('acme-web')
  })

  it('applies the defaults of action.yml, with ${{ github.token }} replaced by the job token', () => {
    const defaults = actionDefaults('ghs_job_token')
    expect(defaults).toMatchObject({
      database: 'DATABASE_URL',
      method: 'auto',
      version: '',
      maintenance: 'true',
      'scale-down': 'all',
      'github-token': 'ghs_job_token',
      'follow-up-issue': 'true',
      'issue-labels': 'heroku-postgres-upgrade',
    })
    expect(defaults).not.toHaveProperty('app')
    expect(inputEnvironment({ method: 'follower' }, 'x').INPUT_METHOD).toBe('follower')
  })

  it('reads GITHUB_OUTPUT / GITHUB_STATE blocks as @actions/core writes them, multi-line values included', () => {
    const text = [
      'status<<ghadelimiter_1',
      'succeeded',
      'ghadelimiter_1',
      'runRecord<<ghadelimiter_2',
      '{"a":1,',
      '"b":2}',
      'ghadelimiter_2',
      'legacy=value=with=equals',
      '',
    ].join('\n')
    expect(parseFileCommands(text)).toEqual({ status: 'succeeded', runRecord: '{"a":1,\n"b":2}', legacy: 'value=with=equals' })
  })
})
