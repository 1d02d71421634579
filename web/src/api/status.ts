import { api } from './client'
import type {
  Incident,
  IncidentImpact,
  IncidentStatus,
  Maintenance,
  Paginated,
  PublicStatus,
  StatusPage,
  Subscriber,
} from './types'

const STATUS_PAGES_PATH = '/api/status-pages/'
const INCIDENTS_PATH = '/api/incidents/'
const MAINTENANCES_PATH = '/api/maintenances/'
/** The public routes need no login (api/client.ts sends them without a token). */
export const PUBLIC_PATH_PREFIX = '/api/public/'

const one = (base: string, id: string) => `${base}${encodeURIComponent(id)}/`

export interface StatusPageInput {
  slug: string
  title: string
  description: string | null
  endpoint_ids: string[]
  public: boolean
}

export interface IncidentInput {
  title: string
  status: IncidentStatus
  message: string
  endpoint_ids: string[]
  impact: IncidentImpact
}

export interface IncidentUpdateInput {
  status: IncidentStatus
  message: string
}

export interface MaintenanceInput {
  title: string
  /** ISO-8601 UTC. */
  starts_at: string
  ends_at: string
  endpoint_ids: string[]
}

export async function listStatusPages(page: number, pageSize: number): Promise<Paginated<StatusPage>> {
  const { data } = await api.get<Paginated<StatusPage>>(STATUS_PAGES_PATH, { params: { page, page_size: pageSize } })
  return data
}

/** 409 duplicate_slug: slugs are global, across every organisation. */
export async function createStatusPage(input: StatusPageInput): Promise<StatusPage> {
  const { data } = await api.post<StatusPage>(STATUS_PAGES_PATH, input)
  return data
}

export async function updateStatusPage(id: string, patch: Partial<StatusPageInput>): Promise<StatusPage> {
  const { data } = await api.patch<StatusPage>(one(STATUS_PAGES_PATH, id), patch)
  return data
}

export async function deleteStatusPage(id: string): Promise<void> {
  await api.delete(one(STATUS_PAGES_PATH, id))
}

/** Owners and admins only. */
export async function listSubscribers(id: string, page: number, pageSize: number): Promise<Paginated<Subscriber>> {
  const { data } = await api.get<Paginated<Subscriber>>(`${one(STATUS_PAGES_PATH, id)}subscribers/`, {
    params: { page, page_size: pageSize },
  })
  return data
}

export async function listIncidents(page: number, pageSize: number): Promise<Paginated<Incident>> {
  const { data } = await api.get<Paginated<Incident>>(INCIDENTS_PATH, { params: { page, page_size: pageSize } })
  return data
}

export async function getIncident(id: string): Promise<Incident> {
  const { data } = await api.get<Incident>(one(INCIDENTS_PATH, id))
  return data
}

export async function createIncident(input: IncidentInput): Promise<Incident> {
  const { data } = await api.post<Incident>(INCIDENTS_PATH, input)
  return data
}

export async function updateIncident(id: string, patch: Partial<Pick<IncidentInput, 'title' | 'impact' | 'endpoint_ids'>>): Promise<Incident> {
  const { data } = await api.patch<Incident>(one(INCIDENTS_PATH, id), patch)
  return data
}

/** An update with status "resolved" resolves the incident. */
export async function addIncidentUpdate(id: string, input: IncidentUpdateInput): Promise<Incident> {
  const { data } = await api.post<Incident>(`${one(INCIDENTS_PATH, id)}updates/`, input)
  return data
}

export async function listMaintenances(page: number, pageSize: number): Promise<Paginated<Maintenance>> {
  const { data } = await api.get<Paginated<Maintenance>>(MAINTENANCES_PATH, { params: { page, page_size: pageSize } })
  return data
}

/** 400 unless ends_at is after starts_at and at most 7 days later. */
export async function createMaintenance(input: MaintenanceInput): Promise<Maintenance> {
  const { data } = await api.post<Maintenance>(MAINTENANCES_PATH, input)
  return data
}

export async function updateMaintenance(id: string, patch: Partial<MaintenanceInput>): Promise<Maintenance> {
  const { data } = await api.patch<Maintenance>(one(MAINTENANCES_PATH, id), patch)
  return data
}

/** Cancels the window. */
export async function deleteMaintenance(id: string): Promise<void> {
  await api.delete(one(MAINTENANCES_PATH, id))
}

/** No login; 404 for an unknown slug and for a page that is not public alike. */
export async function getPublicStatus(slug: string): Promise<PublicStatus> {
  const { data } = await api.get<PublicStatus>(`${PUBLIC_PATH_PREFIX}status/${encodeURIComponent(slug)}/`)
  return data
}

/** 202: a confirmation e-mail is on its way (double opt-in); 429 after 3 an hour per address. */
export async function subscribe(slug: string, email: string): Promise<void> {
  await api.post(`${PUBLIC_PATH_PREFIX}status/${encodeURIComponent(slug)}/subscribe/`, { email })
}

export async function confirmSubscription(token: string): Promise<void> {
  await api.post(`${PUBLIC_PATH_PREFIX}subscriptions/confirm/`, { token })
}

export async function unsubscribe(token: string): Promise<void> {
  await api.post(`${PUBLIC_PATH_PREFIX}subscriptions/unsubscribe/`, { token })
}
