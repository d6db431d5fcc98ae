// The add-ons' host speaks TLS, as Heroku Postgres does (it refuses a session without SSL). Its certificate is
// made when the data plane starts: a P-256 key and a self-signed X.509 v3 certificate, built here in DER
// with node:crypto alone, so that no tool (openssl) and no key checked into the repository is needed. Like a
// Heroku database's certificate, it cannot be verified by the client: apps connect without verifying it.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto'

export interface ServerCertificate {
  /** PEM, PKCS#8. */
  key: string
  /** PEM, X.509. */
  cert: string
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content)
  return Buffer.concat([Buffer.from([tag]), length(body.length), body])
}

const sequence = (...content: Buffer[]): Buffer => tlv(0x30, ...content)

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number)
  const bytes = [first * 40 + second]
  for (const arc of rest) {
    const groups: number[] = []
    for (let value = arc; ; value = Math.floor(value / 128)) {
      groups.unshift(value % 128)
      if (value < 128) break
    }
    groups.forEach((group, index) => bytes.push(index < groups.length - 1 ? group | 0x80 : group))
  }
  return tlv(0x06, Buffer.from(bytes))
}

/** UTCTime, `YYMMDDHHMMSSZ` (years 1950 to 2049). */
function utcTime(date: Date): Buffer {
  const iso = date.toISOString()
  const text = iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16)
  return tlv(0x17, Buffer.from(`${text}${iso.slice(17, 19)}Z`, 'ascii'))
}

function commonName(name: string): Buffer {
  return sequence(tlv(0x31, sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from(name, 'utf8')))))
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2'

/** A fresh key and a certificate for `name`, valid from a day ago for `days` days. */
export function selfSignedCertificate(name: string, days = 30): ServerCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const serial = randomBytes(12)
  // A positive INTEGER in its shortest form: a first byte of 0 before one under 0x80 is padding, which
  // OpenSSL refuses ("illegal padding": the server then does not start, once in 256 certificates).
  serial[0] = (serial[0] ?? 0) & 0x7f || 0x01
  const now = Date.now()
  const algorithm = sequence(oid(ECDSA_WITH_SHA256))
  const tbs = sequence(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // version v3
    tlv(0x02, serial),
    algorithm,
    commonName(name),
    sequence(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + days * 86_400_000))),
    commonName(name),
    publicKey.export({ type: 'spki', format: 'der' }),
  )
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' })
  const der = sequence(tbs, algorithm, tlv(0x03, Buffer.from([0]), signature))
  const body = der.toString('base64').replace(/.{1,64}/g, '$&\n')
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    cert: `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`,
  }
}
