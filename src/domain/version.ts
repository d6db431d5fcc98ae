// Postgres versions as Heroku writes them (14.17, 17.5): the major is what an upgrade changes.
/** The major of a version: 14 of 14.17. */
export function majorOf(version: string | undefined): number | undefined {
  const match = /^(\d+)/.exec(version ?? '')
  return match ? Number(match[1]) : undefined
}
