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
  /** Sent by /me once the backend has two-factor sign-in; absent means unknown. */
  two_factor_enabled?: boolean
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

/** The password was right and the user has two-factor on: a code is needed next (POST /api/auth/token/2fa/). */
export interface LoginTwoFactorRequired {
  two_factor_required: true
  /** Lives 5 minutes; spent by a right code, or by 5 wrong ones. */
  challenge: string
}

export type LoginResponse = LoginSuccess | LoginMultipleTenants | LoginTwoFactorRequired

export interface EmailVerified {
  email_verified: true
}

/** The answer to POST /api/auth/2fa/setup/ (RFC 6238: SHA-1, 6 digits, 30 s). */
export interface TwoFactorSetup {
  secret: string
  otpauth_url: string
}

/** The answer to POST /api/auth/2fa/confirm/: ten single-use codes, sent this once. */
export interface TwoFactorEnabled {
  recovery_codes: string[]
}

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
  /** Alerts the calling user has not read yet; absent from a backend without alerts. */
  unread_alerts?: number
}

export type EndpointStatus = 'pending' | 'up' | 'down' | 'paused'

/** api.md "More kinds of monitor"; older replies have no kind and are http. */
export type EndpointKind = 'http' | 'tcp' | 'dns' | 'heartbeat'
export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT'

export interface Endpoint {
  id: string
  name: string
  /** http(s)://…, tcp://host:port or dns://name; null for a heartbeat. */
  url: string | null
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
  /** Paused by sw-monitors because the tenant is over its plan's endpoint limit (after a downgrade). */
  paused_by_plan?: boolean
  /** When the HTTPS certificate expires, once a check has seen it. */
  tls_expires_at?: string | null
  kind?: EndpointKind
  /** DNS: the record type checked. */
  record_type?: DnsRecordType | null
  /** DNS: the value one of the records must have; null for any answer. */
  expected_value?: string | null
  /** Heartbeat: how long after the interval a ping may still come. */
  grace_seconds?: number | null
  /** Heartbeat: GET or POST it when the job ran (…/fail/ when it failed). */
  ping_url?: string | null
  /**
   * Regions and quorum (api.md): the regions it is checked from; null for every region with
   * a live checker. Absent from a backend without regions.
   */
  regions?: string[] | null
  /** How many regions must fail for `down`; null for a majority of the active regions. */
  min_failing_regions?: number | null
  /** One per active region, sorted by name; [] for a heartbeat. */
  region_results?: RegionResult[]
  quorum?: Quorum
}

export type RegionStatus = 'pending' | 'up' | 'down'

/** The endpoint as seen from one region: that region's own checks against the endpoint's thresholds. */
export interface RegionResult {
  region: string
  status: RegionStatus
  last_checked_at: string | null
  last_latency_ms: number | null
  last_status_code: number | null
  last_error: string | null
}

/** n active regions, q failing ones needed for `down`, k failing now; below_quorum = k > 0 && k < q. */
export interface Quorum {
  regions: number
  required: number
  failing: number
  below_quorum: boolean
}

/** One region of GET /api/regions/: live = one of its checkers leased in the last 60 s. */
export interface CheckerRegion {
  name: string
  live: boolean
  last_seen_at: string
}

/** GET /api/regions/: the regions an endpoint may name, by name; an hour without a checker drops one. */
export interface CheckerRegions {
  regions: CheckerRegion[]
  max_per_endpoint: number
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
  /** The checker's region (SW_CHECKER_REGION); absent from a backend without regions. */
  region?: string
}

export interface UptimeSummary {
  uptime_24h: number | null
  uptime_7d: number | null
  uptime_30d: number | null
  latency_p50_ms: number | null
  latency_p95_ms: number | null
}

export type PlanId = 'free' | 'pro'

export interface BillingPlan {
  id: PlanId | string
  name: string
  price_cents: number
  currency: string
  interval: string
  /** -1 (or null) means unlimited. */
  endpoint_limit: number | null
  min_interval_seconds: number
  retention_days: number
}

/** Stripe's subscription statuses, plus `free` for a tenant that never subscribed. */
export type SubscriptionStatus =
  | 'free'
  | 'trialing'
  | 'active'
  | 'past_due'
  | 'canceled'
  | 'unpaid'
  | 'incomplete'
  | 'incomplete_expired'
  | 'paused'

export interface Subscription {
  plan: PlanId | string
  status: SubscriptionStatus | string
  /** ISO time, or null (the backend may also send "" for none). */
  current_period_end: string | null
  cancel_at_period_end: boolean
  /** False when the installation has no Stripe key: checkout and portal answer 503. */
  stripe_configured: boolean
  /** An sk_test_ key: payments go to Stripe's test environment. */
  test_mode: boolean
}

export interface CheckoutSession {
  url: string
  session_id: string
}

export interface PortalSession {
  url: string
}

export interface Invoice {
  id: string
  number: string | null
  status: string
  /** Amounts in the currency's minor unit (cents). */
  amount_due: number
  amount_paid: number
  currency: string
  period_start: string | null
  period_end: string | null
  hosted_invoice_url: string | null
  invoice_pdf: string | null
  created_at: string | null
}

export const ALERT_TYPES = [
  'endpoint_down',
  'endpoint_up',
  'certificate_expiring',
  'payment_failed',
  'subscription_canceled',
  'plan_limit_reached',
] as const

export type AlertType = (typeof ALERT_TYPES)[number]

export type AlertSeverity = 'critical' | 'warning' | 'info'

export interface Alert {
  id: string
  type: AlertType
  severity: AlertSeverity
  title: string
  message: string
  endpoint_id: string | null
  /** Whatever else the alert refers to (an invoice, a certificate); shape not fixed by the contract. */
  related: Record<string, unknown> | null
  created_at: string
  /** When the calling user read it; read state is per user. */
  read_at: string | null
  /** When anyone in the organisation resolved it; resolving is for the whole tenant. */
  resolved_at: string | null
}

export interface ReadAllResult {
  updated: number
}

export type ChannelKind = 'email' | 'slack' | 'webhook'

export interface Channel {
  id: string
  kind: ChannelKind
  name: string
  /** An e-mail address, or the Slack / webhook URL. */
  target: string
  events: AlertType[]
  enabled: boolean
  created_at: string
}

/** The answer to creating a channel: a webhook's signing secret comes once, here only. */
export interface CreatedChannel extends Channel {
  secret?: string
}

export interface NotificationSettings {
  /** 0–1440 */
  debounce_minutes: number
  /** 1–1000 */
  storm_threshold: number
}

export type DeliveryStatus = 'sent' | 'failed' | 'debounced' | 'grouped' | 'retrying'

export interface DeliveryLogEntry {
  id: string
  channel_id: string
  /** One of the alert types, or another event (a test message). */
  event_type: string
  endpoint_id: string | null
  status: DeliveryStatus
  attempts: number
  /** The last attempt's error. */
  error: string | null
  created_at: string
  sent_at: string | null
}

// Team: members and invitations (api.md "Identity": members).

export interface Member {
  id: string
  email: string
  role: Role
  email_verified: boolean
  two_factor_enabled: boolean
  created_at: string
  /** null until the member first signs in. */
  last_login_at: string | null
}

/** Invitations grant these roles only; an owner is made by changing a member's role. */
export type InvitationRole = Exclude<Role, 'owner'>

export interface Invitation {
  id: string
  email: string
  role: InvitationRole
  /** The e-mailed link works for 7 days. */
  expires_at: string
}

/** The answer to POST /api/invitations/accept/: the new member's e-mail counts as verified. */
export interface InvitationAccepted {
  tenant: TenantRef
  user: User
}

// API keys.

export type ApiKeyScope = 'read' | 'write'

export interface ApiKey {
  id: string
  name: string
  /** "sw_" and 8 characters: the start of the key, to recognise it by. */
  prefix: string
  scope: ApiKeyScope
  created_at: string
  last_used_at: string | null
  /** null: never expires. */
  expires_at: string | null
}

/** The create answer: `key` comes this once; the server keeps only its hash. */
export interface CreatedApiKey extends ApiKey {
  key: string
}

// Audit log.

export type AuditActorType = 'user' | 'api_key' | 'staff' | 'system' | 'stripe'

export interface AuditEntry {
  id: string
  at: string
  actor: { type: AuditActorType | string; id: string | null; email: string | null }
  action: string
  target: { type: string | null; id: string | null }
  ip: string | null
  user_agent: string | null
  request_id: string | null
  /** The object before and after the change (null when created or deleted); never secrets. */
  before: unknown
  after: unknown
}

// Staff console (api.md "Staff").

export interface StaffToken {
  /** Lives 15 minutes; there is no refresh token. */
  access: string
}

export const ACCOUNT_STATUSES = ['trial', 'active', 'pending_payment', 'past_due', 'suspended', 'cancelled'] as const

export type AccountStatus = (typeof ACCOUNT_STATUSES)[number]

export interface StaffTenant {
  id: string
  name: string
  plan: string
  account_status: AccountStatus | string
  subscription_status: string
  /** null when the monitors service could not count them. */
  endpoint_count: number | null
  /** How many members the tenant has (null: not known). */
  members: number | null
  created_at: string
  /** Sent by the backend besides the contract's fields: why and since when it is suspended. */
  suspension_reason?: string | null
  suspended_at?: string | null
}

export interface BankTransferInput {
  tenant_id: string
  external_payment_id: string
  amount_cents: number
  currency: string
  payer_name: string
  period_months: number
}

/** The answer to a bank-transfer confirmation: `duplicate` when that payment was recorded already (nothing changed). */
export interface BankTransferConfirmed {
  payment: Record<string, unknown>
  duplicate: boolean
}

/** Amounts per key (a plan, a payment method), in the currency's minor unit. */
export type Breakdown = Record<string, number>

export interface RevenueMonth {
  /** YYYY-MM */
  month: string
  revenue_cents: number
  by_plan: Breakdown
  by_method: Breakdown
}

export interface RevenueReport {
  currency: string
  mrr_cents: number
  months: RevenueMonth[]
}

export interface UsageReport {
  tenants_by_plan: Breakdown
  tenants_by_status: Breakdown
  /** A count, or counts by kind should the backend break it down. */
  endpoints: number | Breakdown
  checks_last_24h: number
  api_calls_last_24h: number
}

export interface ChurnMonth {
  month: string
  started: number
  canceled: number
  /** canceled / subscriptions at the start of the month, as a fraction 0–1. */
  churn_rate: number
}

export interface ChurnReport {
  months: ChurnMonth[]
}

// Status pages, incidents, maintenance windows (api.md "Status pages, incidents, maintenance").
export interface StatusPage {
  id: string
  slug: string
  title: string
  description: string | null
  endpoint_ids: string[]
  public: boolean
  /** The public page's address. */
  url?: string
}

export const SUBSCRIBER_STATES = ['pending', 'confirmed', 'unsubscribed'] as const
export type SubscriberState = (typeof SUBSCRIBER_STATES)[number]

export interface Subscriber {
  id: string
  email: string
  state: SubscriberState
  created_at?: string
}

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number]
export const INCIDENT_IMPACTS = ['none', 'minor', 'major', 'critical'] as const
export type IncidentImpact = (typeof INCIDENT_IMPACTS)[number]

export interface IncidentUpdate {
  status: IncidentStatus
  message: string
  created_at: string
}

export interface Incident {
  id: string
  title: string
  status: IncidentStatus
  impact: IncidentImpact
  endpoint_ids?: string[]
  started_at: string
  resolved_at: string | null
  /** Opened by an outage of its endpoint (and resolved when it is up again); not on the public page. */
  automatic?: boolean
  /** Newest first. */
  updates: IncidentUpdate[]
}

export interface Maintenance {
  id: string
  title: string
  starts_at: string
  ends_at: string
  endpoint_ids: string[]
}

export type OverallStatus = 'operational' | 'degraded' | 'major_outage' | 'maintenance'

export interface PublicComponent {
  name: string
  status: string
  /** One value per UTC day, oldest first; uptime null on a day without checks. */
  uptime_90d: { date: string; uptime: number | null }[] | null
}

export interface PublicMaintenance {
  title: string
  starts_at: string
  ends_at: string
  status: 'active' | 'scheduled'
}

export interface PublicStatus {
  title: string
  description: string | null
  overall: OverallStatus
  components: PublicComponent[]
  incidents: Incident[]
  maintenances: PublicMaintenance[]
}
