import { queryOptions, useQuery } from '@tanstack/react-query'
import { listPlans } from '@/api/billing'
import { queryKeys } from '@/api/queryKeys'
import { findPlan, minIntervalFor, UPGRADE_PLAN_ID } from '@/lib/plans'
import { usePlan } from '@/stores/plan'

/**
 * The plans of GET /api/billing/plans/ (public, no sign-in needed), fetched once and
 * shared by every page: the Billing page's cards, the interval rules of the endpoint
 * forms, the upgrade prompt. Not retried: a billing service that is down or not
 * deployed (503/404) is shown at once, and the forms then let the server validate.
 */
export const plansQuery = queryOptions({
  queryKey: queryKeys.plans,
  queryFn: listPlans,
  retry: false,
  staleTime: Infinity,
})

export function usePlans() {
  return useQuery(plansQuery)
}

/** The tenant's shortest allowed check interval, or undefined while it is not known. */
export function useMinInterval(): number | undefined {
  const { data } = usePlans()
  const plan = usePlan((s) => s.plan)
  return minIntervalFor(data, plan)
}

/** The plan an upgrade leads to, once the plans are known. */
export function useUpgradePlan() {
  const { data } = usePlans()
  return findPlan(data, UPGRADE_PLAN_ID)
}
