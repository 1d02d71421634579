import { describe, expect, it } from 'vitest'
import { overLimitBy, selectAtLimit, usePlan } from './plan'
import { meReply } from '@/test/renderApp'

describe('plan store', () => {
  it('forgets a limit refusal once the plan changes', () => {
    usePlan.getState().setFromTenant(meReply({ endpoint_count: 1 }).tenant)
    usePlan.getState().markLimitReached()
    usePlan.getState().setFromTenant(meReply({ endpoint_count: 1 }).tenant)
    expect(selectAtLimit(usePlan.getState())).toBe(true)

    usePlan.getState().setFromTenant(meReply({ plan: 'pro', endpoint_limit: -1, endpoint_count: 1 }).tenant)
    expect(usePlan.getState().limitReached).toBe(false)
    expect(selectAtLimit(usePlan.getState())).toBe(false)
  })

  it('counts endpoints over a finite limit', () => {
    expect(overLimitBy(3, 5)).toBe(2)
    expect(overLimitBy(3, 2)).toBe(0)
    expect(overLimitBy(-1, 50)).toBe(0)
    expect(overLimitBy(null, 50)).toBe(0)
  })
})
