import { queryOptions, useQuery } from '@tanstack/react-query'
import { queryKeys } from '@/api/queryKeys'
import { listRegions } from '@/api/regions'

/**
 * The checker regions of GET /api/regions/, for the endpoint forms' hint. Not retried: a
 * backend without the route (404) or an error leaves the forms as free text, quietly. A
 * region's `live` changes within a minute, so the list is read again after that long.
 */
export const regionsQuery = queryOptions({
  queryKey: queryKeys.regions,
  queryFn: listRegions,
  retry: false,
  staleTime: 60_000,
})

/** `enabled`: only where a Regions field shows (not for a heartbeat, nor a backend without regions). */
export function useRegions(enabled = true) {
  return useQuery({ ...regionsQuery, enabled })
}
