import type { Endpoint } from '@/api/types'

/** The endpoint's name, or its host name when it has none. */
export function displayName(endpoint: Pick<Endpoint, 'name' | 'url'>): string {
  if (endpoint.name) return endpoint.name
  try {
    return new URL(endpoint.url).hostname || endpoint.url
  } catch {
    return endpoint.url
  }
}
