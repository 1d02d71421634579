import axios, { isAxiosError } from 'axios'
import { hasStaffSession, useStaffSession } from '@/stores/staffSession'
import type {
  BankTransferConfirmed,
  BankTransferInput,
  ChurnReport,
  Paginated,
  RevenueReport,
  StaffTenant,
  StaffToken,
  UsageReport,
} from './types'

/**
 * The staff console's own HTTP client. It sends the staff token (never the tenant one) and
 * has no refresh: a 401 ends the staff session, and the console goes back to /staff/login.
 */
export const STAFF_TOKEN_PATH = '/api/staff/token/'

export const staffApi = axios.create({ baseURL: '', timeout: 20_000, headers: { Accept: 'application/json' } })

/** Raised, without any network traffic, for a staff call made with no (or an expired) staff token. */
export class NoStaffSessionError extends Error {
  constructor() {
    super('Not signed in to the staff console')
    this.name = 'NoStaffSessionError'
  }
}

const isTokenCall = (url: string | undefined) => (url ?? '').split('?')[0].replace(/\/?$/, '/') === STAFF_TOKEN_PATH

staffApi.interceptors.request.use((config) => {
  if (isTokenCall(config.url)) return config
  if (!hasStaffSession()) {
    useStaffSession.getState().clear()
    throw new NoStaffSessionError()
  }
  config.headers.set('Authorization', `Bearer ${useStaffSession.getState().access}`)
  return config
})

staffApi.interceptors.response.use(undefined, (error: unknown) => {
  if (isAxiosError(error) && error.response?.status === 401 && !isTokenCall(error.config?.url)) {
    useStaffSession.getState().clear()
  }
  throw error
})

export interface StaffLoginInput {
  email: string
  password: string
  /** The TOTP code, once the staff account has two-factor set up. */
  code?: string
}

export async function staffLogin(input: StaffLoginInput): Promise<StaffToken> {
  const { data } = await staffApi.post<StaffToken>(STAFF_TOKEN_PATH, input)
  return data
}

export interface StaffTenantFilters {
  q?: string
  status?: string
  plan?: string
}

export async function listStaffTenants(page: number, pageSize: number, filters: StaffTenantFilters): Promise<Paginated<StaffTenant>> {
  const params: Record<string, string | number> = { page, page_size: pageSize }
  for (const [name, value] of Object.entries(filters)) {
    if (typeof value === 'string' && value.trim()) params[name] = value.trim()
  }
  const { data } = await staffApi.get<Paginated<StaffTenant>>('/api/staff/tenants/', { params })
  return data
}

const tenantPath = (id: string) => `/api/staff/tenants/${encodeURIComponent(id)}/`

/** Takes effect on the tenant's next request: every route but /me, logout, refresh and billing answers 403. */
export async function suspendTenant(id: string, reason: string): Promise<StaffTenant> {
  const { data } = await staffApi.post<StaffTenant>(`${tenantPath(id)}suspend/`, { reason })
  return data
}

export async function reactivateTenant(id: string): Promise<StaffTenant> {
  const { data } = await staffApi.post<StaffTenant>(`${tenantPath(id)}reactivate/`, {})
  return data
}

/** Idempotent by external_payment_id: the same data again is 200 and changes nothing; other data is 409 payment_conflict. */
export async function confirmBankTransfer(input: BankTransferInput): Promise<BankTransferConfirmed> {
  const { data } = await staffApi.post<BankTransferConfirmed>('/api/staff/billing/confirm-bank-transfer/', input)
  return data
}

/** A month range (YYYY-MM); the server's default, the last 12 months, when left out. */
export interface MonthRange {
  from?: string
  to?: string
}

function rangeParams({ from, to }: MonthRange): Record<string, string> {
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) }
}

export async function getRevenueReport(range: MonthRange): Promise<RevenueReport> {
  const { data } = await staffApi.get<RevenueReport>('/api/staff/reports/revenue/', { params: rangeParams(range) })
  return data
}

export async function getUsageReport(): Promise<UsageReport> {
  const { data } = await staffApi.get<UsageReport>('/api/staff/reports/usage/')
  return data
}

export async function getChurnReport(range: MonthRange): Promise<ChurnReport> {
  const { data } = await staffApi.get<ChurnReport>('/api/staff/reports/churn/', { params: rangeParams(range) })
  return data
}
