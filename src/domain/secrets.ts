// Masking of connection URLs in the log: the runner hides a registered value only where it appears whole,
// so every piece of a URL that gives access is registered on its own.
import * as core from '@actions/core'

/**
 * Registers every secret part of a URL with the runner: the whole URL, the URL without its scheme, the
 * `user:password` pair and the password alone, each as written and percent-decoded. A URL without a
 * password is registered whole and without its scheme.
 */
export function maskDatabaseUrl(url: string): void {
  for (const secret of secretPartsOf(url)) core.setSecret(secret)
}

/** The values maskDatabaseUrl registers, longest first, without repeats or empty ones. */
export function secretPartsOf(url: string): string[] {
  const parts = [url]
  const schemeless = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
  parts.push(schemeless)
  // The user information ends at the last @ before the path, query or fragment.
  const authority = schemeless.split(/[/?#]/, 1)[0] ?? ''
  const at = authority.lastIndexOf('@')
  const userinfo = at < 0 ? '' : authority.slice(0, at)
  const colon = userinfo.indexOf(':')
  if (colon >= 0) {
    const password = userinfo.slice(colon + 1)
    if (password !== '') parts.push(userinfo, decoded(userinfo), password, decoded(password))
  }
  return [...new Set(parts)].filter((part) => part !== '').sort((a, b) => b.length - a.length)
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
