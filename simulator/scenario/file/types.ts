/**
 * A validated scenario with every default filled in; field names follow the JSON keys. The types are what
 * schema.ts gives; each key's rules, default and meaning are written in the file of its topic.
 */
import type { z } from 'zod'
import type { scenarioFileSchema } from './schema.js'

export interface Scenario extends z.output<typeof scenarioFileSchema> {
  /** The built-in scenario's name, the file's name without `.json`, or `custom`. */
  name: string
}

export type Durations = Scenario['durations']
export type AppSpec = Scenario['apps'][number]
export type FormationSpec = AppSpec['formation'][number]
/** A Heroku Scheduler job: a one-off dyno of type `scheduler` every `every_seconds`, whatever maintenance says. */
export type SchedulerSpec = AppSpec['scheduler'][number]
export type DatabaseSpec = AppSpec['databases'][number]
export type AttachmentSpec = DatabaseSpec['attachments'][number]
export type FaultSpec = Scenario['faults'][number]
export type HttpFault = Extract<FaultSpec, { kind: 'http' }>
export type BehaviourFault = Extract<FaultSpec, { kind: 'behaviour' }>
export type BehaviourFaultType = BehaviourFault['type']
