import type { World } from '../model/world.js'
import { HttpFaultBook } from './faults.js'
import { GithubStore } from './github-store.js'
import { RateLimiter } from './rate-limit.js'

/** One request as `GET /__simulator/requests` lists it (status 0: dropped by a fault). */
export interface RequestRecord {
  method: string
  path: string
  status: number
  at: string
}

/**
 * What the server keeps beside the Heroku account: the requests it answered, the HTTP faults still to happen,
 * the API budget of each token, and the GitHub issues.
 */
export class ServerState {
  readonly faults = new HttpFaultBook()
  readonly limiter = new RateLimiter()
  readonly github: GithubStore
  private readonly log: RequestRecord[] = []
  private url = 'http://127.0.0.1'

  constructor(world: World) {
    this.github = new GithubStore(world.clock, world.journal)
    this.faults.add(world.scenario.faults)
  }

  /** `http://127.0.0.1:<port>` once listening, for the URLs the answers carry. */
  get baseUrl(): string {
    return this.url
  }

  listeningAt(url: string): void {
    this.url = url
  }

  recordRequest(record: RequestRecord): void {
    this.log.push(record)
  }

  requests(): readonly RequestRecord[] {
    return this.log
  }
}
