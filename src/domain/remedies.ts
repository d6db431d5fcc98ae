// The Heroku CLI commands the action tells a person to run, each written one way wherever it is quoted. A
// sentence (a refusal, an error, a log line) writes the app flag short, as Heroku's own messages do; the
// report's checklists and next steps write `--app`, which reads better on a line of its own.
import { scaleArguments, type FormationText } from './formation'

export type AppFlag = '-a' | '--app'

/** `heroku addons:destroy ADDON -a APP --confirm APP` */
export function destroyCommand(addon: string, app: string, flag: AppFlag = '-a'): string {
  return `heroku addons:destroy ${addon} ${flag} ${app} --confirm ${app}`
}

/** `heroku addons:detach ATTACHMENT -a APP` */
export function detachCommand(attachment: string, app: string, flag: AppFlag = '-a'): string {
  return `heroku addons:detach ${attachment} ${flag} ${app}`
}

/** `heroku maintenance:off -a APP` */
export function maintenanceOffCommand(app: string, flag: AppFlag = '-a'): string {
  return `heroku maintenance:off ${flag} ${app}`
}

/** `heroku ps:scale web=2:standard-2x worker=1:standard-1x -a APP` */
export function scaleCommand(formation: readonly FormationText[], app: string, flag: AppFlag = '-a'): string {
  return `heroku ps:scale ${scaleArguments(formation)} ${flag} ${app}`
}

/** `heroku pg:promote ADDON -a APP` */
export function promoteCommand(addon: string, app: string, flag: AppFlag = '-a'): string {
  return `heroku pg:promote ${addon} ${flag} ${app}`
}

/** `heroku pg:info DATABASE --app APP`: the app's primary database; `heroku pg:info -a APP`: all of them. */
export function pgInfoCommand(app: string, flag: AppFlag = '-a', database?: string): string {
  return `heroku pg:info ${database ? `${database} ` : ''}${flag} ${app}`
}

/** `heroku pg:upgrade:wait ADDON -a APP` */
export function upgradeWaitCommand(addon: string, app: string): string {
  return `heroku pg:upgrade:wait ${addon} -a ${app}`
}

/** `heroku pg:upgrade:cancel ADDON -a APP` */
export function upgradeCancelCommand(addon: string, app: string): string {
  return `heroku pg:upgrade:cancel ${addon} -a ${app}`
}

/** `heroku data:maintenances:info ADDON -a APP` */
export function maintenanceInfoCommand(addon: string, app: string): string {
  return `heroku data:maintenances:info ${addon} -a ${app}`
}

/** `heroku pg:backups:info BACKUP --app APP` */
export function backupInfoCommand(backup: string, app: string, flag: AppFlag = '--app'): string {
  return `heroku pg:backups:info ${backup} ${flag} ${app}`
}
