import { create } from 'zustand'
import type { MeTenant } from '@/api/types'

/** The tenant's plan and how much of it is used, as last reported by the API. */
interface PlanState {
  plan: string | null
  subscriptionStatus: string | null
  endpointLimit: number | null
  endpointCount: number
  /** Set when the API refused a new endpoint with 403 plan_limit_reached. */
  limitReached: boolean
  setFromTenant: (tenant: MeTenant) => void
  setEndpointCount: (count: number) => void
  markLimitReached: () => void
  clearLimitReached: () => void
  reset: () => void
}

const initial = {
  plan: null,
  subscriptionStatus: null,
  endpointLimit: null,
  endpointCount: 0,
  limitReached: false,
}

export const usePlan = create<PlanState>()((set, get) => ({
  ...initial,
  setFromTenant: (tenant) =>
    set({
      plan: tenant.plan,
      subscriptionStatus: tenant.subscription_status,
      endpointLimit: tenant.endpoint_limit,
      endpointCount: tenant.endpoint_count,
      // A refusal under the old plan says nothing about the new one (an upgrade to Pro).
      limitReached: get().limitReached && tenant.plan === get().plan && !isUnlimited(tenant.endpoint_limit),
    }),
  setEndpointCount: (count) => set({ endpointCount: count }),
  markLimitReached: () => set({ limitReached: true }),
  clearLimitReached: () => set({ limitReached: false }),
  reset: () => set(initial),
}))

export function isUnlimited(limit: number | null | undefined): boolean {
  return limit === null || limit === undefined || limit < 0
}

export function selectAtLimit(state: Pick<PlanState, 'endpointLimit' | 'endpointCount' | 'limitReached'>): boolean {
  if (state.limitReached) return true
  if (isUnlimited(state.endpointLimit)) return false
  return state.endpointCount >= (state.endpointLimit as number)
}

/** How many endpoints are over the limit (after a downgrade the backend pauses them). */
export function overLimitBy(limit: number | null, count: number): number {
  if (isUnlimited(limit)) return 0
  return Math.max(0, count - (limit as number))
}

export function planName(plan: string | null | undefined): string {
  if (!plan) return ''
  return plan.charAt(0).toUpperCase() + plan.slice(1)
}
