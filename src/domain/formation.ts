// How a formation is written: each process type as `type=quantity:size`, the notation `heroku ps:scale` takes,
// so that what a log line or a report shows can be pasted back into the command that restores it. And which
// process types a window scales down, and which it leaves running, under the scale-down input.
import type { FormationEntry, ScaleDown } from './vocabulary'

/** What writing an entry needs; a formation update sends its quantity as text ("0", "2"). */
export interface FormationText {
  type: string
  quantity: number | string
  size: string
}

/** `web=2:standard-2x` */
export function formationEntry(entry: FormationText): string {
  return `${entry.type}=${entry.quantity}:${entry.size}`
}

/** `web=2:standard-2x worker=1:standard-1x`, the argument list of `heroku ps:scale`; empty for none. */
export function scaleArguments(entries: readonly FormationText[]): string {
  return entries.map(formationEntry).join(' ')
}

/** `web=2:standard-2x, worker=1:standard-1x` inside a sentence, or `no processes`. */
export function describeFormation(entries: readonly FormationText[]): string {
  return entries.map(formationEntry).join(', ') || 'no processes'
}

const running = (formation: readonly FormationEntry[]): FormationEntry[] =>
  formation.filter((entry) => entry.quantity > 0 && entry.type !== 'release')

/** The process types to scale to zero: `all` is every running type, web included unless it is kept. */
export function typesToScaleDown(
  formation: readonly FormationEntry[],
  scaleDown: ScaleDown,
): FormationEntry[] {
  switch (scaleDown.kind) {
    case 'none':
      return []
    case 'all':
      return running(formation).filter((entry) => !scaleDown.keep?.includes(entry.type))
    case 'list':
      return running(formation).filter((entry) => scaleDown.types.includes(entry.type))
  }
}

/** Running process types the window leaves up: each one can keep writing to the old database. */
export function typesLeftRunning(
  formation: readonly FormationEntry[],
  scaleDown: ScaleDown,
): FormationEntry[] {
  const scaled = typesToScaleDown(formation, scaleDown)
  return running(formation).filter((entry) => !scaled.includes(entry))
}
