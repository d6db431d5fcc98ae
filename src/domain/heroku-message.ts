// Heroku's own words, made fit to quote. Its messages name CLI commands in backticks, which would break the
// Markdown a report quotes them in and read as noise in a log line, and they may run over several lines, the
// first of which says what happened.

/** The message without its backticks; with `firstLine`, only its first line, trimmed. Empty when none. */
export function cleanHerokuMessage(
  message: string | undefined,
  options: { firstLine?: boolean } = {},
): string {
  const plain = (message ?? '').replace(/`/g, '')
  return options.firstLine ? (plain.split('\n', 1)[0] ?? '').trim() : plain
}
