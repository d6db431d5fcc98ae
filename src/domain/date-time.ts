// An instant as every part of the report and the log writes it: minutes, in UTC, saying so.
/**
 * `2026-12-10 16:00 UTC`: the one way a date and time is written in the summary and the issue (Heroku's
 * pg:info writes its own this way, less the zone). Empty for an invalid timestamp.
 */
export function formatDateTime(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
