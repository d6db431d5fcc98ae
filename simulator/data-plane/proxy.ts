// The add-ons' host: one loopback port in front of every cluster, routing each connection by the database
// named in its startup message. On Heroku a database keeps its host when an in-place upgrade moves it to a new
// server; here the URL keeps 127.0.0.1:<proxy port> while the database moves from one cluster to another, and
// while it moves the proxy refuses connections and cuts the sessions it carries (the database is unavailable).
// As Heroku Postgres does, it takes sessions over TLS only (1.2 or later, a certificate the client cannot
// verify) and refuses the others at their startup message; it ends TLS and carries the session on to the
// cluster over loopback.
import { createServer, Socket, type Server } from 'node:net'
import { TLSSocket, createSecureContext } from 'node:tls'
import { selfSignedCertificate } from './tls.js'

const SSL_REQUEST = 80877103
const GSS_REQUEST = 80877104
const CANCEL_REQUEST = 80877102

export interface DatabaseProxy {
  port: number
  /** Sends the database's new connections to this cluster port (or refuses them while `null`). */
  route(database: string, clusterPort: number | null): void
  /** Closes every session carried to the database (as a server that goes away would). */
  cut(database: string): void
  stop(): Promise<void>
}

/** A FATAL ErrorResponse, the way a server that cannot take the connection answers a startup message. */
function fatal(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8')
  const head = Buffer.alloc(5)
  head.write('E', 0)
  head.writeInt32BE(fields.length + 4, 1)
  return Buffer.concat([head, fields])
}

/** The parameters of a StartupMessage (after its length and protocol version). */
function startupParameters(message: Buffer): Map<string, string> {
  const parts = message.subarray(8).toString('utf8').split('\0')
  const params = new Map<string, string>()
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const key = parts[i]
    const value = parts[i + 1]
    if (key && value !== undefined) params.set(key, value)
  }
  return params
}

export async function startProxy(): Promise<DatabaseProxy> {
  const routes = new Map<string, number | null>()
  const sessions = new Map<string, Set<Socket>>()

  const context = createSecureContext({
    ...selfSignedCertificate('heroku-sim.invalid'),
    minVersion: 'TLSv1.2',
  })

  const carry = (client: Socket, startup: Buffer, encrypted: boolean): void => {
    const params = startupParameters(startup)
    const database = params.get('database') ?? params.get('user') ?? ''
    if (!encrypted) {
      // What a Heroku database answers a session without SSL, as current PostgreSQL words it (older said "SSL off").
      const user = params.get('user') ?? ''
      client.end(
        fatal(
          '28000',
          `no pg_hba.conf entry for host "127.0.0.1", user "${user}", database "${database}", no encryption`,
        ),
      )
      return
    }
    const port = routes.get(database)
    if (port === undefined || port === null) {
      const unavailable = port === null
      client.end(
        unavailable
          ? fatal('57P03', `the database system is not accepting connections: ${database} is unavailable`)
          : fatal('3D000', `database "${database}" does not exist`),
      )
      return
    }
    const server = new Socket()
    const open = sessions.get(database) ?? new Set<Socket>()
    sessions.set(database, open)
    open.add(client)
    const close = (): void => {
      open.delete(client)
      client.destroy()
      server.destroy()
    }
    server.on('error', close).on('close', close)
    client.on('close', close)
    server.connect(port, '127.0.0.1', () => {
      server.write(startup)
      client.pipe(server)
      server.pipe(client)
    })
  }

  // Reads whole messages from the first bytes: an SSL request is answered "yes" and the rest is read over TLS,
  // a GSS request "no", a cancel request is dropped, and the startup message decides where the session goes.
  const accept = (client: Socket, encrypted = false): void => {
    let buffered = Buffer.alloc(0)
    client.on('error', () => client.destroy())
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk])
      while (buffered.length >= 8) {
        const length = buffered.readInt32BE(0)
        if (buffered.length < length) return
        const message = buffered.subarray(0, length)
        buffered = buffered.subarray(length)
        const code = message.readInt32BE(4)
        if (code === GSS_REQUEST || (code === SSL_REQUEST && encrypted)) {
          client.write('N')
          continue
        }
        client.off('data', onData)
        if (code === SSL_REQUEST) {
          client.write('S')
          accept(new TLSSocket(client, { isServer: true, secureContext: context }), true)
          return
        }
        if (code === CANCEL_REQUEST) {
          client.destroy()
          return
        }
        // Paused until the cluster answers: pipe() resumes it.
        client.pause()
        carry(client, Buffer.concat([message, buffered]), encrypted)
        return
      }
    }
    client.on('data', onData)
  }

  const server: Server = createServer((client) => accept(client))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    port,
    route(database, clusterPort) {
      routes.set(database, clusterPort)
    },
    cut(database) {
      for (const socket of sessions.get(database) ?? []) socket.destroy()
    },
    stop() {
      for (const open of sessions.values()) for (const socket of open) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
