import { useQuery } from '@tanstack/react-query'
import { fetchMe } from '@/api/auth'
import { queryKeys } from '@/api/queryKeys'

/** How often the header asks /me for the unread count, so new alerts show without a reload. */
export const UNREAD_POLL_MS = 60_000

/**
 * The calling user's unread alerts, from /api/auth/me/ (`unread_alerts`); undefined while
 * loading or when the backend does not report it. Shares the /me query with useMe.
 */
export function useUnreadAlerts(): number | undefined {
  const query = useQuery({
    queryKey: queryKeys.me,
    queryFn: fetchMe,
    staleTime: 30_000,
    refetchInterval: UNREAD_POLL_MS,
    select: (me) => (typeof me.unread_alerts === 'number' && me.unread_alerts >= 0 ? me.unread_alerts : undefined),
  })
  return query.data
}
