// Several apps can write to one database (an attachment on another app, a one-off dyno left on the old
// database). A database holds a prefix (commits 1..n) of each origin, so to know how many of one app's commits a
// database holds, each app's running total is recorded against the origin's: between two recorded points both
// grow linearly, because every rate is constant between integration steps.

type Point = [originCount: number, appCount: number]

export class WriterShares {
  private readonly curves = new Map<string, Map<string, Point[]>>()

  /** Records one integration step: the origin grew from `before` by the sum of `increments` (app id → commits). */
  record(originKey: string, before: number, increments: Map<string, number>): void {
    let byApp = this.curves.get(originKey)
    if (!byApp) this.curves.set(originKey, (byApp = new Map()))
    let grown = 0
    for (const inc of increments.values()) grown += inc
    for (const [appId, inc] of increments) {
      let curve = byApp.get(appId)
      if (!curve) byApp.set(appId, (curve = []))
      const last = curve[curve.length - 1]
      const own = last?.[1] ?? 0
      if (!last || last[0] < before) curve.push([before, own])
      appendPoint(curve, [before + grown, own + inc])
    }
  }

  writers(originKey: string): string[] {
    return [...(this.curves.get(originKey)?.keys() ?? [])]
  }

  /** Commits the app wrote to the origin. */
  written(originKey: string, appId: string): number {
    const curve = this.curves.get(originKey)?.get(appId)
    return curve?.[curve.length - 1]?.[1] ?? 0
  }

  /** How many of the app's commits are among the origin's first `held` commits. */
  heldOf(originKey: string, appId: string, held: number): number {
    const curve = this.curves.get(originKey)?.get(appId)
    if (!curve || curve.length === 0) return 0
    const first = curve[0] as Point
    const last = curve[curve.length - 1] as Point
    if (held <= first[0]) return 0
    if (held >= last[0]) return last[1]
    let low = 0
    let high = curve.length - 1
    while (high - low > 1) {
      const mid = (low + high) >> 1
      if ((curve[mid] as Point)[0] <= held) low = mid
      else high = mid
    }
    const [o0, a0] = curve[low] as Point
    const [o1, a1] = curve[high] as Point
    return o1 <= o0 ? a1 : a0 + ((a1 - a0) * (held - o0)) / (o1 - o0)
  }
}

/** Appends a point, or moves the last one when the curve goes on at the same slope (keeps curves short). */
function appendPoint(curve: Point[], point: Point): void {
  const last = curve[curve.length - 1]
  const beforeLast = curve[curve.length - 2]
  if (last && beforeLast) {
    const slope = (last[1] - beforeLast[1]) * (point[0] - last[0])
    const next = (point[1] - last[1]) * (last[0] - beforeLast[0])
    if (Math.abs(slope - next) <= 1e-9 * Math.max(1, Math.abs(slope))) {
      last[0] = point[0]
      last[1] = point[1]
      return
    }
  }
  curve.push(point)
}
