import { api } from './client'
import type { Alert, AlertType, Paginated, ReadAllResult } from './types'

export interface AlertFilters {
  page: number
  pageSize: number
  /** Only the alerts the calling user has not read. */
  unread?: boolean
  type?: AlertType | null
}

const alertPath = (id: string) => `/api/alerts/${encodeURIComponent(id)}/`

/** A page of the organisation's alerts, newest first. */
export async function listAlerts({ page, pageSize, unread, type }: AlertFilters): Promise<Paginated<Alert>> {
  const { data } = await api.get<Paginated<Alert>>('/api/alerts/', {
    params: {
      page,
      page_size: pageSize,
      ...(unread ? { unread: 1 } : {}),
      ...(type ? { type } : {}),
    },
  })
  return data
}

/** Marks one alert read for the calling user (read state is per user). */
export async function markAlertRead(id: string): Promise<Alert> {
  const { data } = await api.post<Alert>(`${alertPath(id)}read/`)
  return data
}

export async function markAllAlertsRead(): Promise<ReadAllResult> {
  const { data } = await api.post<ReadAllResult>('/api/alerts/read-all/')
  return data
}

/** Resolves an alert for the whole organisation. */
export async function resolveAlert(id: string): Promise<Alert> {
  const { data } = await api.post<Alert>(`${alertPath(id)}resolve/`)
  return data
}
