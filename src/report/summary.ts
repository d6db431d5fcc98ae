// The job summary: a pure function from the run record to GitHub-flavoured Markdown, one section after the
// other. Each section lives with its kind: the headline, the method and plan, where things stand, the tables.
import type { RunRecord } from '../record/record'
import { truncate } from './format'
import { outcomeLine, overviewLine } from './summary-headline'
import { methodSection, planSection } from './summary-plan'
import { whereThingsStandSection } from './summary-standing'
import {
  carriedOverSection,
  chartSection,
  databasesSection,
  leftForHerokuSection,
  leftoversSection,
  timelineSection,
  warningsSection,
} from './summary-sections'

export { outcomeLine } from './summary-headline'

/** GitHub rejects a step summary over 1 MiB; stay far below so other steps keep room too. */
export const SUMMARY_MAX_CHARS = 256 * 1024

export function renderSummary(record: RunRecord): string {
  const sections = [
    `## Heroku Postgres upgrade: ${record.app}`,
    outcomeLine(record),
    overviewLine(record),
    methodSection(record),
    planSection(record),
    databasesSection(record),
    leftForHerokuSection(record),
    whereThingsStandSection(record),
    carriedOverSection(record),
    leftoversSection(record),
    warningsSection(record),
    timelineSection(record),
    chartSection(record),
  ]
  const markdown = sections.filter((section) => section.length > 0).join('\n\n') + '\n'
  return truncate(markdown, SUMMARY_MAX_CHARS)
}
