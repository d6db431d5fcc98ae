// A one-off dyno can exit between the dyno list that showed it and the stop the window sends: Heroku then
// answers 404, and the window goes on (it failed the run before, at random, on the scheduler-app scenario).
import { describe, expect, it } from 'vitest'
import { HerokuApiError } from '../../src/heroku/errors'
import { PlatformApi } from '../../src/heroku/platform-api'
import type { ApiRequest, Transport } from '../../src/heroku/transport'

function answering(status: number | undefined): Transport {
  return {
    request: <T>(request: ApiRequest): Promise<T> =>
      status === 200
        ? Promise.resolve({} as T)
        : Promise.reject(
            new HerokuApiError({
              method: request.method,
              path: request.path,
              status,
              body: { id: status === 404 ? 'not_found' : 'internal_error', message: 'no' },
            }),
          ),
    serverTime: () => undefined,
  }
}

describe('stopping a dyno', () => {
  it('says whether the dyno was there: a dyno already gone (404) is no failure', async () => {
    await expect(new PlatformApi(answering(200)).stopDyno('acme-web', 'run.1')).resolves.toBe(true)
    await expect(new PlatformApi(answering(404)).stopDyno('acme-web', 'run.1')).resolves.toBe(false)
  })

  it('fails on any other error', async () => {
    await expect(new PlatformApi(answering(500)).stopDyno('acme-web', 'run.1')).rejects.toThrow(
      /answered 500/,
    )
  })
})
