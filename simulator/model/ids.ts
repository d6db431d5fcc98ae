/** Deterministic identifiers: the same scenario seed always yields the same ids and names. */
export class IdSource {
  private state: number

  constructor(seed: number) {
    this.state = (seed * 2654435761) >>> 0 || 1
  }

  /** mulberry32: a tiny PRNG, good enough for names. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive)
  }

  hex(length: number): string {
    let out = ''
    for (let i = 0; i < length; i++) out += this.int(16).toString(16)
    return out
  }

  alnum(length: number): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
    let out = ''
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)]
    return out
  }

  uuid(): string {
    const h = this.hex(32)
    const variant = ((this.int(4) + 8) as number).toString(16)
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T
  }
}

const ADJECTIVES = [
  'curved',
  'silent',
  'rigid',
  'amorphous',
  'shallow',
  'cubic',
  'fluffy',
  'clean',
  'solid',
  'tapered',
  'spherical',
  'flat',
  'concentric',
  'vertical',
  'horizontal',
  'symmetrical',
  'triangular',
  'rugged',
  'opaque',
  'transparent',
  'elliptical',
  'octagonal',
  'parallel',
  'polished',
  'round',
  'sinuous',
  'slippery',
  'angular',
  'deep',
  'dimensional',
  'asymmetrical',
  'encircled',
  'infinite',
  'adjacent',
  'lively',
]

export const COLORS = [
  'AMBER',
  'AQUA',
  'BLACK',
  'BLUE',
  'BRONZE',
  'BROWN',
  'CHARCOAL',
  'COBALT',
  'COPPER',
  'CRIMSON',
  'CYAN',
  'GOLD',
  'GRAY',
  'GREEN',
  'IVORY',
  'JADE',
  'LIME',
  'MAROON',
  'MAUVE',
  'NAVY',
  'OLIVE',
  'ONYX',
  'ORANGE',
  'PINK',
  'PURPLE',
  'RED',
  'ROSE',
  'SILVER',
  'TEAL',
  'VIOLET',
  'WHITE',
  'YELLOW',
]

export function addonName(ids: IdSource, taken: (name: string) => boolean): string {
  for (;;) {
    const name = `postgresql-${ids.pick(ADJECTIVES)}-${10000 + ids.int(90000)}`
    if (!taken(name)) return name
  }
}

/** A free HEROKU_POSTGRESQL_<COLOR> name on an app. */
export function colorAttachmentName(ids: IdSource, taken: (name: string) => boolean): string {
  const free = COLORS.map((c) => `HEROKU_POSTGRESQL_${c}`).filter((name) => !taken(name))
  if (free.length > 0) return ids.pick(free)
  for (let i = 2; ; i++) {
    const name = `HEROKU_POSTGRESQL_${ids.pick(COLORS)}_${i}`
    if (!taken(name)) return name
  }
}
