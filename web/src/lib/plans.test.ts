import { describe, expect, it } from 'vitest'
import { capitalize, endpointAllowance, findPlan, minIntervalFor, planPerks } from './plans'
import { plans } from '@/test/billing'
import type { BillingPlan } from '@/api/types'

const custom: BillingPlan[] = [
  { ...plans[0], min_interval_seconds: 120, endpoint_limit: 5 },
  { ...plans[1], name: 'Business', min_interval_seconds: 15, endpoint_limit: 250, retention_days: 45 },
]

describe('plan helpers', () => {
  it("reads the plan's shortest interval from the plans API", () => {
    expect(minIntervalFor(plans, 'free')).toBe(60)
    expect(minIntervalFor(plans, 'pro')).toBe(30)
    expect(minIntervalFor(custom, 'free')).toBe(120)
    expect(minIntervalFor(custom, 'pro')).toBe(15)
  })

  it('knows no minimum while the plans or the tenant plan are unknown', () => {
    expect(minIntervalFor(undefined, 'free')).toBeUndefined()
    expect(minIntervalFor(plans, null)).toBeUndefined()
    expect(minIntervalFor(plans, 'enterprise')).toBeUndefined()
    expect(minIntervalFor([{ ...plans[0], min_interval_seconds: 0 }], 'free')).toBeUndefined()
  })

  it('describes what a plan gives from its own figures', () => {
    expect(planPerks(plans[1])).toBe('unlimited endpoints, checks every 30 s and 90 days of check history')
    expect(planPerks(custom[1])).toBe('up to 250 endpoints, checks every 15 s and 45 days of check history')
    expect(planPerks({ ...plans[0], min_interval_seconds: 0, retention_days: 0 })).toBe('up to 3 endpoints')
    expect(endpointAllowance(1)).toBe('up to 1 endpoint')
    expect(endpointAllowance(null)).toBe('unlimited endpoints')
    expect(capitalize('unlimited endpoints')).toBe('Unlimited endpoints')
    expect(findPlan(custom, 'pro')?.name).toBe('Business')
    expect(findPlan(undefined, 'pro')).toBeUndefined()
  })
})
