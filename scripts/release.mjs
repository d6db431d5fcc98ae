#!/usr/bin/env node
// Tags a release, as .github/workflows/release.yml runs it (and as a maintainer may, by hand):
//
//   node scripts/release.mjs <version> <remote> [--notes-file <path>]
//
// HEAD gets the annotated tag vX.Y.Z and the major tag vX is force-moved to it; both are pushed to <remote>
// in one atomic push, so users of `@vX` never see a major tag that names an unpushed release. A version
// tag never moves once it names a commit: users who pin `@vX.Y.Z` must get the code they reviewed.
// Re-running the same version on the same commit finishes a release a failed run left half done.
// The policy is documented in CONTRIBUTING.md, "Releasing".
import { execFileSync } from 'node:child_process'
import { appendFileSync, writeFileSync } from 'node:fs'

const USAGE = 'usage: node scripts/release.mjs <version> <remote> [--notes-file <path>]'
const ALLOWED = 'X.Y.Z or vX.Y.Z, three whole numbers without leading zeros (for example 1.2.3 or v1.2.3)'
const VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/
// The file runners execute (action.yml `runs.main`): a commit without it is not a usable release.
const BUNDLE = 'dist/index.js'

/** A reason to stop before anything is tagged or pushed: printed as is, without a stack. */
class Refusal extends Error {}

function git(...args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
  } catch (error) {
    const stderr = String(error.stderr ?? '').trim()
    throw new Refusal(`git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`)
  }
}

function parseArguments(argv) {
  const positional = []
  let notesFile
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]
    if (argument === '--notes-file') notesFile = argv[++index]
    else if (argument.startsWith('--')) throw new Refusal(`unknown option "${argument}"; ${USAGE}`)
    else positional.push(argument)
  }
  if (positional.length !== 2 || notesFile === '') throw new Refusal(USAGE)
  return { version: parseVersion(positional[0]), remote: positional[1], notesFile }
}

function parseVersion(text) {
  const match = VERSION.exec(text)
  if (!match) throw new Refusal(`version "${text}" is not allowed: give ${ALLOWED}`)
  const [major, minor, patch] = match.slice(1).map(Number)
  return { major, minor, patch, name: `${major}.${minor}.${patch}`, tag: `v${major}.${minor}.${patch}` }
}

function compareVersions(a, b) {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch
}

/** Refuses changes HEAD does not hold: the tag names HEAD, not what was built or checked here. */
function refuseDirtyTree() {
  const changed = [
    git('status', '--porcelain', '--untracked-files=no'),
    git('status', '--porcelain', '--untracked-files=all', '--', 'dist'),
  ]
    .filter(Boolean)
    .join('\n')
  if (changed) {
    throw new Refusal(
      `the work tree differs from HEAD, so the tag would name a commit other than the one checked here:\n` +
        `${changed}\nCommit or discard these changes (for dist/: run \`npm run build\` and commit it).`,
    )
  }
}

function refuseMissingBundle() {
  if (!git('ls-tree', '--name-only', 'HEAD', '--', BUNDLE)) {
    throw new Refusal(
      `HEAD does not contain ${BUNDLE}: run \`npm run build\` and commit dist/ before releasing.`,
    )
  }
}

/** The CHANGELOG.md section of this version as committed at HEAD, without its heading. */
function releaseNotes(version) {
  const changelog = git('show', 'HEAD:CHANGELOG.md').split('\n')
  const heading = new RegExp(`^## \\[${version.name.replaceAll('.', '\\.')}\\]`)
  const start = changelog.findIndex((line) => heading.test(line))
  if (start < 0) {
    throw new Refusal(
      `CHANGELOG.md at HEAD has no section "## [${version.name}] - YYYY-MM-DD": ` +
        'move the Unreleased entries under it and commit before releasing.',
    )
  }
  const length = changelog.slice(start + 1).findIndex((line) => /^## |^\[[^\]]+\]: /.test(line))
  const body = changelog.slice(start + 1, length < 0 ? undefined : start + 1 + length)
  return body.join('\n').trim() + '\n'
}

/** The remote's tags: name → commit (an annotated tag's `^{}` line names the commit it points to). */
function remoteTags(remote) {
  const tags = new Map()
  for (const line of git('ls-remote', '--tags', remote).split('\n').filter(Boolean)) {
    const [sha, ref] = line.split('\t')
    const name = ref.replace(/^refs\/tags\//, '')
    if (name.endsWith('^{}')) tags.set(name.slice(0, -3), sha)
    else if (!tags.has(name)) tags.set(name, sha)
  }
  return tags
}

function localTagCommit(tag) {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    return undefined
  }
}

function refuseMovedVersion(version, head, remote, tags) {
  const where = [
    [`on ${remote}`, tags.get(version.tag)],
    ['locally', localTagCommit(version.tag)],
  ]
  for (const [place, commit] of where) {
    if (commit && commit !== head) {
      const next = `${version.major}.${version.minor}.${version.patch + 1}`
      throw new Refusal(
        `${version.tag} already exists ${place} on commit ${commit.slice(0, 12)}, not on HEAD ` +
          `${head.slice(0, 12)}: a released version never moves. Release a new version (such as ${next}) instead.`,
      )
    }
  }
}

/** Tags HEAD with vX.Y.Z, reusing the remote's tag when an earlier run or a person already pushed it. */
function tagVersion(version, head, remote, tags) {
  if (tags.get(version.tag) === head) {
    git('fetch', '--no-tags', remote, `+refs/tags/${version.tag}:refs/tags/${version.tag}`)
  } else if (localTagCommit(version.tag) !== head) {
    git('tag', '--annotate', version.tag, '--message', `Release ${version.tag}`, head)
  }
}

/** The major tag follows the newest release of its major version: a patch of an older line leaves it. */
function majorTagMoves(version, tags) {
  const sameMajor = [...tags.keys()]
    .filter((name) => name.startsWith('v') && VERSION.test(name))
    .map(parseVersion)
    .filter((other) => other.major === version.major)
  return sameMajor.every((other) => compareVersions(version, other) >= 0)
}

function writeOutputs(outputs) {
  if (!process.env.GITHUB_OUTPUT) return
  const lines = Object.entries(outputs).map(([key, value]) => `${key}=${value}\n`)
  appendFileSync(process.env.GITHUB_OUTPUT, lines.join(''))
}

function release(argv) {
  const { version, remote, notesFile } = parseArguments(argv)
  git('remote', 'get-url', remote) // refuses an unknown remote before any check that takes longer
  const head = git('rev-parse', 'HEAD^{commit}')
  refuseDirtyTree()
  refuseMissingBundle()
  const notes = releaseNotes(version)
  const tags = remoteTags(remote)
  refuseMovedVersion(version, head, remote, tags)

  tagVersion(version, head, remote, tags)
  const majorTag = `v${version.major}`
  const moveMajor = majorTagMoves(version, tags)
  if (moveMajor) git('tag', '--force', majorTag, head)
  const refs = [`refs/tags/${version.tag}`, ...(moveMajor ? [`+refs/tags/${majorTag}`] : [])]
  git('push', '--atomic', remote, ...refs)

  if (notesFile) writeFileSync(notesFile, notes)
  writeOutputs({ tag: version.tag, 'major-tag': moveMajor ? majorTag : '' })
  console.log(`${version.tag} is on ${head.slice(0, 12)} at ${remote}.`)
  console.log(
    moveMajor
      ? `${majorTag} now points at ${version.tag}.`
      : `${majorTag} stays on the newest ${majorTag} release: ${version.tag} is older.`,
  )
}

try {
  release(process.argv.slice(2))
} catch (error) {
  if (!(error instanceof Refusal)) throw error
  console.error(`Release refused: ${error.message}`)
  process.exit(1)
}
