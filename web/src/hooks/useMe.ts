import { useEffect } from 'react'
import { useQuery } from '@tanstack/react-query'
import { fetchMe } from '@/api/auth'
import { queryKeys } from '@/api/queryKeys'
import { usePlan } from '@/stores/plan'

/** The signed-in user and tenant; keeps the plan store in step with the API. */
export function useMe() {
  const query = useQuery({ queryKey: queryKeys.me, queryFn: fetchMe, staleTime: 30_000 })
  const setFromTenant = usePlan((s) => s.setFromTenant)
  useEffect(() => {
    if (query.data) setFromTenant(query.data.tenant)
  }, [query.data, setFromTenant])
  return query
}
