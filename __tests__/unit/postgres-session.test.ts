// Which database errors the fence retries in a new session: the connection's, never the server's answers.
import { describe, expect, it } from 'vitest'
import { connectionLost } from '../../src/postgres/session'

const withCode = (code?: string): Error => Object.assign(new Error('x'), code === undefined ? {} : { code })

describe('connectionLost', () => {
  it.each([
    ['no code (Connection terminated unexpectedly)', undefined],
    ['a system error', 'ECONNRESET'],
    ['a refused connection', 'ECONNREFUSED'],
    ['a connection failure', '08006'],
    ['a terminated backend', '57P01'],
    ['a database not yet accepting connections', '57P03'],
  ])('retries %s', (_what, code) => {
    expect(connectionLost(withCode(code))).toBe(true)
  })

  it.each([
    ['a read-only transaction', '25006'],
    ['a missing privilege', '42501'],
    ['a wrong password', '28P01'],
    ['a statement timeout', '57014'],
  ])('does not retry %s', (_what, code) => {
    expect(connectionLost(withCode(code))).toBe(false)
  })
})
