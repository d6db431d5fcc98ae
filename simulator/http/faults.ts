import type { FaultSpec, HttpFault } from '../scenario/file/types.js'

export function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^?]*')
  return new RegExp(`^${source}$`)
}

/** The HTTP faults still to happen: each answers (or drops, or delays) matching requests, `times` times. */
export class HttpFaultBook {
  private readonly pending: HttpFault[] = []

  /** Keeps the HTTP faults among `faults`; the behaviour ones are the model's (model/faults.ts). */
  add(faults: readonly FaultSpec[]): void {
    for (const fault of faults) if (fault.kind === 'http') this.pending.push({ ...fault })
  }

  /** Finds and consumes one use of the first HTTP fault matching the request. */
  take(method: string, path: string): HttpFault | undefined {
    const index = this.pending.findIndex(
      (f) => (f.method === null || f.method === method) && globToRegExp(f.path).test(path),
    )
    const fault = this.pending[index]
    if (!fault) return undefined
    fault.times -= 1
    if (fault.times <= 0) this.pending.splice(index, 1)
    return fault
  }

  list(): readonly HttpFault[] {
    return this.pending
  }
}

const DEFAULT_BODIES: Record<number, { id: string; message: string }> = {
  429: {
    id: 'rate_limit',
    message: 'Your account reached the API rate limit\nPlease wait a few minutes before making new requests',
  },
  500: { id: 'internal_server_error', message: 'Internal server error.' },
  502: { id: 'bad_gateway', message: 'Bad gateway.' },
  503: {
    id: 'service_unavailable',
    message: 'The service is temporarily unavailable. Please try again later.',
  },
  504: { id: 'gateway_timeout', message: 'Gateway timeout.' },
}

export function faultBody(fault: HttpFault): unknown {
  if (fault.body !== undefined) return fault.body
  const status = fault.status ?? 500
  return DEFAULT_BODIES[status] ?? { id: 'simulated_fault', message: `Simulated HTTP ${status}.` }
}
