import { isDate } from '@/lib/dates'

/** The audit log's filters and page as the URL keeps them (/audit-log?action=…&from=2026-03-01). */
export interface AuditSearch {
  page?: number
  actor?: string
  action?: string
  target_type?: string
  target_id?: string
  /** Days (YYYY-MM-DD) in the browser's time zone; sent as ISO-8601 UTC times. */
  from?: string
  to?: string
}

export const AUDIT_TEXT_FILTERS = ['actor', 'action', 'target_type', 'target_id'] as const
export type AuditTextFilter = (typeof AUDIT_TEXT_FILTERS)[number]

function text(value: unknown): string | undefined {
  if (typeof value === 'number') value = String(value)
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  return trimmed && trimmed.length <= 200 ? trimmed : undefined
}

function positiveInt(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10)
  return Number.isInteger(number) && number > 0 ? number : undefined
}

export function validateAuditSearch(search: Record<string, unknown>): AuditSearch {
  return {
    page: positiveInt(search.page),
    actor: text(search.actor),
    action: text(search.action),
    target_type: text(search.target_type),
    target_id: text(search.target_id),
    from: isDate(search.from) ? search.from : undefined,
    to: isDate(search.to) ? search.to : undefined,
  }
}
