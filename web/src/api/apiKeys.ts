import { api } from './client'
import type { ApiKey, ApiKeyScope, CreatedApiKey, Paginated } from './types'

const API_KEYS_PATH = '/api/api-keys/'

export interface ApiKeyInput {
  name: string
  scope: ApiKeyScope
  /** ISO-8601 UTC; left out for a key that never expires. */
  expires_at?: string
}

export async function listApiKeys(page: number, pageSize: number): Promise<Paginated<ApiKey>> {
  const { data } = await api.get<Paginated<ApiKey>>(API_KEYS_PATH, { params: { page, page_size: pageSize } })
  return data
}

/** The answer carries the whole key: the only time it is ever sent. */
export async function createApiKey(input: ApiKeyInput): Promise<CreatedApiKey> {
  const { data } = await api.post<CreatedApiKey>(API_KEYS_PATH, input)
  return data
}

/** The key stops working at once. */
export async function revokeApiKey(id: string): Promise<void> {
  await api.delete(`${API_KEYS_PATH}${encodeURIComponent(id)}/`)
}
