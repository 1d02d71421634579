import type { BillingPlan } from '@/api/types'
import { formatInterval } from '@/lib/format'
import { isUnlimited } from '@/stores/plan'

/*
 * What a plan allows comes from GET /api/billing/plans/ only: the app keeps no copy of
 * the limits or prices. Every helper here answers `undefined` (or text without the
 * numbers) while the plans are unknown, and the callers then leave the checking to
 * the server.
 */

/** The plan ids of the REST contract (`id: "free"|"pro"`). */
export const FREE_PLAN_ID = 'free'
export const UPGRADE_PLAN_ID = 'pro'

export function findPlan(plans: readonly BillingPlan[] | undefined, id: string | null | undefined): BillingPlan | undefined {
  if (!plans || !id) return undefined
  return plans.find((plan) => plan.id === id)
}

/** The shortest check interval the plan allows, or undefined while that is not known. */
export function minIntervalFor(plans: readonly BillingPlan[] | undefined, planId: string | null | undefined): number | undefined {
  const seconds = findPlan(plans, planId)?.min_interval_seconds
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined
}

/** "unlimited endpoints" / "up to 3 endpoints". */
export function endpointAllowance(limit: number | null | undefined): string {
  return isUnlimited(limit) ? 'unlimited endpoints' : `up to ${limit} endpoint${limit === 1 ? '' : 's'}`
}

/** What a plan gives, for a sentence: "unlimited endpoints, checks every 30 s and 90 days of check history". */
export function planPerks(plan: BillingPlan): string {
  const parts = [endpointAllowance(plan.endpoint_limit)]
  if (plan.min_interval_seconds > 0) parts.push(`checks every ${formatInterval(plan.min_interval_seconds)}`)
  if (plan.retention_days > 0) parts.push(`${plan.retention_days} days of check history`)
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0]
}

export function capitalize(text: string): string {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text
}
