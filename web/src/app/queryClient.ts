import { QueryClient } from '@tanstack/react-query'
import { isAxiosError } from 'axios'

/** Retries network hiccups and 5xx answers, never a 4xx: those will not change. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isAxiosError(error)) {
    const status = error.response?.status
    if (status !== undefined && status < 500 && status !== 429) return false
  }
  return failureCount < 2
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 5_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  })
}
