import { api } from './client'
import type { BillingPlan, Paginated } from './types'

export async function listPlans(): Promise<BillingPlan[]> {
  const { data } = await api.get<BillingPlan[] | Paginated<BillingPlan>>('/api/billing/plans/')
  if (Array.isArray(data)) return data
  if (data && Array.isArray(data.results)) return data.results
  throw new Error('Unexpected plans reply')
}
