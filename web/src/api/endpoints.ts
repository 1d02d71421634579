import { api } from './client'
import type { CheckResult, DnsRecordType, Endpoint, EndpointKind, Paginated, UptimeSummary } from './types'

export interface EndpointInput {
  /** Absent for a heartbeat. */
  url?: string
  kind?: EndpointKind
  record_type?: DnsRecordType
  expected_value?: string | null
  grace_seconds?: number
  name?: string
  interval_seconds?: number
  method?: string
  timeout_ms?: number
  expected_status?: number | null
  keyword?: string | null
  /** null: every region with a live checker. */
  regions?: string[] | null
  /** null: a majority of the active regions. */
  min_failing_regions?: number | null
}

export type EndpointPatch = Partial<EndpointInput> & { paused?: boolean }

export async function listEndpoints(page: number, pageSize: number): Promise<Paginated<Endpoint>> {
  const { data } = await api.get<Paginated<Endpoint>>('/api/endpoints/', {
    params: { page, page_size: pageSize },
  })
  return data
}

export async function getEndpoint(id: string): Promise<Endpoint> {
  const { data } = await api.get<Endpoint>(`/api/endpoints/${encodeURIComponent(id)}/`)
  return data
}

export async function createEndpoint(input: EndpointInput): Promise<Endpoint> {
  const { data } = await api.post<Endpoint>('/api/endpoints/', input)
  return data
}

export async function updateEndpoint(id: string, patch: EndpointPatch): Promise<Endpoint> {
  const { data } = await api.patch<Endpoint>(`/api/endpoints/${encodeURIComponent(id)}/`, patch)
  return data
}

export async function deleteEndpoint(id: string): Promise<void> {
  await api.delete(`/api/endpoints/${encodeURIComponent(id)}/`)
}

export async function listChecks(id: string, limit = 100): Promise<CheckResult[]> {
  const { data } = await api.get<CheckResult[] | Paginated<CheckResult>>(
    `/api/endpoints/${encodeURIComponent(id)}/checks/`,
    { params: { limit } },
  )
  // The contract answers a plain array; accept a page too, should it ever be paginated.
  return Array.isArray(data) ? data : data.results
}

export async function getUptime(id: string): Promise<UptimeSummary> {
  const { data } = await api.get<UptimeSummary>(`/api/endpoints/${encodeURIComponent(id)}/uptime/`)
  return data
}
