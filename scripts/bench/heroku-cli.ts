// The official Heroku CLI (the `heroku` devDependency) run as a child process against the simulator, kept
// away from the real account and the internet: a throwaway HOME, telemetry and update checks off, and a
// proxy where nothing listens for anything that is not 127.0.0.1.

import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { HEROKU_CLI_ENTRY, isolatedCliEnvironment, isolatedCliHome } from '../heroku-cli-isolation'

const CLI = HEROKU_CLI_ENTRY

export interface CliCommand {
  args: string[]
  stdout: string
  stderr: string
  code: number | null
  startedAt: number
  endedAt: number
}

export class HerokuCli {
  readonly commands: CliCommand[] = []
  private readonly home = isolatedCliHome('bench-heroku-home-')

  constructor(
    private readonly url: string,
    private readonly apiKey: string,
  ) {}

  private environment(): Record<string, string> {
    return isolatedCliEnvironment(this.home, this.url, this.apiKey)
  }

  /** `heroku <args>`; throws with the CLI's output when it fails. */
  async ok(...args: string[]): Promise<CliCommand> {
    const command = await this.run(args)
    if (command.code !== 0)
      throw new Error(
        `heroku ${args.join(' ')} exited ${command.code}\n${command.stdout}\n${command.stderr}`.trimEnd(),
      )
    return command
  }

  run(args: string[], timeoutMs = 120_000): Promise<CliCommand> {
    const startedAt = Date.now()
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--no-deprecation', CLI, ...args], {
        env: this.environment(),
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      child.on('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
      child.on('close', (code) => {
        clearTimeout(timer)
        const command = { args, stdout, stderr, code, startedAt, endedAt: Date.now() }
        this.commands.push(command)
        resolve(command)
      })
    })
  }

  dispose(): void {
    rmSync(this.home, { recursive: true, force: true })
  }
}

/** `Behind By` of the database whose `Add-on:` line is `addon`, in `heroku pg:info` output. */
export function behindBy(pgInfo: string, addon: string): string | undefined {
  for (const block of pgInfo.split(/^=== /m)) {
    if (!new RegExp(`^Add-on:\\s+${addon}\\s*$`, 'm').test(block)) continue
    return /^Behind By:\s+(.*)$/m.exec(block)?.[1]?.trim()
  }
  return undefined
}

/** The add-on name `addons:create` reports. */
export function createdAddon(output: string): string {
  const name =
    /^(\S+) is being created in the background\./m.exec(output)?.[1] ?? /^Created (\S+)/m.exec(output)?.[1]
  if (!name) throw new Error(`addons:create printed no add-on name:\n${output}`)
  return name
}

/** The first config var `heroku pg:info` lists for the database whose `Add-on:` line is `addon`. */
export function attachmentOf(pgInfo: string, addon: string): string | undefined {
  for (const block of pgInfo.split(/^=== /m)) {
    if (!new RegExp(`^Add-on:\\s+${addon}\\s*$`, 'm').test(block)) continue
    return block.split('\n')[0]?.split(', ')[0]?.trim()
  }
  return undefined
}

/** The backup name (`b001`) `pg:backups:capture` reports. */
export function capturedBackup(output: string): string {
  const name = /Backing up \S+ to (b\d+)/.exec(output)?.[1]
  if (!name) throw new Error(`pg:backups:capture printed no backup name:\n${output}`)
  return name
}
