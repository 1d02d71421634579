import type { Endpoint } from '@/api/types'

export function endpoint(overrides: Partial<Endpoint> = {}): Endpoint {
  return {
    id: 'e1',
    name: 'Marketing site',
    url: 'https://www.example.com/',
    method: 'GET',
    interval_seconds: 60,
    timeout_ms: 10_000,
    expected_status: null,
    keyword: null,
    status: 'up',
    last_checked_at: new Date().toISOString(),
    last_latency_ms: 120,
    last_status_code: 200,
    last_error: null,
    uptime_24h: 99.5,
    created_at: '2026-01-01T00:00:00Z',
    retry_interval_seconds: 10,
    failure_threshold: 2,
    success_threshold: 1,
    paused: false,
    tls_expires_at: null,
    ...overrides,
  }
}

export function page(results: Endpoint[], count = results.length) {
  return { count, next: null, previous: null, results }
}
