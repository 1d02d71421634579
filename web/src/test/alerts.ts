import { ALERT_TYPES, type Alert, type Channel, type DeliveryLogEntry } from '@/api/types'

export function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'a1',
    type: 'endpoint_down',
    severity: 'critical',
    title: 'Marketing site is down',
    message: 'Connection timed out after 10000 ms.',
    endpoint_id: 'e1',
    related: null,
    created_at: '2026-01-01T12:00:00Z',
    read_at: null,
    resolved_at: null,
    ...overrides,
  }
}

export function channel(overrides: Partial<Channel> = {}): Channel {
  return {
    id: 'c1',
    kind: 'email',
    name: 'On-call',
    target: 'oncall@example.com',
    events: [...ALERT_TYPES],
    enabled: true,
    created_at: '2026-01-01T12:00:00Z',
    ...overrides,
  }
}

export function delivery(overrides: Partial<DeliveryLogEntry> = {}): DeliveryLogEntry {
  return {
    id: 'd1',
    channel_id: 'c1',
    event_type: 'endpoint_down',
    endpoint_id: 'e1',
    status: 'sent',
    attempts: 1,
    error: null,
    created_at: '2026-01-01T12:00:00Z',
    sent_at: '2026-01-01T12:00:02Z',
    ...overrides,
  }
}

export function listOf<T>(results: T[], count = results.length) {
  return { count, next: null, previous: null, results }
}
