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

export const endpoints = [
  {
    id: 'e0000000-0000-4000-8000-000000000001',
    name: 'Marketing site',
    url: 'https://www.acme.example/',
    status: 'up',
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
