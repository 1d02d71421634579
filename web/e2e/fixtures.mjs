// Realistic API answers for the mocked visual run (mock-run.mjs).

const now = Date.now()
const iso = (msAgo) => new Date(now - msAgo).toISOString()

export const tenants = [
  { id: '6a1f3c1e-0000-4000-8000-000000000001', name: 'Acme Robotics', schema: 't_acme' },
  { id: '6a1f3c1e-0000-4000-8000-000000000002', name: 'Globex Cloud', schema: 't_globex' },
]

export const user = { id: '9b0c7d2a-0000-4000-8000-000000000001', email: 'ops@acme.example', role: 'owner' }

export function me(plan = 'free', count = 4, limit = 3, { role = 'owner', unread = 0, emailVerified = true, twoFactor = false } = {}) {
  return {
    unread_alerts: unread,
    user: { ...user, role, email_verified: emailVerified, two_factor_enabled: twoFactor },
    tenant: {
      ...tenants[0],
      plan,
      subscription_status: plan === 'free' ? 'free' : 'active',
      account_status: 'active',
      endpoint_limit: limit,
      endpoint_count: count,
    },
  }
}

/** Regions and quorum (api.md): the regions each check runs in, here three. */
export const REGIONS = ['ap-south', 'eu-west', 'us-east']

/** GET /api/regions/: REGIONS with live checkers, and sa-east whose checker left 20 minutes ago. */
export const checkerRegions = {
  regions: [
    ...REGIONS.map((name) => ({ name, live: true, last_seen_at: iso(15_000) })),
    { name: 'sa-east', live: false, last_seen_at: iso(20 * 60_000) },
  ],
  max_per_endpoint: 8,
}

/**
 * The region fields of an endpoint checked from REGIONS: its `failing` regions down (with its
 * error), the others up; the quorum is a majority (2 of 3).
 */
function regional(e, failing = e.status === 'down' ? ['ap-south', 'us-east'] : e.status === 'up' ? ['ap-south'] : []) {
  const pending = e.status === 'pending'
  const region_results = REGIONS.map((region, i) => {
    const down = failing.includes(region)
    return {
      region,
      status: pending ? 'pending' : down ? 'down' : 'up',
      last_checked_at: pending ? null : (e.last_checked_at ?? null),
      last_latency_ms: pending || down ? null : (e.last_latency_ms ?? 150) + 37 * i,
      last_status_code: pending || down ? null : 200,
      last_error: down ? (e.last_error ?? 'Connection timed out after 10000 ms') : null,
    }
  })
  const k = region_results.filter((r) => r.status === 'down').length
  return {
    regions: null,
    min_failing_regions: null,
    region_results,
    quorum: { regions: REGIONS.length, required: 2, failing: k, below_quorum: k > 0 && k < 2 },
  }
}

export const endpoints = [
  {
    id: 'e0000000-0000-4000-8000-000000000001',
    name: 'Marketing site',
    url: 'https://www.acme.example/',
    status: 'up',
    // Named regions; one of the three fails: below the quorum of 2, so it stays up.
    regions: [...REGIONS],
    last_latency_ms: 182,
    uptime_24h: 99.98,
    last_checked_at: iso(12_000),
  },
  {
    id: 'e0000000-0000-4000-8000-000000000002',
    name: 'Public API',
    url: 'https://api.acme.example/v2/health',
    status: 'down',
    last_latency_ms: null,
    uptime_24h: 93.4,
    last_checked_at: iso(4_000),
    last_error: 'Connection timed out after 10000 ms',
  },
  {
    id: 'e0000000-0000-4000-8000-000000000003',
    name: '',
    url: 'https://status-page-with-a-rather-long-hostname.acme.example/some/deep/path?with=query',
    status: 'paused',
    last_latency_ms: 412,
    uptime_24h: 100,
    last_checked_at: iso(3 * 3600_000),
  },
  {
    id: 'e0000000-0000-4000-8000-000000000004',
    name: 'Docs',
    url: 'https://docs.acme.example/',
    status: 'pending',
    last_latency_ms: null,
    uptime_24h: null,
    last_checked_at: null,
  },
].map((e, i) => ({
  method: 'GET',
  interval_seconds: 60,
  timeout_ms: 10_000,
  expected_status: null,
  keyword: null,
  last_status_code: e.status === 'up' ? 200 : null,
  last_error: null,
  created_at: iso((i + 1) * 86_400_000),
  retry_interval_seconds: 10,
  failure_threshold: 2,
  success_threshold: 1,
  paused: e.status === 'paused',
  tls_expires_at: e.url.startsWith('https:') ? iso(-60 * 86_400_000) : null,
  ...regional(e),
  ...e,
}))

/** The other kinds of monitor (api.md "More kinds of monitor"), shown by their own screenshots. */
export const kindEndpoints = [
  {
    id: 'e0000000-0000-4000-8000-000000000005',
    name: 'Nightly backup',
    kind: 'heartbeat',
    url: null,
    interval_seconds: 86_400,
    grace_seconds: 900,
    ping_url: 'https://app.acme.example/api/ping/p7Qm2xVb9LrT4sKc8NwZ1yHd6FgJ3aUe5oIqBvXnM0k/',
    status: 'up',
    last_latency_ms: null,
    last_status_code: null,
    uptime_24h: 100,
    last_checked_at: iso(2 * 3600_000),
  },
  {
    id: 'e0000000-0000-4000-8000-000000000006',
    name: 'acme.example MX',
    kind: 'dns',
    url: 'dns://acme.example',
    record_type: 'MX',
    expected_value: 'mx1.mail.acme.example',
    status: 'up',
    last_latency_ms: 14,
    last_status_code: null,
    uptime_24h: 100,
    last_checked_at: iso(20_000),
  },
  {
    id: 'e0000000-0000-4000-8000-000000000007',
    name: 'Primary database',
    kind: 'tcp',
    url: 'tcp://db.acme.example:5432',
    status: 'up',
    last_latency_ms: 3,
    last_status_code: null,
    uptime_24h: 99.9,
    last_checked_at: iso(9_000),
  },
].map((e, i) => ({
  method: 'GET',
  interval_seconds: 60,
  timeout_ms: 10_000,
  expected_status: null,
  keyword: null,
  last_error: null,
  created_at: iso((i + 5) * 86_400_000),
  retry_interval_seconds: 10,
  failure_threshold: e.kind === 'heartbeat' ? 1 : 2,
  success_threshold: 1,
  paused: false,
  tls_expires_at: null,
  record_type: null,
  expected_value: null,
  grace_seconds: null,
  ping_url: null,
  // A heartbeat has no regions (api.md); the others are checked from every region, all up.
  ...(e.kind === 'heartbeat'
    ? { regions: null, min_failing_regions: null, region_results: [], quorum: { regions: 1, required: 1, failing: 0, below_quorum: false } }
    : regional({ ...e, status: 'up' }, [])),
  ...e,
}))

export function checks(count = 100) {
  const list = []
  for (let i = 0; i < count; i += 1) {
    const failed = i === 17 || i === 18 || i === 63
    const base = 160 + 40 * Math.sin(i / 7) + ((i * 37) % 23)
    const latency = failed ? null : Math.round(i === 40 ? 620 : base)
    list.push({
      checked_at: iso(i * 60_000 + 5_000),
      ok: !failed,
      status_code: failed ? null : 200,
      latency_ms: latency,
      dns_ms: failed ? null : 12,
      connect_ms: failed ? null : 31,
      tls_ms: failed ? null : 44,
      ttfb_ms: failed ? null : latency && latency - 20,
      error: failed ? 'Connection timed out after 10000 ms' : null,
      region: REGIONS[i % REGIONS.length],
    })
  }
  return list
}

export const uptime = { uptime_24h: 99.2, uptime_7d: 99.87, uptime_30d: 99.95, latency_p50_ms: 171, latency_p95_ms: 298 }

export const plans = [
  { id: 'free', name: 'Free', price_cents: 0, currency: 'usd', interval: 'month', endpoint_limit: 3, min_interval_seconds: 60, retention_days: 7 },
  { id: 'pro', name: 'Pro', price_cents: 1900, currency: 'usd', interval: 'month', endpoint_limit: -1, min_interval_seconds: 30, retention_days: 90 },
]

export function subscription(plan = 'free', overrides = {}) {
  return {
    plan,
    status: plan === 'free' ? 'free' : 'active',
    current_period_end: plan === 'free' ? null : iso(-21 * 86_400_000),
    cancel_at_period_end: false,
    stripe_configured: true,
    test_mode: true,
    ...overrides,
  }
}

export const invoices = [0, 1, 2].map((n) => ({
  id: `in_mock_${n}`,
  number: `ACME-000${3 - n}`,
  status: n === 0 ? 'open' : 'paid',
  amount_due: 1900,
  amount_paid: n === 0 ? 0 : 1900,
  currency: 'usd',
  period_start: iso((n + 1) * 30 * 86_400_000),
  period_end: iso(n * 30 * 86_400_000),
  hosted_invoice_url: `https://invoice.stripe.com/i/acct_mock/in_mock_${n}`,
  invoice_pdf: n === 0 ? null : `https://pay.stripe.com/invoice/acct_mock/in_mock_${n}/pdf`,
  created_at: iso((n + 1) * 30 * 86_400_000),
}))

const [marketing, publicApi, statusPage] = endpoints

const alertRows = [
  {
    type: 'endpoint_down',
    severity: 'critical',
    title: 'Public API is down',
    message: 'https://api.acme.example/v2/health failed 2 checks in a row: Connection timed out after 10000 ms.',
    endpoint_id: publicApi.id,
    created_at: iso(4 * 60_000),
  },
  {
    type: 'certificate_expiring',
    severity: 'warning',
    title: 'TLS certificate of status-page-with-a-rather-long-hostname.acme.example expires in 9 days',
    message: 'Renew it before Mar 14 to avoid browser warnings for your visitors.',
    endpoint_id: statusPage.id,
    related: { expires_at: iso(-9 * 86_400_000), issuer: "Let's Encrypt R11" },
    created_at: iso(52 * 60_000),
  },
  {
    type: 'endpoint_up',
    severity: 'info',
    title: 'Marketing site is up again',
    message: 'Back after 3 minutes of downtime (HTTP 200 in 182 ms).',
    endpoint_id: marketing.id,
    created_at: iso(3 * 3600_000),
    read_at: iso(2 * 3600_000),
  },
  {
    type: 'endpoint_down',
    severity: 'critical',
    title: 'Marketing site is down',
    message: 'HTTP 502 from https://www.acme.example/ (expected 2xx or 3xx).',
    endpoint_id: marketing.id,
    created_at: iso(3 * 3600_000 + 180_000),
    read_at: iso(2 * 3600_000),
    resolved_at: iso(3 * 3600_000),
  },
  {
    type: 'payment_failed',
    severity: 'critical',
    title: 'A payment of $19.00 failed',
    message: 'Stripe could not charge the card ending 4242. It retries in 3 days; update the payment method to keep Pro.',
    endpoint_id: null,
    related: { invoice_id: 'in_mock_0' },
    created_at: iso(2 * 86_400_000),
  },
  {
    type: 'plan_limit_reached',
    severity: 'warning',
    title: 'Endpoint limit reached',
    message: 'Your organisation monitors 3 of the 3 endpoints the Free plan allows.',
    endpoint_id: null,
    created_at: iso(6 * 86_400_000),
    read_at: iso(5 * 86_400_000),
  },
  {
    type: 'subscription_canceled',
    severity: 'info',
    title: 'Pro subscription cancelled',
    message: 'Your organisation moves to the Free plan at the end of the period.',
    endpoint_id: null,
    created_at: iso(30 * 86_400_000),
    read_at: iso(29 * 86_400_000),
    resolved_at: iso(29 * 86_400_000),
  },
]

export const alerts = alertRows.map((a, i) => ({
  id: `a0000000-0000-4000-8000-00000000000${i + 1}`,
  related: null,
  read_at: null,
  resolved_at: null,
  ...a,
}))

export const ALL_EVENTS = ['endpoint_down', 'endpoint_up', 'certificate_expiring', 'payment_failed', 'subscription_canceled', 'plan_limit_reached']

export const channels = [
  {
    id: 'c0000000-0000-4000-8000-000000000001',
    kind: 'email',
    name: 'On-call rota',
    target: 'oncall@acme.example',
    events: ALL_EVENTS,
    enabled: true,
    created_at: iso(20 * 86_400_000),
  },
  {
    id: 'c0000000-0000-4000-8000-000000000002',
    kind: 'slack',
    name: '#ops-alerts',
    target: 'https://hooks.slack.com/services/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',
    events: ['endpoint_down', 'endpoint_up', 'certificate_expiring'],
    enabled: true,
    created_at: iso(12 * 86_400_000),
  },
  {
    id: 'c0000000-0000-4000-8000-000000000003',
    kind: 'webhook',
    name: 'Incident bridge (PagerDuty relay)',
    target: 'https://relay.acme.example/hooks/statuswatch/incident-bridge',
    events: ['endpoint_down'],
    enabled: false,
    created_at: iso(3 * 86_400_000),
  },
]

export const notificationSettings = { debounce_minutes: 15, storm_threshold: 5 }

export const deliveries = [
  { channel: 0, event_type: 'endpoint_down', endpoint: publicApi, status: 'sent', attempts: 1, ago: 4 * 60_000 - 3_000, sentAfter: 2_000 },
  { channel: 1, event_type: 'endpoint_down', endpoint: publicApi, status: 'retrying', attempts: 3, ago: 4 * 60_000 - 3_000, error: 'HTTP 503 from hooks.slack.com (will retry)' },
  { channel: 1, event_type: 'certificate_expiring', endpoint: statusPage, status: 'sent', attempts: 1, ago: 52 * 60_000, sentAfter: 1_200 },
  { channel: 0, event_type: 'endpoint_up', endpoint: marketing, status: 'sent', attempts: 1, ago: 3 * 3600_000, sentAfter: 900 },
  { channel: 0, event_type: 'endpoint_down', endpoint: marketing, status: 'debounced', attempts: 0, ago: 3 * 3600_000 + 60_000 },
  { channel: 2, event_type: 'endpoint_down', endpoint: marketing, status: 'failed', attempts: 1, ago: 3 * 3600_000 + 180_000, error: 'HTTP 410 Gone from relay.acme.example: the receiver refused the request and it is not retried' },
  { channel: 0, event_type: 'payment_failed', endpoint: null, status: 'grouped', attempts: 1, ago: 2 * 86_400_000, sentAfter: 4_000 },
].map((d, i) => ({
  id: `d0000000-0000-4000-8000-00000000000${i + 1}`,
  channel_id: channels[d.channel].id,
  event_type: d.event_type,
  endpoint_id: d.endpoint?.id ?? null,
  status: d.status,
  attempts: d.attempts,
  error: d.error ?? null,
  created_at: iso(d.ago),
  sent_at: d.sentAfter ? iso(d.ago - d.sentAfter) : null,
}))

// Identity (api.md "Identity"): a TOTP set-up and the recovery codes it ends with.
export const twoFactorSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
export const otpauthUrl = `otpauth://totp/StatusWatch:ops%40acme.example?secret=${twoFactorSecret}&issuer=StatusWatch&algorithm=SHA1&digits=6&period=30`
export const recoveryCodes = ['k7m2q-x9p4d', 'b3n8r-w6t1c', 'h5j9v-e2s7a', 'p4x6m-q8k3f', 'z2c7t-n5b9g', 'r8w3h-d6v1j', 'm9e4s-k2x7p', 't6q1b-a8n5w', 'c3v9f-j7r2e', 'g5p8k-s4m6h']

// Team (api.md "Identity": members, invitations). The signed-in owner is `user`.
export const members = [
  { id: user.id, email: user.email, role: 'owner', email_verified: true, two_factor_enabled: true, created_at: iso(120 * 86_400_000), last_login_at: iso(90_000) },
  { id: '9b0c7d2a-0000-4000-8000-000000000002', email: 'dana.whitfield@acme.example', role: 'admin', email_verified: true, two_factor_enabled: false, created_at: iso(64 * 86_400_000), last_login_at: iso(3 * 3600_000) },
  { id: '9b0c7d2a-0000-4000-8000-000000000003', email: 'li.wei@acme.example', role: 'member', email_verified: true, two_factor_enabled: true, created_at: iso(21 * 86_400_000), last_login_at: iso(2 * 86_400_000) },
  { id: '9b0c7d2a-0000-4000-8000-000000000004', email: 'contractor-with-a-long-address@partners.acme-robotics.example', role: 'member', email_verified: false, two_factor_enabled: false, created_at: iso(2 * 86_400_000), last_login_at: null },
]

export const invitations = [
  { id: 'f1000000-0000-4000-8000-000000000001', email: 'sam.ortiz@acme.example', role: 'admin', expires_at: iso(-6 * 86_400_000) },
  { id: 'f1000000-0000-4000-8000-000000000002', email: 'qa-team@acme.example', role: 'member', expires_at: iso(-86_400_000 / 2) },
]

export const apiKeys = [
  { id: 'k1000000-0000-4000-8000-000000000001', name: 'Deploy pipeline (GitHub Actions)', prefix: 'sw_7Hk2pQ9x', scope: 'write', created_at: iso(40 * 86_400_000), last_used_at: iso(25 * 60_000), expires_at: iso(-320 * 86_400_000) },
  { id: 'k1000000-0000-4000-8000-000000000002', name: 'Grafana dashboard', prefix: 'sw_Lm4Vt8Rc', scope: 'read', created_at: iso(15 * 86_400_000), last_used_at: iso(40_000), expires_at: null },
  { id: 'k1000000-0000-4000-8000-000000000003', name: 'Old status script', prefix: 'sw_Zq1Np6Ye', scope: 'read', created_at: iso(200 * 86_400_000), last_used_at: null, expires_at: iso(10 * 86_400_000) },
]

export const newApiKey = 'sw_Xr5Tb2Wm.4f9c1e7a2b8d6f3c0e5a9b7d1c4f8e2a6b0d3c7f'

const UA_CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
const auditRows = [
  { actor: { type: 'user', id: user.id, email: user.email }, action: 'member.role_changed', target: { type: 'member', id: members[2].id }, before: { role: 'admin', email: members[2].email }, after: { role: 'member', email: members[2].email }, ago: 5 * 60_000 },
  { actor: { type: 'api_key', id: apiKeys[0].id, email: null }, action: 'endpoint.updated', target: { type: 'endpoint', id: endpoints[1].id }, before: { name: 'API', url: endpoints[1].url, interval_seconds: 60, settings: { retries: 2, expected_status: null } }, after: { name: 'Public API', url: endpoints[1].url, interval_seconds: 30, settings: { retries: 3, expected_status: 200 } }, ago: 40 * 60_000, ua: 'github-actions/2.317 curl/8.5.0', ip: '140.82.112.4' },
  { actor: { type: 'stripe', id: null, email: null }, action: 'billing.invoice_paid', target: { type: 'invoice', id: 'in_mock_1' }, before: { status: 'open' }, after: { status: 'paid', amount_paid: 1900 }, ago: 3 * 3600_000, ua: 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', ip: '54.187.174.169' },
  { actor: { type: 'user', id: members[1].id, email: members[1].email }, action: 'invitation.created', target: { type: 'invitation', id: invitations[0].id }, before: null, after: { email: invitations[0].email, role: 'admin' }, ago: 26 * 3600_000 },
  { actor: { type: 'staff', id: '5a000000-0000-4000-8000-000000000001', email: 'support@statuswatch.example' }, action: 'tenant.reactivated', target: { type: 'tenant', id: tenants[0].id }, before: { account_status: 'suspended' }, after: { account_status: 'active' }, ago: 3 * 86_400_000, ua: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/127.0', ip: '198.51.100.23' },
  { actor: { type: 'user', id: user.id, email: user.email }, action: 'api_key.revoked', target: { type: 'api_key', id: 'k1000000-0000-4000-8000-000000000009' }, before: { name: 'Laptop script', scope: 'write' }, after: null, ago: 4 * 86_400_000 },
  { actor: { type: 'system', id: null, email: null }, action: 'endpoint.paused_by_plan', target: { type: 'endpoint', id: endpoints[3].id }, before: { paused: false }, after: { paused: true }, ago: 9 * 86_400_000, ua: null, ip: null },
]

export const auditLog = auditRows.map((r, i) => ({
  id: `b0000000-0000-4000-8000-00000000000${i + 1}`,
  at: iso(r.ago),
  actor: r.actor,
  action: r.action,
  target: r.target,
  ip: r.ip === undefined ? '203.0.113.42' : r.ip,
  user_agent: r.ua === undefined ? UA_CHROME : r.ua,
  request_id: r.actor.type === 'system' ? null : `req_${(0x5f3a9c + i * 7919).toString(16)}e1b2c3d4`,
  before: r.before,
  after: r.after,
}))

// Staff console (api.md "Staff").
export const staffTenants = [
  { ...tenants[0], plan: 'pro', account_status: 'active', subscription_status: 'active', endpoint_count: 4, members: 4, created_at: iso(120 * 86_400_000) },
  { ...tenants[1], plan: 'free', account_status: 'trial', subscription_status: 'free', endpoint_count: 2, members: 1, created_at: iso(9 * 86_400_000) },
  { id: '6a1f3c1e-0000-4000-8000-000000000003', name: 'Initech', plan: 'pro', account_status: 'past_due', subscription_status: 'past_due', endpoint_count: 31, members: 12, created_at: iso(400 * 86_400_000) },
  { id: '6a1f3c1e-0000-4000-8000-000000000004', name: 'Umbrella Logistics & Cold Chain Monitoring Services', plan: 'free', account_status: 'suspended', subscription_status: 'canceled', endpoint_count: 3, members: 2, created_at: iso(210 * 86_400_000) },
  { id: '6a1f3c1e-0000-4000-8000-000000000005', name: 'Hooli', plan: 'pro', account_status: 'pending_payment', subscription_status: 'incomplete', endpoint_count: 0, members: 3, created_at: iso(2 * 86_400_000) },
]

function monthsBack(n) {
  const out = []
  const d = new Date()
  for (let i = n - 1; i >= 0; i -= 1) {
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1))
    out.push(`${m.getUTCFullYear()}-${String(m.getUTCMonth() + 1).padStart(2, '0')}`)
  }
  return out
}

export function revenueReport(from, to) {
  const months = monthsBack(12).filter((m) => (!from || m >= from) && (!to || m <= to))
  return {
    currency: 'usd',
    mrr_cents: 41800,
    months: months.map((month, i) => {
      const card = 1900 * (8 + i + (i % 3))
      const bank = i % 4 === 1 ? 22800 : 0
      return { month, revenue_cents: card + bank, by_plan: { pro: card + bank }, by_method: bank ? { card, bank_transfer: bank } : { card } }
    }),
  }
}

export function churnReport(from, to) {
  const months = monthsBack(12).filter((m) => (!from || m >= from) && (!to || m <= to))
  return {
    months: months.map((month, i) => {
      const started = 3 + ((i * 5) % 7)
      const canceled = (i * 3) % 4
      return { month, started, canceled, churn_rate: canceled / (10 + i * 2) }
    }),
  }
}

export const usageReport = {
  tenants_by_plan: { free: 182, pro: 47 },
  tenants_by_status: { trial: 38, active: 171, pending_payment: 4, past_due: 9, suspended: 3, cancelled: 4 },
  endpoints: 1432,
  checks_last_24h: 1_874_220,
  api_calls_last_24h: 96_514,
}

// Status pages, incidents, maintenance windows (api.md "Status pages, incidents, maintenance").
const E1 = endpoints[0].id
const E2 = endpoints[1].id

export const statusPages = [
  { id: 'sp000000-0000-4000-8000-000000000001', slug: 'acme', title: 'Acme Cloud status', description: 'Live status of the Acme Cloud website and API.', endpoint_ids: [E1, E2], public: true, url: 'http://localhost:5173/status/acme' },
  { id: 'sp000000-0000-4000-8000-000000000002', slug: 'acme-internal-tools-with-a-long-slug', title: 'Internal tools', description: null, endpoint_ids: [E1], public: false, url: 'http://localhost:5173/status/acme-internal-tools-with-a-long-slug' },
]

export const subscribers = [
  { id: 'su000000-0000-4000-8000-000000000001', email: 'jordan.lee@globex.example', state: 'confirmed', created_at: iso(9 * 86_400_000) },
  { id: 'su000000-0000-4000-8000-000000000002', email: 'a.rather.long.address.for.a.subscriber@initech-consulting.example', state: 'pending', created_at: iso(3600_000) },
  { id: 'su000000-0000-4000-8000-000000000003', email: 'old@umbrella.example', state: 'unsubscribed', created_at: iso(40 * 86_400_000) },
]

export const incidents = [
  {
    id: 'in000000-0000-4000-8000-000000000001',
    title: 'Public API is not answering',
    status: 'identified',
    impact: 'major',
    endpoint_ids: [E2],
    started_at: iso(50 * 60_000),
    resolved_at: null,
    updates: [
      { status: 'identified', message: 'A database failover left the API without connections; restarting the pool.', created_at: iso(20 * 60_000) },
      { status: 'investigating', message: 'Checks are failing: Connection timed out after 10000 ms', created_at: iso(50 * 60_000) },
    ],
  },
  {
    id: 'in000000-0000-4000-8000-000000000002',
    title: 'Slow pages on the marketing site',
    status: 'resolved',
    impact: 'minor',
    endpoint_ids: [E1],
    started_at: iso(3 * 86_400_000),
    resolved_at: iso(3 * 86_400_000 - 2 * 3600_000),
    updates: [
      { status: 'resolved', message: 'The CDN cache is warm again.', created_at: iso(3 * 86_400_000 - 2 * 3600_000) },
      { status: 'investigating', message: 'Pages take several seconds to load.', created_at: iso(3 * 86_400_000) },
    ],
  },
]

export const maintenances = [
  { id: 'mw000000-0000-4000-8000-000000000001', title: 'Database upgrade to PostgreSQL 17', starts_at: iso(-2 * 86_400_000), ends_at: iso(-2 * 86_400_000 - 2 * 3600_000), endpoint_ids: [E2] },
]

/** 90 UTC days for a component: mostly 100, a few bad days, the first week without data. */
function uptimeDays(seed) {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate())
  return Array.from({ length: 90 }, (_, i) => ({
    date: new Date(today - (89 - i) * 86_400_000).toISOString().slice(0, 10),
    uptime: i < 7 * seed - 14 ? null : (i + seed * 5) % 29 === 0 ? 94.2 : (i + seed * 3) % 17 === 0 ? 99.4 : 100,
  }))
}

export function publicStatus(state) {
  const page = state.statusPages.find((p) => p.slug === 'acme')
  const shown = page.endpoint_ids.map((id) => state.endpoints.find((e) => e.id === id)).filter(Boolean)
  return {
    title: page.title,
    description: page.description,
    overall: 'major_outage',
    components: shown.map((e, i) => ({ name: e.name || e.url, status: e.status, uptime_90d: uptimeDays(i + 3) })),
    incidents: state.incidents,
    maintenances: state.maintenances.map((m) => ({ title: m.title, starts_at: m.starts_at, ends_at: m.ends_at, status: Date.parse(m.starts_at) <= Date.now() ? 'active' : 'scheduled' })),
  }
}
