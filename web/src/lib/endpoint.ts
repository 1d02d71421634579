import type { Endpoint } from '@/api/types'

/** The endpoint's name, or its host name when it has none (a heartbeat has no URL). */
export function displayName(endpoint: Pick<Endpoint, 'name' | 'url'>): string {
  if (endpoint.name) return endpoint.name
  if (!endpoint.url) return 'Heartbeat'
  try {
    return new URL(endpoint.url).hostname || endpoint.url
  } catch {
    return endpoint.url
  }
}

/** Paused by the user or by a downgrade (older replies only say so through the status). */
export function isPaused(endpoint: Pick<Endpoint, 'status' | 'paused'>): boolean {
  return endpoint.paused ?? endpoint.status === 'paused'
}

/** Poll faster while a check is imminent (a new or resumed endpoint), slower otherwise. */
export function pollInterval(endpoints: Pick<Endpoint, 'status'>[] | undefined): number {
  return endpoints?.some((endpoint) => endpoint.status === 'pending') ? 2_000 : 10_000
}
