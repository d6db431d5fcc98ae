/** One database as `heroku pg:info` prints it: the `=== A_URL, B_URL` header and its `Key: value` lines. */
export interface PgInfoBlock {
  names: string[]
  fields: Record<string, string>
}

/** Parses the stdout of `heroku pg:info` into one block per database, in printed order. */
export function parsePgInfo(stdout: string): PgInfoBlock[] {
  const blocks: PgInfoBlock[] = []
  let current: PgInfoBlock | undefined
  for (const line of stdout.split('\n')) {
    if (line.startsWith('=== ')) {
      current = { names: line.slice(4).split(', '), fields: {} }
      blocks.push(current)
      continue
    }
    const field = /^([^:]+):\s+(.*)$/.exec(line)
    if (current && field?.[1] && field[2] !== undefined) current.fields[field[1]] = field[2]
  }
  return blocks
}

/** The block whose header lists `name` (e.g. `DATABASE_URL`); fails with the whole output when absent. */
export function pgInfoBlock(stdout: string, name: string): PgInfoBlock {
  const block = parsePgInfo(stdout).find((candidate) => candidate.names.includes(name))
  if (!block) throw new Error(`pg:info shows no database named ${name}:\n${stdout}`)
  return block
}

/** The block of the database whose `Add-on:` line is `addonName`. */
export function pgInfoBlockOfAddon(stdout: string, addonName: string): PgInfoBlock {
  const block = parsePgInfo(stdout).find((candidate) => candidate.fields['Add-on'] === addonName)
  if (!block) throw new Error(`pg:info shows no add-on ${addonName}:\n${stdout}`)
  return block
}
