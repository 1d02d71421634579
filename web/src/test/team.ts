import type { ApiKey, AuditEntry, Invitation, Member } from '@/api/types'

export function member(overrides: Partial<Member> = {}): Member {
  return {
    id: 'u1',
    email: 'owner@example.com',
    role: 'owner',
    email_verified: true,
    two_factor_enabled: false,
    created_at: '2026-01-01T12:00:00Z',
    last_login_at: '2026-01-02T12:00:00Z',
    ...overrides,
  }
}

export function invitation(overrides: Partial<Invitation> = {}): Invitation {
  return {
    id: 'i1',
    email: 'new@example.com',
    role: 'member',
    expires_at: new Date(Date.now() + 6 * 86_400_000).toISOString(),
    ...overrides,
  }
}

export function apiKey(overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id: 'k1',
    name: 'Deploy pipeline',
    prefix: 'sw_abcd1234',
    scope: 'read',
    created_at: '2026-01-01T12:00:00Z',
    last_used_at: null,
    expires_at: null,
    ...overrides,
  }
}

export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 'a1',
    at: '2026-01-01T12:00:00Z',
    actor: { type: 'user', id: 'u1', email: 'owner@example.com' },
    action: 'endpoint.updated',
    target: { type: 'endpoint', id: 'e1' },
    ip: '203.0.113.7',
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/127.0',
    request_id: 'req-1',
    before: { name: 'API', interval_seconds: 60 },
    after: { name: 'Public API', interval_seconds: 60 },
    ...overrides,
  }
}
