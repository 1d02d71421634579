import type { Incident, Maintenance, PublicStatus, StatusPage, Subscriber } from '@/api/types'

export function statusPage(overrides: Partial<StatusPage> = {}): StatusPage {
  return {
    id: 'sp1',
    slug: 'acme',
    title: 'Acme status',
    description: 'Our public services.',
    endpoint_ids: ['e1'],
    public: true,
    url: 'http://localhost:5173/status/acme',
    ...overrides,
  }
}

export function subscriber(overrides: Partial<Subscriber> = {}): Subscriber {
  return { id: 's1', email: 'reader@example.com', state: 'confirmed', created_at: '2026-01-01T12:00:00Z', ...overrides }
}

export function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'inc1',
    title: 'API errors',
    status: 'investigating',
    impact: 'major',
    endpoint_ids: ['e1'],
    started_at: '2026-01-02T10:00:00Z',
    resolved_at: null,
    updates: [{ status: 'investigating', message: 'Checks are failing: HTTP 503', created_at: '2026-01-02T10:00:00Z' }],
    ...overrides,
  }
}

export function maintenance(overrides: Partial<Maintenance> = {}): Maintenance {
  return {
    id: 'm1',
    title: 'Database upgrade',
    starts_at: '2099-01-02T10:00:00Z',
    ends_at: '2099-01-02T12:00:00Z',
    endpoint_ids: ['e1'],
    ...overrides,
  }
}

/** 90 days of uptime ending today (UTC), one bad day. */
export function days90(): PublicStatus['components'][number]['uptime_90d'] {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate())
  return Array.from({ length: 90 }, (_, i) => ({
    date: new Date(today - (89 - i) * 86_400_000).toISOString().slice(0, 10),
    uptime: i === 80 ? 92.5 : i < 5 ? null : 100,
  }))
}

export function publicStatus(overrides: Partial<PublicStatus> = {}): PublicStatus {
  return {
    title: 'Acme status',
    description: 'Our public services.',
    overall: 'degraded',
    components: [
      { name: 'API', status: 'down', uptime_90d: days90() },
      { name: 'Website', status: 'up', uptime_90d: days90() },
    ],
    incidents: [
      incident(),
      incident({
        id: 'inc0',
        title: 'Slow dashboard',
        status: 'resolved',
        impact: 'minor',
        resolved_at: '2026-01-01T12:00:00Z',
        updates: [
          { status: 'resolved', message: 'Fixed.', created_at: '2026-01-01T12:00:00Z' },
          { status: 'investigating', message: 'Looking into it.', created_at: '2026-01-01T11:00:00Z' },
        ],
      }),
    ],
    maintenances: [{ title: 'Database upgrade', starts_at: '2099-01-02T10:00:00Z', ends_at: '2099-01-02T12:00:00Z', status: 'scheduled' }],
    ...overrides,
  }
}
