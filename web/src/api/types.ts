// Shapes of the gateway's REST contract (shared/spec/api.md).

export interface ApiErrorBody {
  detail?: string
  code?: string
  errors?: Record<string, string[] | string>
}

export interface TenantRef {
  id: string
  name: string
  schema: string
}

export type Role = 'owner' | 'admin' | 'member'

export interface User {
  id: string
  email: string
  role: Role
  email_verified?: boolean
}

export interface TokenPair {
  access: string
  refresh: string
}

export interface LoginSuccess extends TokenPair {
  user: User
  tenant: TenantRef
}

export interface LoginMultipleTenants {
  multiple_tenants: true
  tenants: TenantRef[]
  message: string
}

export type LoginResponse = LoginSuccess | LoginMultipleTenants

export interface RegisterResponse {
  tenant: TenantRef
  user: User
}

export interface MeTenant extends TenantRef {
  plan: string
  subscription_status: string
  account_status: string
  /** null or a negative number means unlimited. */
  endpoint_limit: number | null
  endpoint_count: number
}

export interface Me {
  user: User
  tenant: MeTenant
}

export type EndpointStatus = 'pending' | 'up' | 'down' | 'paused'

export interface Endpoint {
  id: string
  name: string
  url: string
  method: string
  interval_seconds: number
  timeout_ms: number
  expected_status: number | null
  keyword: string | null
  status: EndpointStatus
  last_checked_at: string | null
  last_latency_ms: number | null
  last_status_code: number | null
  last_error: string | null
  /** Percentage 0–100, null before the first check. */
  uptime_24h: number | null
  created_at: string
  /** Seconds between re-checks after a failure, until failure_threshold marks it down. */
  retry_interval_seconds?: number
  failure_threshold?: number
  success_threshold?: number
  /** Paused by the user (or by a downgrade); status is then "paused". */
  paused?: boolean
  /** When the HTTPS certificate expires, once a check has seen it. */
  tls_expires_at?: string | null
}

export interface Paginated<T> {
  count: number
  next: string | null
  previous: string | null
  results: T[]
}

export interface CheckResult {
  checked_at: string
  ok: boolean
  status_code: number | null
  latency_ms: number | null
  dns_ms: number | null
  connect_ms: number | null
  tls_ms: number | null
  ttfb_ms: number | null
  error: string | null
}

export interface UptimeSummary {
  uptime_24h: number | null
  uptime_7d: number | null
  uptime_30d: number | null
  latency_p50_ms: number | null
  latency_p95_ms: number | null
}

export interface BillingPlan {
  id: string
  name: string
  price_cents: number
  currency: string
  interval: string
  endpoint_limit: number | null
  min_interval_seconds: number
  retention_days: number
}
