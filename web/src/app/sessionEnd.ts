import type { QueryClient } from '@tanstack/react-query'
import { usePlan } from '@/stores/plan'

/** Forgets everything cached for the previous user, so the next one starts clean. */
export function resetClientState(queryClient: QueryClient): void {
  queryClient.clear()
  usePlan.getState().reset()
}
