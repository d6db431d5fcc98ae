// The small formatters every layer shares: one way to write a formation, a Heroku command, a pg:info value,
// a message from Heroku and a duration.
import { describe, expect, it } from 'vitest'
import { describeFormation, formationEntry, scaleArguments } from '../../src/domain/formation'
import {
  backupInfoCommand,
  destroyCommand,
  detachCommand,
  maintenanceInfoCommand,
  maintenanceOffCommand,
  pgInfoCommand,
  promoteCommand,
  scaleCommand,
  upgradeCancelCommand,
  upgradeWaitCommand,
} from '../../src/domain/remedies'
import { cleanHerokuMessage } from '../../src/domain/heroku-message'
import { infoValue } from '../../src/domain/pg-info'
import { formatWholeSeconds } from '../../src/domain/duration'

const FORMATION = [
  { type: 'web', quantity: 2, size: 'standard-2x' },
  { type: 'worker', quantity: 1, size: 'standard-1x' },
]

describe('a formation', () => {
  it('is written as heroku ps:scale takes it, in a command or in a sentence', () => {
    expect(formationEntry({ type: 'web', quantity: '0', size: 'standard-2x' })).toBe('web=0:standard-2x')
    expect(scaleArguments(FORMATION)).toBe('web=2:standard-2x worker=1:standard-1x')
    expect(scaleArguments([])).toBe('')
    expect(describeFormation(FORMATION)).toBe('web=2:standard-2x, worker=1:standard-1x')
    expect(describeFormation([])).toBe('no processes')
  })
})

describe('the remedies', () => {
  it('write the app flag short in a sentence and long in a report', () => {
    expect(destroyCommand('acme-web-upgrade-1', 'acme-web')).toBe(
      'heroku addons:destroy acme-web-upgrade-1 -a acme-web --confirm acme-web',
    )
    expect(destroyCommand('acme-web-upgrade-1', 'acme-web', '--app')).toBe(
      'heroku addons:destroy acme-web-upgrade-1 --app acme-web --confirm acme-web',
    )
    expect(detachCommand('UPGRADE_HOLD_1A2B3C', 'acme-web')).toBe(
      'heroku addons:detach UPGRADE_HOLD_1A2B3C -a acme-web',
    )
    expect(maintenanceOffCommand('acme-web', '--app')).toBe('heroku maintenance:off --app acme-web')
    expect(scaleCommand(FORMATION, 'acme-web')).toBe(
      'heroku ps:scale web=2:standard-2x worker=1:standard-1x -a acme-web',
    )
    expect(promoteCommand('postgresql-curved-12345', 'acme-web', '--app')).toBe(
      'heroku pg:promote postgresql-curved-12345 --app acme-web',
    )
    expect(pgInfoCommand('acme-web')).toBe('heroku pg:info -a acme-web')
    expect(pgInfoCommand('acme-web', '--app', 'DATABASE')).toBe('heroku pg:info DATABASE --app acme-web')
    expect(upgradeWaitCommand('postgresql-curved-12345', 'acme-web')).toBe(
      'heroku pg:upgrade:wait postgresql-curved-12345 -a acme-web',
    )
    expect(upgradeCancelCommand('postgresql-curved-12345', 'acme-web')).toBe(
      'heroku pg:upgrade:cancel postgresql-curved-12345 -a acme-web',
    )
    expect(maintenanceInfoCommand('postgresql-curved-12345', 'acme-web')).toBe(
      'heroku data:maintenances:info postgresql-curved-12345 -a acme-web',
    )
    expect(backupInfoCommand('b042', 'acme-web')).toBe('heroku pg:backups:info b042 --app acme-web')
  })
})

describe("Heroku's messages", () => {
  it('lose their backticks, and give their first line when asked', () => {
    const message = 'Your database is being upgraded. Run `heroku pg:upgrade:wait`\n  to follow it.\n'
    expect(cleanHerokuMessage(message)).toBe(
      'Your database is being upgraded. Run heroku pg:upgrade:wait\n  to follow it.\n',
    )
    expect(cleanHerokuMessage(message, { firstLine: true })).toBe(
      'Your database is being upgraded. Run heroku pg:upgrade:wait',
    )
    expect(cleanHerokuMessage(undefined)).toBe('')
    expect(cleanHerokuMessage(undefined, { firstLine: true })).toBe('')
  })
})

describe('a pg:info value', () => {
  it('is found whatever the case, with its values joined, and is undefined when missing or empty', () => {
    const info = [
      { name: 'PG Version', values: ['16.4'] },
      { name: 'Followers', values: ['postgresql-a-1', 'postgresql-b-2'] },
      { name: 'Forked From', values: [] },
    ]
    expect(infoValue(info, 'PG Version')).toBe('16.4')
    expect(infoValue(info, 'pg version')).toBe('16.4')
    expect(infoValue(info, 'Followers')).toBe('postgresql-a-1, postgresql-b-2')
    expect(infoValue(info, 'Forked From')).toBeUndefined()
    expect(infoValue(info, 'Behind By')).toBeUndefined()
    expect(infoValue(undefined, 'PG Version')).toBeUndefined()
  })
})

describe('a progress line', () => {
  it('says whole seconds', () => {
    expect(formatWholeSeconds(1_500)).toBe('2s')
    expect(formatWholeSeconds(90_400)).toBe('1m30s')
    expect(formatWholeSeconds(400)).toBe('0s')
  })
})
