import { configVarName } from '../model/database.js'
import { dynoSizeId } from '../model/dyno-sizes.js'
import { planDisplayName, planId, priceCents, SERVICE, SERVICE_ID, type PlanFacts } from '../model/plans.js'
import type { Addon, App, Attachment, Formation, Release } from '../model/types.js'
import type { World } from '../model/world.js'

const SERVICE_REF = { id: SERVICE_ID, name: SERVICE }

export function appRef(app: App): { id: string; name: string } {
  return { id: app.id, name: app.name }
}

export function renderApp(world: World, app: App): Record<string, unknown> {
  return {
    id: app.id,
    name: app.name,
    maintenance: app.maintenance,
    space: app.space === null ? null : { id: app.spaceId, name: app.space, shield: false },
    region: { id: 'us-region-id', name: 'us' },
    stack: { id: 'heroku-24-stack-id', name: 'heroku-24' },
    build_stack: { id: 'heroku-24-stack-id', name: 'heroku-24' },
    owner: { id: 'sim-owner-id', email: 'owner@example.com' },
    organization: null,
    team: null,
    internal_routing: null,
    acm: false,
    archived_at: null,
    buildpack_provided_description: 'Node.js',
    git_url: `https://git.heroku.com/${app.name}.git`,
    web_url: `https://${app.name}.herokuapp.com/`,
    released_at: world.clock.iso(app.releases[app.releases.length - 1]?.createdAt ?? app.createdAt),
    created_at: world.clock.iso(app.createdAt),
    updated_at: world.clock.iso(app.updatedAt),
    repo_size: null,
    slug_size: 45000000,
  }
}

export function renderFormation(world: World, app: App, f: Formation): Record<string, unknown> {
  return {
    id: f.id,
    type: f.type,
    quantity: f.quantity,
    size: f.size,
    dyno_size: { id: dynoSizeId(f.size), name: f.size },
    command: f.type === 'web' ? 'npm start' : `npm run ${f.type}`,
    app: appRef(app),
    created_at: world.clock.iso(app.createdAt),
    updated_at: world.clock.iso(f.updatedAt),
  }
}

export function renderRelease(world: World, app: App, r: Release): Record<string, unknown> {
  const current = app.releases[app.releases.length - 1] === r
  return {
    id: r.id,
    version: r.version,
    description: r.description,
    status: r.status,
    current,
    eligible_for_rollback: r.status === 'succeeded',
    app: appRef(app),
    user: { id: 'sim-owner-id', email: 'owner@example.com' },
    addon_plan_names: [],
    slug: null,
    output_stream_url: null,
    created_at: world.clock.iso(r.createdAt),
    updated_at: world.clock.iso(r.updatedAt),
  }
}

export function planRef(addon: Addon): { id: string; name: string } {
  return { id: planId(addon.plan), name: `${SERVICE}:${addon.plan}` }
}

export function renderPlan(plan: PlanFacts): Record<string, unknown> {
  const humanName = planDisplayName(plan.key)
  return {
    id: plan.id,
    name: `${SERVICE}:${plan.key}`,
    human_name: humanName,
    description: `Heroku Postgres ${humanName}`,
    addon_service: SERVICE_REF,
    price: { cents: plan.cents, unit: 'month' },
    state: 'public',
    default: plan.isDefault,
    installable_inside_private_network: plan.insideSpace,
    installable_outside_private_network: !plan.insideSpace,
    compliance: plan.compliance,
  }
}

/** Heroku lists no config vars for an add-on until it is provisioned. */
function exposesConfigVars(addon: Addon): boolean {
  return addon.state !== 'provisioning'
}

export function renderAddon(world: World, addon: Addon): Record<string, unknown> {
  const app = world.store.appOf(addon)
  const cents = priceCents(addon.plan)
  return {
    id: addon.id,
    name: addon.name,
    app: appRef(app),
    addon_service: { ...SERVICE_REF, human_name: 'Heroku Postgres' },
    plan: { ...planRef(addon), price: { cents, unit: 'month', contract: false, metered: false } },
    billed_price: { cents, contract: false, unit: 'month' },
    billing_entity: { id: app.id, name: app.name, type: 'app' },
    config_vars: exposesConfigVars(addon)
      ? world.store
          .attachmentsOfAddon(addon.id)
          .filter((a) => a.appId === addon.appId)
          .map(configVarName)
      : [],
    state: addon.state,
    provider_id: `resource${addon.id.slice(0, 8)}@heroku.com`,
    actions: [],
    web_url: `https://addons-sso.heroku.com/apps/${app.id}/addons/${addon.id}`,
    created_at: world.clock.iso(addon.createdAt),
    updated_at: world.clock.iso(addon.updatedAt),
  }
}

export interface Inclusion {
  plan: boolean
  configVars: boolean
}

export function inclusionFrom(header: string | string[] | undefined): Inclusion {
  const value = (Array.isArray(header) ? header.join(',') : (header ?? '')).toLowerCase()
  const parts = value.split(',').map((p) => p.trim())
  return { plan: parts.includes('addon:plan'), configVars: parts.includes('config_vars') }
}

export function renderAttachment(
  world: World,
  attachment: Attachment,
  inclusion: Inclusion = { plan: false, configVars: false },
): Record<string, unknown> {
  const app = world.store.app(attachment.appId) as App
  const addon = world.store.anyAddon(attachment.addonId) as Addon
  const addonJson: Record<string, unknown> = {
    id: addon.id,
    name: addon.name,
    app: appRef(world.store.appOf(addon)),
  }
  if (inclusion.plan) addonJson.plan = planRef(addon)
  const out: Record<string, unknown> = {
    id: attachment.id,
    name: attachment.name,
    namespace: attachment.namespace,
    app: appRef(app),
    addon: addonJson,
    created_at: world.clock.iso(attachment.createdAt),
    updated_at: world.clock.iso(attachment.updatedAt),
    web_url: `https://addons-sso.heroku.com/apps/${app.id}/addons/${addon.id}`,
    log_input_url: null,
  }
  if (inclusion.configVars) out.config_vars = exposesConfigVars(addon) ? [configVarName(attachment)] : []
  return out
}
