import { useCallback } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { deleteEndpoint } from '@/api/endpoints'
import { queryKeys } from '@/api/queryKeys'
import { usePlan } from '@/stores/plan'

/** Deletes an endpoint and refreshes what depends on it (the list, the plan usage). */
export function useDeleteEndpoint() {
  const queryClient = useQueryClient()
  const clearLimitReached = usePlan((s) => s.clearLimitReached)
  return useCallback(
    async (id: string, leave?: () => Promise<unknown>) => {
      await deleteEndpoint(id)
      clearLimitReached()
      // Leave the endpoint's page first, so nothing still watching it asks for it again.
      if (leave) await leave()
      queryClient.removeQueries({ queryKey: queryKeys.endpoint(id) })
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.endpoints }),
        queryClient.invalidateQueries({ queryKey: queryKeys.me }),
      ])
    },
    [queryClient, clearLimitReached],
  )
}
