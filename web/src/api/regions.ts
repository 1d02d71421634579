import { api } from './client'
import type { CheckerRegions } from './types'

/** The checker regions an endpoint may name (any signed-in user); 404 from a backend without them. */
export async function listRegions(): Promise<CheckerRegions> {
  const { data } = await api.get<CheckerRegions>('/api/regions/')
  return data
}
