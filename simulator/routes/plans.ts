import { notFound } from '../model/errors.js'
import { findPlan, PLANS, SERVICE, SERVICE_ID } from '../model/plans.js'
import { renderPlan } from '../http/render.js'
import { json, type Router } from '../http/router.js'

function requireService(service: string): void {
  if (service !== SERVICE && service !== SERVICE_ID) {
    throw notFound("Couldn't find that add-on service.", 'addon_service')
  }
}

export function registerPlanRoutes(router: Router): void {
  router.on('GET', '/addon-services/:service/plans', ({ params }) => {
    requireService(params.service as string)
    return json(200, PLANS.map(renderPlan))
  })

  router.on('GET', '/addon-services/:service/plans/:plan', ({ params }) => {
    requireService(params.service as string)
    const plan = findPlan(params.plan as string)
    if (!plan) throw notFound("Couldn't find that add-on plan.", 'addon_plan')
    return json(200, renderPlan(plan))
  })
}
