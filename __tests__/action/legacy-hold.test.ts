// A database that a run of the previous release holds, under the hold's former name UPGRADE_FOLLOWER_xxxxxx,
// is still held: another run is refused before any change, and the run that holds it resumes with it.
import { describe, expect, it } from 'vitest'
import { legacyHoldAttachmentName } from '../../src/domain/identity'
import {
  appAndDatabase,
  cleanUpAfterEachTest,
  FAST,
  job,
  SIM_TOKEN,
  simulator,
  type Simulator,
} from './simulated'

cleanUpAfterEachTest()

async function heroku(sim: Simulator, method: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    body: JSON.stringify(body),
    headers: {
      Authorization: `Bearer ${SIM_TOKEN}`,
      Accept: 'application/vnd.heroku+json; version=3',
      'Content-Type': 'application/json',
    },
  })
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return response.json()
}

describe('a hold of the previous release', () => {
  it('on the old database itself (an in-place run): a copy run is refused, naming the old name', async () => {
    const sim = await simulator()
    const { database: current } = await appAndDatabase(sim)
    const legacy = legacyHoldAttachmentName(current.id)
    await heroku(sim, 'POST', '/addon-attachments', { addon: current.id, app: 'acme-web', name: legacy })
    const refused = await job(sim, { method: 'copy' }).main(FAST)
    expect(refused.outputs.status, refused.log).toBe('failed')
    expect(refused.record?.steps.map((s) => s.name)).toEqual(['preflight'])
    expect(refused.record?.error).toContain(legacy)
  })

  it('on a follower of an older run: another run is refused, the run that made it resumes with it', async () => {
    const sim = await simulator()
    const { database: current } = await appAndDatabase(sim)
    const legacy = legacyHoldAttachmentName(current.id)
    await heroku(sim, 'POST', '/apps/acme-web/addons', {
      plan: { name: 'heroku-postgresql:standard-0' },
      name: 'acme-web-upgrade-99',
      attachment: { name: legacy },
      config: { follow: current.id },
    })
    const refused = await job(sim, {}, { GITHUB_RUN_ID: '2002' }).main(FAST)
    expect(refused.outputs.status, refused.log).toBe('failed')
    expect(refused.record?.error).toMatch(/acme-web-upgrade-99/)
    const resumed = await job(sim, {}, { GITHUB_RUN_ID: '99' }).main(FAST)
    expect(resumed.outputs.status, resumed.log).toBe('succeeded')
    expect(resumed.outputs['new-database']).toBe('acme-web-upgrade-99')
    expect(resumed.summary).toContain(`Resuming with follower acme-web-upgrade-99 (${legacy})`)
  })
})
