// Realistic API answers for the mocked visual run (mock-run.mjs).

const now = Date.now()
const iso = (msAgo) => new Date(now - msAgo).toISOString()

export const tenants = [
  { id: '6a1f3c1e-0000-4000-8000-000000000001', name: 'Acme Robotics', schema: 't_acme' },
  { id: '6a1f3c1e-0000-4000-8000-000000000002', name: 'Globex Cloud', schema: 't_globex' },
]

export const user = { id: '9b0c7d2a-0000-4000-8000-000000000001', email: 'ops@acme.example', role: 'owner' }

export function me(plan = 'free', count = 4, limit = 3) {
  return {
    user: { ...user, email_verified: true },
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
