// Whether this run's window uses the write fence: what the fence input asks, and whether the database can be
// reached from this runner with the credential of its attachment. Read-only: a session opens and looks.
import type { FenceInput } from '../domain/policy'
import type { Method } from '../domain/vocabulary'
import { alreadyFencedNotice, fenceNotUsedNotice, fenceRefusal } from '../domain/messages/fence'
import { attachmentUrls } from '../heroku/database-urls'
import type { PlatformApi } from '../heroku/platform-api'
import type { Inspection } from '../inspect/types'
import type { FencePlan } from '../plan/upgrade-plan'
import { probeFence } from '../postgres/fence'
import { errorMessage } from '../domain/error-message'

/** The methods whose window the fence guards: a plan change keeps one database, which Heroku fences itself. */
export const FENCED: readonly Method[] = ['follower', 'copy', 'backup-restore', 'in-place']

export interface FenceDecision {
  plan: FencePlan
  /** Said before anything changes (auto, when it cannot be used). */
  notice?: string
  /** Warned before anything changes: the database is read-only already. */
  warning?: string
  /** fence: on, and it cannot be used. */
  refusal?: string
}

/** The app's attachment to the database, DATABASE first: the URL the app itself writes through. */
function attachmentOf(facts: Inspection): string | undefined {
  const own = facts.appAttachments.filter((attachment) => attachment.addon.id === facts.old.id)
  return (own.find((attachment) => attachment.name === 'DATABASE') ?? own[0])?.name
}

export async function decideFence(
  input: FenceInput,
  facts: Inspection,
  method: Method,
  platform: Pick<PlatformApi, 'getConfigVars'>,
): Promise<FenceDecision> {
  if (input === 'off') return { plan: { use: false, why: 'fence is off' } }
  if (!FENCED.includes(method))
    return {
      plan: {
        use: false,
        why: `method ${method} keeps one database, which Heroku makes read-only itself while it changes it`,
      },
    }
  const attachment = attachmentOf(facts)
  const reached = attachment
    ? await reach(platform, facts.app.name, attachment)
    : { why: `is not attached to ${facts.app.name}` }
  if (attachment && reached.why === undefined)
    return {
      plan: { use: true, attachment },
      ...(reached.fenced ? { warning: alreadyFencedNotice(facts.old.name) } : {}),
    }
  const reason = reached.why ?? 'cannot be reached'
  const space = facts.app.space?.name
  if (input === 'on')
    return { plan: { use: false, why: reason }, refusal: fenceRefusal(facts.old.name, reason, space) }
  return { plan: { use: false, why: reason }, notice: fenceNotUsedNotice(facts.old.name, reason, space) }
}

/**
 * `why` is undefined when the fence can be used through the attachment, else why not (to follow the
 * database's name); `fenced`: a fence is up already.
 */
async function reach(
  platform: Pick<PlatformApi, 'getConfigVars'>,
  app: string,
  attachment: string,
): Promise<{ why?: string; fenced?: boolean }> {
  let url: string
  try {
    ;[url = ''] = await attachmentUrls(platform, app, [attachment])
  } catch (error) {
    return { why: `has no URL to reach it with (${errorMessage(error)})` }
  }
  const reached = await probeFence(url)
  return reached.usable ? { fenced: reached.fenced } : { why: reached.why }
}
