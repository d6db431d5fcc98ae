// The database URLs an app's config vars hold, one per attachment (`<NAME>_URL`). Every postgres URL among
// them is masked the moment it is read, whether asked for or not: the log never shows one.
import { maskDatabaseUrl } from '../domain/secrets'
import type { PlatformApi } from './platform-api'

/** The app's config vars, every postgres URL among them masked before the caller can print it. */
export async function maskedConfigVars(
  platform: Pick<PlatformApi, 'getConfigVars'>,
  app: string,
): Promise<Record<string, string>> {
  const config = await platform.getConfigVars(app)
  for (const value of Object.values(config)) if (/^postgres(ql)?:\/\//.test(value)) maskDatabaseUrl(value)
  return config
}

/** The URL of each attachment named, in order; rejects naming those the app's config vars lack. */
export async function attachmentUrls(
  platform: Pick<PlatformApi, 'getConfigVars'>,
  app: string,
  attachments: readonly string[],
): Promise<string[]> {
  const config = await maskedConfigVars(platform, app)
  const missing = attachments.filter((name) => !config[`${name}_URL`])
  if (missing.length > 0)
    throw new Error(`The config vars of ${app} lack ${missing.map((name) => `${name}_URL`).join(' and ')}.`)
  return attachments.map((name) => config[`${name}_URL`] as string)
}
