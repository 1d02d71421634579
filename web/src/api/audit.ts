import { api } from './client'
import type { AuditEntry, Paginated } from './types'

/** The filters of GET /api/audit-log/, as the query sends them (empty ones are left out). */
export interface AuditFilters {
  actor?: string
  action?: string
  target_type?: string
  target_id?: string
  /** ISO-8601 UTC times. */
  from?: string
  to?: string
}

export async function listAuditLog(page: number, pageSize: number, filters: AuditFilters): Promise<Paginated<AuditEntry>> {
  const params: Record<string, string | number> = { page, page_size: pageSize }
  for (const [name, value] of Object.entries(filters)) {
    if (typeof value === 'string' && value.trim()) params[name] = value.trim()
  }
  const { data } = await api.get<Paginated<AuditEntry>>('/api/audit-log/', { params })
  return data
}
