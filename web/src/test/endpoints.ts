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

/** Regions and quorum (api.md): checked from 3 regions, 1 failing — below the quorum of 2. */
export function regionalEndpoint(overrides: Partial<Endpoint> = {}): Endpoint {
  const checkedAt = new Date(Date.now() - 5 * 60_000).toISOString()
  return endpoint({
    regions: ['ap-south', 'eu-west', 'us-east'],
    min_failing_regions: null,
    region_results: [
      { region: 'ap-south', status: 'down', last_checked_at: checkedAt, last_latency_ms: null, last_status_code: null, last_error: 'Connection timed out after 10000 ms' },
      { region: 'eu-west', status: 'up', last_checked_at: checkedAt, last_latency_ms: 84, last_status_code: 200, last_error: null },
      { region: 'us-east', status: 'up', last_checked_at: checkedAt, last_latency_ms: 131, last_status_code: 200, last_error: null },
    ],
    quorum: { regions: 3, required: 2, failing: 1, below_quorum: true },
    ...overrides,
  })
}

/** GET /api/regions/: eu with a live checker, us without one for 40 minutes. */
export function checkerRegions(maxPerEndpoint = 8) {
  return {
    regions: [
      { name: 'eu', live: true, last_seen_at: new Date().toISOString() },
      { name: 'us', live: false, last_seen_at: new Date(Date.now() - 40 * 60_000).toISOString() },
    ],
    max_per_endpoint: maxPerEndpoint,
  }
}
