// The data plane's own certificate: every one it makes must be one OpenSSL (the server's, Node's) accepts,
// or a cluster fails to start now and then.
import { X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { selfSignedCertificate } from '../../simulator/data-plane/tls.js'

describe('the data plane certificate', () => {
  it('is a certificate OpenSSL parses, every time (a serial is never padded)', () => {
    // One serial in 256 started with a 0 byte before one under 0x80: 2000 tries miss it about 1 time in 2,400.
    const refused: string[] = []
    for (let i = 0; i < 2000; i++) {
      const { cert } = selfSignedCertificate('pg17.heroku-sim.invalid')
      try {
        const parsed = new X509Certificate(cert)
        expect(parsed.subject).toBe('CN=pg17.heroku-sim.invalid')
      } catch (error) {
        refused.push(String(error))
      }
    }
    expect(refused).toEqual([])
  })
})
