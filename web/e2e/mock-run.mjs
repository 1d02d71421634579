// Visual and CSP smoke test of the built app against a mocked API, no backend needed:
// serves dist/ with `vite preview` (production CSP), answers /api/ from fixtures,
// walks every page and screenshots it at 375 and 1280 px into SCREENSHOT_DIR.
//   npm run build && npm run e2e:mock
import assert from 'node:assert/strict'
import { launchBrowser, screenshots } from './browser.mjs'
import { assertNoProblems, summary, test } from './harness.mjs'
import { startPreview } from './preview-server.mjs'
import * as fx from './fixtures.mjs'

const shots = process.env.SCREENSHOT_DIR || 'e2e-screenshots/mock'
const preview = process.env.BASE_URL ? null : await startPreview(Number(process.env.PREVIEW_PORT || 4173))
const baseUrl = process.env.BASE_URL || preview.baseUrl

const state = {
  limit: null,
  plan: 'pro',
  plansAvailable: true,
  subscription: null,
  endpoints: [...fx.endpoints],
  role: 'owner',
  alerts: fx.alerts.map((a) => ({ ...a })),
  channels: fx.channels.map((c) => ({ ...c })),
  settings: { ...fx.notificationSettings },
  deliveries: [...fx.deliveries],
  emailVerified: true,
  twoFactor: false,
  twoFactorLogin: false,
  members: fx.members.map((m) => ({ ...m })),
  invitations: fx.invitations.map((i) => ({ ...i })),
  apiKeys: fx.apiKeys.map((k) => ({ ...k })),
  // Enough rows for a second page of the audit log.
  audit: [
    ...fx.auditLog,
    ...Array.from({ length: 18 }, (_, i) => ({
      ...fx.auditLog[0],
      id: `b1000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      at: new Date(Date.now() - (10 + i) * 86_400_000).toISOString(),
      action: i % 2 ? 'auth.login' : 'auth.logout',
      target: { type: 'user', id: fx.user.id },
      before: null,
      after: null,
    })),
  ],
  statusPages: fx.statusPages.map((p) => ({ ...p })),
  subscribers: [...fx.subscribers],
  incidents: fx.incidents.map((i) => ({ ...i })),
  maintenances: fx.maintenances.map((m) => ({ ...m })),
  staffTenants: fx.staffTenants.map((t) => ({ ...t })),
  staffTokenValid: true,
  payments: new Map(),
}

function paged(url, list) {
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1)
  const size = Math.min(100, Math.max(1, Number(url.searchParams.get('page_size')) || 20))
  return { count: list.length, next: null, previous: null, results: list.slice((page - 1) * size, page * size) }
}

const notFound = { detail: 'Not found.', code: 'not_found' }
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

/** The gateway's answers for alerts and notifications, from `state`; null for other paths. */
function alertsApi(route, url, method, body) {
  const path = url.pathname
  const now = () => new Date().toISOString()
  const manager = state.role !== 'member'
  const forbidden = () => json(route, 403, { detail: 'Only owners and admins can change notifications.', code: 'permission_denied' })
  if (path === '/api/alerts/' && method === 'GET') {
    const unread = url.searchParams.get('unread') === '1'
    const type = url.searchParams.get('type')
    const list = state.alerts.filter((a) => (!unread || !a.read_at) && (!type || a.type === type))
    return json(route, 200, paged(url, list))
  }
  if (path === '/api/alerts/read-all/' && method === 'POST') {
    const unread = state.alerts.filter((a) => !a.read_at)
    for (const a of unread) a.read_at = now()
    return json(route, 200, { updated: unread.length })
  }
  let match = path.match(/^\/api\/alerts\/([^/]+)\/(read|resolve)\/$/)
  if (match && method === 'POST') {
    const found = state.alerts.find((a) => a.id === match[1])
    if (!found) return json(route, 404, notFound)
    if (match[2] === 'read') found.read_at ??= now()
    else found.resolved_at ??= now()
    return json(route, 200, found)
  }
  if (path === '/api/notifications/channels/') {
    if (method === 'GET') return json(route, 200, paged(url, state.channels))
    if (!manager) return forbidden()
    const errors = {}
    if (!body.name) errors.name = ['This field is required.']
    if (body.kind === 'email' ? !EMAIL.test(body.target || '') : !/^https:\/\//.test(body.target || '')) {
      errors.target = [body.kind === 'email' ? 'Enter a valid e-mail address.' : 'Use a public https:// URL.']
    }
    if (Object.keys(errors).length) return json(route, 400, { detail: 'Invalid input.', code: 'invalid', errors })
    const created = {
      id: `c0000000-0000-4000-8000-${String(state.channels.length + 1).padStart(12, '0')}`,
      kind: body.kind,
      name: body.name,
      target: body.target,
      events: body.events ?? fx.ALL_EVENTS,
      enabled: body.enabled ?? true,
      created_at: now(),
    }
    state.channels.push(created)
    return json(route, 201, body.kind === 'webhook' ? { ...created, secret: 'whsec_5f0c2a9e7b4d48f1a3c6e8b2d0f7a915c3e1b8d4' } : created)
  }
  match = path.match(/^\/api\/notifications\/channels\/([^/]+)\/(test\/)?$/)
  if (match) {
    const found = state.channels.find((c) => c.id === match[1])
    if (!found) return json(route, 404, notFound)
    if (method === 'GET') return json(route, 200, found)
    if (!manager) return forbidden()
    if (match[2] && method === 'POST') {
      state.deliveries.unshift({
        id: `d1000000-0000-4000-8000-${String(state.deliveries.length).padStart(12, '0')}`,
        channel_id: found.id,
        event_type: 'test',
        endpoint_id: null,
        status: 'sent',
        attempts: 1,
        error: null,
        created_at: now(),
        sent_at: now(),
      })
      return json(route, 202, { detail: 'Test message queued.' })
    }
    if (method === 'PATCH') {
      Object.assign(found, body)
      return json(route, 200, found)
    }
    if (method === 'DELETE') {
      state.channels = state.channels.filter((c) => c !== found)
      return json(route, 204)
    }
  }
  if (path === '/api/notifications/settings/') {
    if (method === 'GET') return json(route, 200, state.settings)
    if (!manager) return forbidden()
    const errors = {}
    if (!(Number.isInteger(body.debounce_minutes) && body.debounce_minutes >= 0 && body.debounce_minutes <= 1440)) errors.debounce_minutes = ['Use 0 to 1440.']
    if (!(Number.isInteger(body.storm_threshold) && body.storm_threshold >= 1 && body.storm_threshold <= 1000)) errors.storm_threshold = ['Use 1 to 1000.']
    if (Object.keys(errors).length) return json(route, 400, { detail: 'Invalid input.', code: 'invalid', errors })
    state.settings = { debounce_minutes: body.debounce_minutes, storm_threshold: body.storm_threshold }
    return json(route, 200, state.settings)
  }
  if (path === '/api/notifications/log/' && method === 'GET') {
    const channel = url.searchParams.get('channel')
    return json(route, 200, paged(url, state.deliveries.filter((d) => !channel || d.channel_id === channel)))
  }
  return null
}

const limited = { detail: 'Request was throttled.', code: 'rate_limited' }

/** The identity routes (verification, reset, two-factor), from `state`; null for other paths. */
function identityApi(route, url, method, body) {
  const path = url.pathname
  if (method !== 'POST') return null
  if (path === '/api/auth/token/2fa/') {
    if (body.challenge !== 'challenge-mock') return json(route, 401, { detail: 'The sign-in has expired.', code: 'invalid_challenge' })
    if (body.code === '000000') return json(route, 401, { detail: 'That code is not valid.', code: 'invalid_code' })
    const tenant = fx.tenants.find((t) => t.schema === body.tenant_schema) ?? fx.tenants[0]
    return json(route, 200, { access: 'access-token', refresh: 'refresh-token', user: fx.user, tenant })
  }
  if (path === '/api/auth/register/') {
    return json(route, 201, { tenant: { ...fx.tenants[0], name: body.organization_name }, user: { ...fx.user, email: body.email } })
  }
  if (path === '/api/auth/verify-email/') {
    if (body.token === 'expired') return json(route, 400, { detail: 'The link has expired.', code: 'token_expired' })
    if (body.token !== 'good') return json(route, 400, { detail: 'The link is not valid.', code: 'invalid_token' })
    state.emailVerified = true
    return json(route, 200, { email_verified: true })
  }
  if (path === '/api/auth/verify-email/resend/') {
    if (state.emailVerified) return json(route, 409, { detail: 'Already verified.', code: 'already_verified' })
    return json(route, 202)
  }
  if (path === '/api/auth/password-reset/') {
    if (body.email === 'flood@acme.example') return route.fulfill({ status: 429, contentType: 'application/json', headers: { 'Retry-After': '1800' }, body: JSON.stringify(limited) })
    return json(route, 202)
  }
  if (path === '/api/auth/password-reset/confirm/') {
    if (body.token === 'expired') return json(route, 400, { detail: 'The link has expired.', code: 'token_expired' })
    return json(route, 200, {})
  }
  if (path === '/api/auth/2fa/setup/') {
    if (state.twoFactor) return json(route, 409, { detail: 'Two-factor is already on.', code: 'already_enabled' })
    return json(route, 200, { secret: fx.twoFactorSecret, otpauth_url: fx.otpauthUrl })
  }
  if (path === '/api/auth/2fa/confirm/') {
    if (body.code !== '123456') return json(route, 400, { detail: 'That code is not valid.', code: 'invalid_code' })
    state.twoFactor = true
    return json(route, 200, { recovery_codes: fx.recoveryCodes })
  }
  if (path === '/api/auth/2fa/disable/') {
    if (body.password !== 'Correct-Horse-9') return json(route, 401, { detail: 'Wrong password.', code: 'invalid_credentials' })
    if (body.code !== '123456') return json(route, 400, { detail: 'That code is not valid.', code: 'invalid_code' })
    state.twoFactor = false
    return json(route, 200, {})
  }
  return null
}

const denied = (route, detail = 'You do not have permission to do this.') => json(route, 403, { detail, code: 'permission_denied' })

/** Members, invitations, API keys and the audit log (api.md "Identity", "Audit log"); null for other paths. */
function teamApi(route, url, method, body) {
  const path = url.pathname
  const manager = state.role !== 'member'
  const now = () => new Date().toISOString()
  if (path === '/api/invitations/accept/' && method === 'POST') {
    if (body.token === 'expired') return json(route, 400, { detail: 'The invitation has expired.', code: 'token_expired' })
    if (body.token !== 'good') return json(route, 400, { detail: 'The invitation is not valid.', code: 'invalid_token' })
    if (body.password !== body.password_confirm) return json(route, 400, { detail: 'Invalid input.', code: 'invalid', errors: { password_confirm: ['The passwords do not match.'] } })
    return json(route, 201, { tenant: fx.tenants[0], user: { id: 'new-user', email: 'sam.ortiz@acme.example', role: 'admin', email_verified: true } })
  }
  if (path === '/api/members/' && method === 'GET') return json(route, 200, paged(url, state.members))
  let match = path.match(/^\/api\/members\/([^/]+)\/$/)
  if (match) {
    const found = state.members.find((m) => m.id === match[1])
    if (!found) return json(route, 404, notFound)
    if (!manager || (state.role === 'admin' && found.role === 'owner')) return denied(route)
    const owners = state.members.filter((m) => m.role === 'owner')
    const lastOwner = found.role === 'owner' && owners.length === 1
    if (method === 'PATCH') {
      if (lastOwner && body.role !== 'owner') return json(route, 409, { detail: 'The organisation needs at least one owner.', code: 'last_owner' })
      found.role = body.role
      return json(route, 200, found)
    }
    if (method === 'DELETE') {
      if (lastOwner) return json(route, 409, { detail: 'The organisation needs at least one owner.', code: 'last_owner' })
      state.members = state.members.filter((m) => m !== found)
      return json(route, 204)
    }
  }
  if (path === '/api/invitations/') {
    if (!manager) return denied(route)
    if (method === 'GET') return json(route, 200, paged(url, state.invitations))
    if (!state.emailVerified) return json(route, 403, { detail: 'Verify your e-mail address first.', code: 'email_not_verified' })
    if (!EMAIL.test(body.email || '')) return json(route, 400, { detail: 'Invalid input.', code: 'invalid', errors: { email: ['Enter a valid e-mail address.'] } })
    if (state.members.some((m) => m.email === body.email)) return json(route, 409, { detail: 'This person is already a member.', code: 'already_member' })
    const created = { id: `f1000000-0000-4000-8000-${String(state.invitations.length + 10).padStart(12, '0')}`, email: body.email, role: body.role, expires_at: new Date(Date.now() + 7 * 86_400_000).toISOString() }
    state.invitations.unshift(created)
    return json(route, 201, created)
  }
  match = path.match(/^\/api\/invitations\/([^/]+)\/$/)
  if (match && method === 'DELETE') {
    if (!manager) return denied(route)
    const found = state.invitations.find((i) => i.id === match[1])
    if (!found) return json(route, 404, notFound)
    state.invitations = state.invitations.filter((i) => i !== found)
    return json(route, 204)
  }
  if (path === '/api/api-keys/') {
    if (!manager) return denied(route)
    if (method === 'GET') return json(route, 200, paged(url, state.apiKeys))
    if (!body.name) return json(route, 400, { detail: 'Invalid input.', code: 'invalid', errors: { name: ['This field is required.'] } })
    if (body.expires_at && Date.parse(body.expires_at) <= Date.now()) return json(route, 400, { detail: 'Invalid input.', code: 'invalid', errors: { expires_at: ['Choose a time in the future.'] } })
    const created = { id: `k1000000-0000-4000-8000-${String(state.apiKeys.length + 10).padStart(12, '0')}`, name: body.name, prefix: fx.newApiKey.slice(0, 11), scope: body.scope, created_at: now(), last_used_at: null, expires_at: body.expires_at ?? null }
    state.apiKeys.unshift(created)
    return json(route, 201, { ...created, key: fx.newApiKey })
  }
  match = path.match(/^\/api\/api-keys\/([^/]+)\/$/)
  if (match && method === 'DELETE') {
    if (!manager) return denied(route)
    const found = state.apiKeys.find((k) => k.id === match[1])
    if (!found) return json(route, 404, notFound)
    state.apiKeys = state.apiKeys.filter((k) => k !== found)
    return json(route, 204)
  }
  if (path === '/api/audit-log/' && method === 'GET') {
    if (!manager) return denied(route)
    const q = (name) => url.searchParams.get(name)
    const from = q('from') ? Date.parse(q('from')) : null
    const to = q('to') ? Date.parse(q('to')) : null
    if (Number.isNaN(from) || Number.isNaN(to)) return json(route, 400, { detail: 'Invalid input.', code: 'invalid', errors: { from: ['Use an ISO-8601 time.'] } })
    const list = state.audit.filter(
      (r) =>
        (!q('actor') || r.actor.id === q('actor') || r.actor.email === q('actor')) &&
        (!q('action') || r.action === q('action')) &&
        (!q('target_type') || r.target.type === q('target_type')) &&
        (!q('target_id') || r.target.id === q('target_id')) &&
        (from === null || Date.parse(r.at) >= from) &&
        (to === null || Date.parse(r.at) <= to),
    )
    return json(route, 200, paged(url, list))
  }
  return null
}

/** A JWT-shaped staff token that lives 15 minutes (the console reads its exp). */
const invalid = (route, errors) => json(route, 400, { detail: 'Invalid input.', code: 'invalid', errors })
const WEEK_MS = 7 * 86_400_000

/** Status pages, incidents, maintenance windows and the public pages (api.md "Status pages, …"); null for other paths. */
function statusApi(route, url, method, body) {
  const path = url.pathname
  const manager = state.role !== 'member'
  const now = () => new Date().toISOString()
  const id = (prefix, n) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`
  if (path === '/api/public/status/acme/' && method === 'GET') return json(route, 200, fx.publicStatus(state))
  if (/^\/api\/public\/status\/[^/]+\/$/.test(path) && method === 'GET') return json(route, 404, notFound)
  if (path === '/api/public/status/acme/subscribe/' && method === 'POST') {
    if (!EMAIL.test(body?.email || '')) return invalid(route, { email: ['Enter a valid e-mail address.'] })
    if (body.email === 'limited@example.com') return route.fulfill({ status: 429, contentType: 'application/json', headers: { 'Retry-After': '1800' }, body: JSON.stringify(limited) })
    return json(route, 202, {})
  }
  if (path === '/api/public/subscriptions/confirm/' || path === '/api/public/subscriptions/unsubscribe/') {
    return body?.token === 'good' ? json(route, 200, {}) : json(route, 400, { detail: 'The link is not valid.', code: 'invalid_token' })
  }
  if (path === '/api/status-pages/') {
    if (method === 'GET') return json(route, 200, paged(url, state.statusPages))
    if (!manager) return denied(route)
    if (!/^[a-z0-9-]{3,60}$/.test(body.slug || '')) return invalid(route, { slug: ['Use 3 to 60 of a-z, 0-9 and -.'] })
    if (state.statusPages.some((p) => p.slug === body.slug) || body.slug === 'globex') return json(route, 409, { detail: 'This slug is taken.', code: 'duplicate_slug' })
    const created = { id: id('sp', state.statusPages.length + 10), ...body, url: `${baseUrl}/status/${body.slug}` }
    state.statusPages.push(created)
    return json(route, 201, created)
  }
  let match = path.match(/^\/api\/status-pages\/([^/]+)\/(subscribers\/)?$/)
  if (match) {
    const found = state.statusPages.find((p) => p.id === match[1])
    if (!found) return json(route, 404, notFound)
    if (match[2]) return manager ? json(route, 200, paged(url, found.slug === 'acme' ? state.subscribers : [])) : denied(route)
    if (method === 'GET') return json(route, 200, found)
    if (!manager) return denied(route)
    if (method === 'PATCH') {
      Object.assign(found, body)
      return json(route, 200, found)
    }
    if (method === 'DELETE') {
      state.statusPages = state.statusPages.filter((p) => p !== found)
      return json(route, 204)
    }
  }
  if (path === '/api/incidents/') {
    if (method === 'GET') return json(route, 200, paged(url, state.incidents))
    if (!body.title) return invalid(route, { title: ['This field is required.'] })
    const created = { id: id('in', state.incidents.length + 10), title: body.title, status: body.status, impact: body.impact, endpoint_ids: body.endpoint_ids, started_at: now(), resolved_at: null, updates: [{ status: body.status, message: body.message, created_at: now() }] }
    state.incidents.unshift(created)
    return json(route, 201, created)
  }
  match = path.match(/^\/api\/incidents\/([^/]+)\/(updates\/)?$/)
  if (match) {
    const found = state.incidents.find((i) => i.id === match[1])
    if (!found) return json(route, 404, notFound)
    if (match[2] && method === 'POST') {
      found.status = body.status
      found.resolved_at = body.status === 'resolved' ? now() : null
      found.updates = [{ status: body.status, message: body.message, created_at: now() }, ...found.updates]
      return json(route, 200, found)
    }
    if (method === 'PATCH') Object.assign(found, body)
    return json(route, 200, found)
  }
  if (path === '/api/maintenances/' || /^\/api\/maintenances\/[^/]+\/$/.test(path)) {
    const found = state.maintenances.find((m) => path === `/api/maintenances/${m.id}/`)
    if (method === 'GET') return path === '/api/maintenances/' ? json(route, 200, paged(url, state.maintenances)) : found ? json(route, 200, found) : json(route, 404, notFound)
    if (method === 'DELETE') {
      state.maintenances = state.maintenances.filter((m) => m !== found)
      return json(route, 204)
    }
    const next = { ...found, ...body }
    const span = Date.parse(next.ends_at) - Date.parse(next.starts_at)
    if (!(span > 0)) return invalid(route, { ends_at: ['The end must be after the start.'] })
    if (span > WEEK_MS) return invalid(route, { ends_at: ['A window lasts at most 7 days.'] })
    if (found) {
      Object.assign(found, body)
      return json(route, 200, found)
    }
    const created = { id: id('mw', state.maintenances.length + 10), ...body }
    state.maintenances.push(created)
    return json(route, 201, created)
  }
  return null
}

function staffToken() {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'ES256', typ: 'JWT' })}.${part({ sub: 'staff-1', scope: 'staff', exp: Math.floor(Date.now() / 1000) + 900 })}.signature`
}

/** The staff routes (api.md "Staff"); null for other paths. */
function staffApi(route, url, method, body, headers) {
  const path = url.pathname
  if (!path.startsWith('/api/staff/')) return null
  if (path === '/api/staff/token/' && method === 'POST') {
    if (body.email !== 'support@statuswatch.example' || body.password !== 'Correct-Horse-9') return json(route, 401, { detail: 'Invalid e-mail or password.', code: 'invalid_credentials' })
    if (body.code !== undefined && body.code !== '123456') return json(route, 401, { detail: 'That code is not valid.', code: 'invalid_code' })
    state.staffTokenValid = true
    return json(route, 200, { access: staffToken() })
  }
  if (!/^Bearer .+\..+\..+$/.test(headers.authorization || '') || !state.staffTokenValid) return json(route, 401, { detail: 'Staff token missing or expired.', code: 'not_authenticated' })
  if (path === '/api/staff/tenants/' && method === 'GET') {
    const q = (url.searchParams.get('q') || '').toLowerCase()
    const status = url.searchParams.get('status')
    const plan = url.searchParams.get('plan')
    const list = state.staffTenants.filter((t) => (!q || t.name.toLowerCase().includes(q) || t.id === q) && (!status || t.account_status === status) && (!plan || t.plan === plan))
    return json(route, 200, paged(url, list))
  }
  const match = path.match(/^\/api\/staff\/tenants\/([^/]+)\/(suspend|reactivate)\/$/)
  if (match && method === 'POST') {
    const found = state.staffTenants.find((t) => t.id === match[1])
    if (!found) return json(route, 404, notFound)
    if (match[2] === 'suspend' && !body.reason) return json(route, 400, { detail: 'Invalid input.', code: 'invalid', errors: { reason: ['Give a reason.'] } })
    found.account_status = match[2] === 'suspend' ? 'suspended' : 'active'
    found.suspension_reason = match[2] === 'suspend' ? body.reason : null
    return json(route, 200, found)
  }
  if (path === '/api/staff/billing/confirm-bank-transfer/' && method === 'POST') {
    const tenant = state.staffTenants.find((t) => t.id === body.tenant_id)
    if (!tenant) return json(route, 404, { detail: 'No such tenant.', code: 'not_found' })
    const key = JSON.stringify({ ...body, external_payment_id: undefined })
    const before = state.payments.get(body.external_payment_id)
    if (before && before !== key) return json(route, 409, { detail: 'This payment id was recorded with other data.', code: 'payment_conflict' })
    if (body.currency !== 'usd') return json(route, 400, { detail: 'Invalid input.', code: 'invalid', errors: { currency: ['Not the currency the plans are sold in.'] } })
    state.payments.set(body.external_payment_id, key)
    Object.assign(tenant, { plan: 'pro', account_status: 'active', suspension_reason: null })
    return json(route, 200, { payment: { external_payment_id: body.external_payment_id, amount_cents: body.amount_cents, currency: body.currency }, duplicate: Boolean(before) })
  }
  const from = url.searchParams.get('from')
  const to = url.searchParams.get('to')
  if (path === '/api/staff/reports/revenue/') return json(route, 200, fx.revenueReport(from, to))
  if (path === '/api/staff/reports/churn/') return json(route, 200, fx.churnReport(from, to))
  if (path === '/api/staff/reports/usage/') return json(route, 200, fx.usageReport)
  return json(route, 404, notFound)
}

function json(route, status, body) {
  return route.fulfill({ status, contentType: 'application/json', body: body === undefined ? '' : JSON.stringify(body) })
}

async function api(route) {
  const request = route.request()
  const url = new URL(request.url())
  const path = url.pathname
  const method = request.method()
  const body = request.postDataJSON?.() ?? null
  const answered =
    staffApi(route, url, method, body, request.headers()) ??
    teamApi(route, url, method, body) ??
    statusApi(route, url, method, body) ??
    alertsApi(route, url, method, body) ??
    identityApi(route, url, method, body)
  if (answered) return answered
  if (path === '/api/auth/token/' && method === 'POST') {
    if (!body.tenant_schema) return json(route, 200, { multiple_tenants: true, tenants: fx.tenants, message: 'This e-mail belongs to more than one organisation. Choose one.' })
    if (state.twoFactorLogin) return json(route, 200, { two_factor_required: true, challenge: 'challenge-mock' })
    const tenant = fx.tenants.find((t) => t.schema === body.tenant_schema)
    return json(route, 200, { access: 'access-token', refresh: 'refresh-token', user: fx.user, tenant })
  }
  if (path === '/api/auth/logout/') return json(route, 200, {})
  if (path === '/api/auth/me/') {
    const unread = state.alerts.filter((a) => !a.read_at).length
    return json(route, 200, fx.me(state.plan, state.endpoints.length, state.limit, { role: state.role, unread, emailVerified: state.emailVerified, twoFactor: state.twoFactor }))
  }
  if (path === '/api/endpoints/' && method === 'GET') {
    return json(route, 200, { count: state.endpoints.length, next: null, previous: null, results: state.endpoints })
  }
  const match = path.match(/^\/api\/endpoints\/([^/]+)\/(checks\/|uptime\/)?$/)
  if (match) {
    const endpoint = state.endpoints.find((e) => e.id === match[1])
    if (!endpoint) return json(route, 404, { detail: 'Not found.', code: 'not_found' })
    if (match[2] === 'checks/') return json(route, 200, fx.checks(100))
    if (match[2] === 'uptime/') return json(route, 200, fx.uptime)
    if (method === 'DELETE') {
      state.endpoints = state.endpoints.filter((e) => e !== endpoint)
      return json(route, 204)
    }
    return json(route, 200, endpoint)
  }
  if (path === '/api/regions/' && method === 'GET') return json(route, 200, fx.checkerRegions)
  if (path === '/api/billing/plans/') {
    return state.plansAvailable ? json(route, 200, fx.plans) : json(route, 503, { detail: 'Billing is not configured.', code: 'billing_not_configured' })
  }
  if (path === '/api/billing/subscription/') {
    if (!state.plansAvailable) return json(route, 503, { detail: 'Billing is not configured.', code: 'billing_not_configured' })
    return json(route, 200, state.subscription ?? fx.subscription(state.plan))
  }
  if (path === '/api/billing/invoices/') {
    const results = state.plan === 'free' ? [] : fx.invoices
    return json(route, 200, { count: results.length, next: null, previous: null, results })
  }
  if (path === '/api/billing/create-checkout-session/' && method === 'POST') {
    if (!request.headers()['idempotency-key']) return json(route, 400, { detail: 'Idempotency-Key missing (mock).', code: 'invalid' })
    return json(route, 200, { url: `${baseUrl}/billing/cancel`, session_id: 'cs_test_mock' })
  }
  return json(route, 404, { detail: 'Not found.', code: 'not_found' })
}

/** Opens a page from the main navigation, whichever of its two rows is showing. */
async function openNav(page, name) {
  await page.locator('nav[aria-label="Main"]:visible').getByRole('link', { name, exact: true }).click()
}

/** Fails when the page scrolls sideways on a phone (a table or a long URL pushing it wider). */
async function assertNoSideScroll(page, width = 375) {
  const original = page.viewportSize()
  await page.setViewportSize({ width, height: 900 })
  await page.waitForTimeout(100)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  if (original) await page.setViewportSize(original)
  assert.equal(overflow, 0, `${page.url()} is ${overflow} px wider than ${width} px`)
}

const browser = await launchBrowser()
await browser.context.route('**/api/**', api)
const page = browser.context.pages()[0] ?? (await browser.context.newPage())

try {
  await test('public pages render under the production CSP', async () => {
    await page.goto(`${baseUrl}/login`)
    await page.getByRole('heading', { name: 'Sign in to StatusWatch' }).waitFor()
    await screenshots(page, shots, 'login')
    await page.goto(`${baseUrl}/register`)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByText('Choose a password.').waitFor()
    await page.getByLabel('Password', { exact: true }).fill('weakpass')
    await screenshots(page, shots, 'register-errors')
    assertNoProblems(browser.problems)
  })

  await test('tenant choice leads to the dashboard', async () => {
    await page.goto(`${baseUrl}/login`)
    await page.getByLabel('E-mail').fill('ops@acme.example')
    await page.getByLabel('Password').fill('Correct-Horse-9')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('radio', { name: 'Globex Cloud' }).waitFor()
    await screenshots(page, shots, 'login-tenants')
    await page.getByRole('radio', { name: 'Globex Cloud' }).click()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('heading', { name: 'Endpoints', exact: true }).waitFor()
    await page.locator('[data-testid="endpoint-row"]:visible').first().waitFor()
    await screenshots(page, shots, 'dashboard')
    assertNoProblems(browser.problems)
  })

  await test('the delete dialog opens and cancels', async () => {
    await page.locator('[data-testid="endpoint-row"]:visible').first().getByRole('button', { name: /^Delete/ }).click()
    await page.getByRole('alertdialog').waitFor()
    await screenshots(page, shots, 'delete-dialog', { fullPage: false })
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.getByRole('alertdialog').waitFor({ state: 'detached' })
    assertNoProblems(browser.problems)
  })

  await test('at the plan limit the add form is disabled with an upgrade prompt', async () => {
    Object.assign(state, { limit: 3, plan: 'free' })
    // After a downgrade the backend pauses the newest endpoints over the limit.
    state.endpoints = state.endpoints.map((e, i) => (i === 2 ? { ...e, paused_by_plan: true } : e))
    await page.reload()
    await page.getByTestId('upgrade-prompt').waitFor()
    assert.equal(await page.getByRole('button', { name: 'Add endpoint' }).isDisabled(), true)
    await screenshots(page, shots, 'dashboard-limit')
    assertNoProblems(browser.problems)
  })

  await test('the endpoint page shows the chart, uptime and checks', async () => {
    await page.locator('[data-testid="endpoint-row"]:visible').first().getByRole('link').first().click()
    await page.getByRole('heading', { name: 'Response time' }).waitFor()
    await page.locator('[data-testid="check-row"]:visible').first().waitFor()
    await screenshots(page, shots, 'endpoint')
    assertNoProblems(browser.problems)
  })

  await test('the endpoint page shows each region and a below-quorum failure', async () => {
    // Marketing site (fixtures): checked from 3 regions, failing in ap-south only.
    const line = page.getByTestId('quorum-line')
    assert.equal(await line.textContent(), 'failing in 1 of 3 regions — below quorum')
    assert.equal(await line.getAttribute('data-below-quorum'), 'true')
    const rows = page.locator('[data-testid="region-row"]:visible')
    assert.equal(await rows.count(), fx.REGIONS.length)
    assert.match(await rows.first().textContent(), /ap-south.*Down/)
    await page.locator('th:visible', { hasText: 'Region' }).first().waitFor()
    const form = page.getByRole('form', { name: 'Edit endpoint' })
    assert.equal(await form.getByLabel('Regions', { exact: true }).inputValue(), fx.REGIONS.join(', '))
    await form.getByLabel('Min failing regions').waitFor()
    for (const width of [375, 1280]) await assertNoSideScroll(page, width)
    assertNoProblems(browser.problems)
  })

  await test('the add form has fields per kind; heartbeat and DNS pages show their own parts', async () => {
    const saved = { endpoints: state.endpoints, limit: state.limit, plan: state.plan }
    Object.assign(state, { limit: null, plan: 'pro', endpoints: [...fx.kindEndpoints, ...saved.endpoints] })
    await page.getByRole('link', { name: /All endpoints/ }).click()
    await page.reload()
    await page.locator('[data-testid="endpoint-row"]:visible').first().waitFor()
    const form = page.getByRole('form', { name: 'Add an endpoint' })
    // The known regions under Regions (GET /api/regions/), each a button adding its name once.
    const hint = form.getByRole('group', { name: 'Known regions' })
    assert.equal((await hint.textContent()).replace(/\s+/g, ' '), 'Regions:ap-southeu-westus-eastsa-east(no live checker)')
    await hint.getByRole('button', { name: 'Add eu-west' }).click()
    await hint.getByRole('button', { name: 'Add sa-east' }).click()
    await hint.getByRole('button', { name: 'Add eu-west' }).click()
    assert.equal(await form.getByLabel('Regions', { exact: true }).inputValue(), 'eu-west, sa-east')
    await screenshots(page, shots, 'dashboard-add-regions')
    await form.getByLabel('Regions', { exact: true }).fill('')
    await form.getByLabel('Kind').selectOption('dns')
    await form.getByLabel('Host name').fill('acme.example')
    await form.getByLabel('Record type').selectOption('MX')
    await screenshots(page, shots, 'dashboard-add-dns')
    await form.getByLabel('Kind').selectOption('heartbeat')
    assert.equal(await form.getByLabel('URL').count(), 0)
    // A heartbeat is pinged, not checked from regions.
    assert.equal(await form.getByLabel('Regions', { exact: true }).count(), 0)
    assert.equal(await form.getByLabel('Min failing regions').count(), 0)
    await form.getByLabel('Grace (s)').waitFor()
    await screenshots(page, shots, 'dashboard-add-heartbeat')
    await form.getByLabel('Kind').selectOption('http')

    await page.locator('[data-testid="endpoint-row"]:visible').first().getByRole('link').first().click()
    await page.getByTestId('ping-url-card').waitFor()
    assert.equal(await page.getByTestId('regions-card').count(), 0)
    await screenshots(page, shots, 'endpoint-heartbeat')
    await page.getByRole('link', { name: /All endpoints/ }).click()
    await page.locator('[data-testid="endpoint-row"]:visible').nth(1).getByRole('link').first().click()
    await page.getByTestId('dns-target').waitFor()
    await screenshots(page, shots, 'endpoint-dns')
    Object.assign(state, saved)
    await page.getByRole('link', { name: /All endpoints/ }).click()
    await page.reload()
    await page.locator('[data-testid="endpoint-row"]:visible').first().waitFor()
    assertNoProblems(browser.problems)
  })

  await test('billing lists plans, or says billing is not configured', async () => {
    await page.getByRole('link', { name: 'Billing' }).click()
    await page.getByTestId('plan-card').first().waitFor()
    await page.getByTestId('billing-test-mode').waitFor()
    await screenshots(page, shots, 'billing-free')
    // Upgrade leaves for the "checkout" (here the app's own cancel page).
    await page.getByRole('button', { name: 'Upgrade to Pro' }).click()
    await page.waitForURL('**/billing/cancel')
    await page.getByRole('heading', { name: 'Checkout cancelled' }).waitFor()
    await screenshots(page, shots, 'billing-cancel')
    await page.goto(`${baseUrl}/billing/success?session_id=cs_test_a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6`)
    await page.getByRole('heading', { name: 'Payment received' }).waitFor()
    await screenshots(page, shots, 'billing-success')
    Object.assign(state, { plan: 'pro', limit: -1 })
    await page.getByRole('heading', { name: 'You are on the Pro plan' }).waitFor({ timeout: 10_000 })
    await screenshots(page, shots, 'billing-success-confirmed')
    state.subscription = fx.subscription('pro', { status: 'past_due', cancel_at_period_end: true })
    await page.goto(`${baseUrl}/billing`)
    await page.getByTestId('billing-past-due').waitFor()
    await page.getByTestId('invoice-row').first().waitFor()
    await screenshots(page, shots, 'billing-pro-past-due')
    state.subscription = null
    await page.reload()
    await page.getByTestId('invoice-row').first().waitFor()
    await screenshots(page, shots, 'billing')
    state.plansAvailable = false
    await page.reload()
    await page.getByTestId('billing-not-configured').waitFor()
    await screenshots(page, shots, 'billing-unconfigured')
    // The 503 itself is logged by Chromium as a failed resource; that one is expected here.
    const unexpected = browser.problems.filter((p) => !/status of 503/.test(p))
    assertNoProblems(unexpected)
  })

  await test('alerts: the bell counts unread, the list filters, marks read and resolves', async () => {
    state.plansAvailable = true
    const start = browser.problems.length
    await page.goto(`${baseUrl}/dashboard`)
    const unread = state.alerts.filter((a) => !a.read_at).length
    await page.getByRole('link', { name: `Alerts, ${unread} unread` }).waitFor()
    await page.getByRole('link', { name: 'Alerts', exact: true }).click()
    await page.waitForURL('**/alerts')
    await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor()
    await page.getByTestId('alert-row').first().waitFor()
    assert.equal(await page.getByTestId('alert-row').count(), state.alerts.length)
    await screenshots(page, shots, 'alerts')
    await assertNoSideScroll(page)
    await page.getByRole('checkbox', { name: 'Unread only' }).check()
    await page.waitForURL(/unread=true/)
    await page.locator('[data-testid="alert-row"]:not([data-unread])').first().waitFor({ state: 'detached' })
    await screenshots(page, shots, 'alerts-unread')
    await assertNoSideScroll(page)
    await page.getByTestId('alert-row').first().getByRole('button', { name: 'Mark read' }).click()
    await page.getByRole('link', { name: `Alerts, ${unread - 1} unread` }).waitFor()
    await page.getByLabel('Type').selectOption('certificate_expiring')
    await page.getByTestId('alert-row').first().getByRole('button', { name: 'Resolve' }).click()
    await page.getByTestId('alert-row').first().getByTestId('alert-resolved').waitFor()
    await page.getByRole('button', { name: 'Mark all read' }).click()
    await page.getByText(/Marked \d+ alerts? as read\./).waitFor()
    await page.getByRole('link', { name: 'Alerts, none unread' }).waitFor()
    await page.getByTestId('alerts-empty').waitFor()
    await screenshots(page, shots, 'alerts-all-read')
    // An alert links to its endpoint's page.
    await page.goto(`${baseUrl}/alerts`)
    await page.getByTestId('alert-row').first().getByRole('link', { name: 'View endpoint' }).click()
    await page.waitForURL('**/endpoints/**')
    await page.getByRole('heading', { name: 'Response time' }).waitFor()
    assertNoProblems(browser.problems, start)
  })

  await test('notifications: channels, a webhook secret shown once, test, settings, log', async () => {
    const start = browser.problems.length
    await page.getByRole('link', { name: 'Notifications', exact: true }).click()
    await page.waitForURL('**/notifications')
    await page.locator('[data-testid="channel-row"]').first().waitFor()
    await page.locator('[data-testid="delivery-row"]:visible').first().waitFor()
    await screenshots(page, shots, 'notifications')
    await assertNoSideScroll(page)

    const form = page.getByRole('form', { name: 'Add a channel' })
    await form.getByLabel('Kind').selectOption('webhook')
    await form.getByLabel('Name').fill('Status relay')
    await form.getByLabel('Webhook URL').fill('http://relay.acme.example/hook')
    await form.getByRole('checkbox', { name: 'Payment failed' }).uncheck()
    await form.getByRole('button', { name: 'Add channel' }).click()
    await form.getByText('Use a public https:// URL.').waitFor()
    await screenshots(page, shots, 'notifications-field-error')
    await form.getByLabel('Webhook URL').fill('https://relay.acme.example/hook')
    await form.getByRole('button', { name: 'Add channel' }).click()
    const secret = page.getByTestId('webhook-secret')
    await secret.waitFor()
    assert.match(await secret.getByLabel('Webhook signing secret').inputValue(), /^whsec_/)
    await page.locator('[data-testid="channel-row"]', { hasText: 'Status relay' }).waitFor()
    await screenshots(page, shots, 'notifications-secret')
    await assertNoSideScroll(page)
    await secret.getByRole('button', { name: 'Done' }).click()
    await secret.waitFor({ state: 'detached' })

    const row = page.locator('[data-testid="channel-row"]', { hasText: '#ops-alerts' })
    await row.getByRole('button', { name: 'Send test' }).click()
    await row.getByText('Test sent').waitFor()
    await row.getByRole('button', { name: 'Edit' }).click()
    await page.getByRole('form', { name: 'Edit #ops-alerts' }).waitFor()
    await screenshots(page, shots, 'notifications-edit')
    await assertNoSideScroll(page)
    await page.getByRole('form', { name: 'Edit #ops-alerts' }).getByRole('button', { name: 'Cancel' }).click()

    await page.locator('[data-testid="channel-row"]', { hasText: 'Status relay' }).getByRole('button', { name: 'Delete Status relay' }).click()
    await page.getByRole('alertdialog').waitFor()
    await screenshots(page, shots, 'notifications-delete', { fullPage: false })
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('alertdialog').waitFor({ state: 'detached' })
    await page.locator('[data-testid="channel-row"]', { hasText: 'Status relay' }).waitFor({ state: 'detached' })

    await page.getByLabel('Debounce (minutes)').fill('2000')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Use 0 to 1,440 minutes.').waitFor()
    await page.getByLabel('Debounce (minutes)').fill('30')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Settings saved.').waitFor()
    assert.equal(state.settings.debounce_minutes, 30)

    await page.getByTestId('delivery-log').getByLabel('Channel').selectOption({ label: '#ops-alerts' })
    await page.locator('[data-testid="delivery-row"]:visible', { hasText: 'Test' }).first().waitFor()
    // The refused http:// webhook (400) is logged by Chromium as a failed resource; that one is expected.
    assertNoProblems(browser.problems.slice(start).filter((p) => !/status of 400 .*\/api\/notifications\/channels\//.test(p)))
  })

  await test('notifications: a member reads, without the controls', async () => {
    const start = browser.problems.length
    state.role = 'member'
    await page.reload()
    await page.getByTestId('notifications-read-only').waitFor()
    await page.locator('[data-testid="channel-row"]').first().waitFor()
    assert.equal(await page.getByRole('form', { name: 'Add a channel' }).count(), 0)
    assert.equal(await page.getByRole('button', { name: 'Send test' }).count(), 0)
    assert.equal(await page.getByLabel('Debounce (minutes)').isDisabled(), true)
    await screenshots(page, shots, 'notifications-member')
    await assertNoSideScroll(page)
    state.role = 'owner'
    assertNoProblems(browser.problems, start)
  })

  await test('identity: verification banner, security settings, two-factor set-up and off', async () => {
    const start = browser.problems.length
    state.emailVerified = false
    await page.goto(`${baseUrl}/dashboard`)
    const banner = page.getByTestId('verify-email-banner')
    await banner.waitFor()
    await page.locator('[data-testid="endpoint-row"]:visible').first().waitFor()
    await screenshots(page, shots, 'verify-banner')
    await assertNoSideScroll(page)
    await banner.getByRole('button', { name: 'Resend e-mail' }).click()
    await banner.getByText(/A new link is on its way/).waitFor()
    await screenshots(page, shots, 'verify-banner-sent')

    await openNav(page, 'Settings')
    await page.waitForURL('**/settings/team')
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Security' }).click()
    await page.waitForURL('**/settings/security')
    await page.getByTestId('two-factor-status').filter({ hasText: 'Off' }).waitFor()
    await screenshots(page, shots, 'security')
    await assertNoSideScroll(page)
    await page.getByRole('button', { name: 'Enable two-factor' }).click()
    await page.getByTestId('qr-code').waitFor()
    assert.equal(await page.getByTestId('qr-code').evaluate((img) => img.complete && img.naturalWidth > 0), true)
    await page.getByLabel('Code from the app').fill('000000')
    await page.getByRole('button', { name: 'Turn on two-factor' }).click()
    await page.getByText(/That code did not match/).waitFor()
    await screenshots(page, shots, 'security-setup')
    await assertNoSideScroll(page)
    await page.getByLabel('Code from the app').fill('123456')
    await page.getByRole('button', { name: 'Turn on two-factor' }).click()
    await page.getByTestId('recovery-codes').waitFor()
    await screenshots(page, shots, 'security-recovery-codes')
    await assertNoSideScroll(page)
    await page.getByRole('button', { name: 'I have saved my codes' }).click()
    await page.getByTestId('two-factor-status').filter({ hasText: 'On' }).waitFor()
    await page.getByRole('button', { name: 'Turn off…' }).click()
    const off = page.getByRole('form', { name: 'Turn off two-factor' })
    await off.getByLabel('Password').fill('wrong-password')
    await off.getByLabel('Code').fill('123456')
    await off.getByRole('button', { name: 'Turn off two-factor' }).click()
    await off.getByText('That password is not right.').waitFor()
    await screenshots(page, shots, 'security-disable')
    await assertNoSideScroll(page)
    // Still signed in after that 401.
    assert.match(page.url(), /\/settings\/security$/)
    await off.getByLabel('Password').fill('Correct-Horse-9')
    await off.getByRole('button', { name: 'Turn off two-factor' }).click()
    await page.getByText(/Two-factor authentication is off/).waitFor()

    // The verification link, signed in: the banner is gone afterwards.
    await page.goto(`${baseUrl}/verify-email?token=good`)
    await page.getByTestId('email-verified').waitFor()
    await screenshots(page, shots, 'verify-email-success')
    await page.getByRole('link', { name: 'Go to the dashboard' }).click()
    await page.getByRole('heading', { name: 'Endpoints', exact: true }).waitFor()
    await page.locator('[data-testid="endpoint-row"]:visible').first().waitFor()
    assert.equal(await banner.count(), 0)
    // 400 (the bad token), 401 (the wrong password) are logged by Chromium as failed resources; those are expected.
    assertNoProblems(browser.problems.slice(start).filter((p) => !/status of (400|401) /.test(p)))
  })

  await test('team: members, a role change, last_owner, invitations (already_member, email_not_verified), revoke, remove', async () => {
    const start = browser.problems.length
    await openNav(page, 'Settings')
    await page.waitForURL('**/settings/team')
    await page.getByRole('heading', { name: 'Team', exact: true }).waitFor()
    await page.locator('[data-testid="member-row"]:visible').first().waitFor()
    assert.equal(await page.locator('[data-testid="member-row"]:visible').count(), state.members.length)
    await page.locator('[data-testid="invitation-row"]').first().waitFor()
    await screenshots(page, shots, 'team')
    await assertNoSideScroll(page)

    // An owner promotes a member; the only owner cannot step down (409 last_owner).
    await page.getByLabel('Role of li.wei@acme.example').locator('visible=true').selectOption('admin')
    await page.getByText('li.wei@acme.example is now an admin.').waitFor()
    assert.equal(state.members.find((m) => m.email === 'li.wei@acme.example').role, 'admin')
    await page.getByLabel(`Role of ${fx.user.email}`).locator('visible=true').selectOption('member')
    await page.locator('[data-testid="member-error"]:visible', { hasText: 'You are the only owner' }).waitFor()
    assert.equal(await page.getByLabel(`Role of ${fx.user.email}`).locator('visible=true').inputValue(), 'owner')
    await screenshots(page, shots, 'team-last-owner')
    await assertNoSideScroll(page)

    const invite = page.getByRole('form', { name: 'Invite someone' })
    await invite.getByLabel('E-mail address').fill('dana.whitfield@acme.example')
    await invite.getByRole('button', { name: 'Send invitation' }).click()
    await invite.getByText('dana.whitfield@acme.example is already a member of this organisation.').waitFor()
    await screenshots(page, shots, 'team-already-member')
    state.emailVerified = false
    await invite.getByLabel('E-mail address').fill('new.hire@acme.example')
    await invite.getByRole('button', { name: 'Send invitation' }).click()
    await page.getByTestId('invite-verify-first').waitFor()
    await screenshots(page, shots, 'team-verify-first')
    await assertNoSideScroll(page)
    state.emailVerified = true
    await invite.getByLabel('Role').selectOption('admin')
    await invite.getByRole('button', { name: 'Send invitation' }).click()
    await invite.getByText(/Invitation sent to new\.hire@acme\.example to join as an admin/).waitFor()
    await page.locator('[data-testid="invitation-row"]', { hasText: 'new.hire@acme.example' }).waitFor()
    await screenshots(page, shots, 'team-invited')

    await page.getByRole('button', { name: 'Revoke the invitation of qa-team@acme.example' }).click()
    await page.getByRole('alertdialog').waitFor()
    await screenshots(page, shots, 'team-revoke', { fullPage: false })
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click()
    await page.locator('[data-testid="invitation-row"]', { hasText: 'qa-team@acme.example' }).waitFor({ state: 'detached' })

    const contractor = 'contractor-with-a-long-address@partners.acme-robotics.example'
    await page.getByRole('button', { name: `Remove ${contractor}` }).locator('visible=true').click()
    await page.getByRole('alertdialog').waitFor()
    await screenshots(page, shots, 'team-remove', { fullPage: false })
    await page.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click()
    await page.getByText(`${contractor} was removed.`, { exact: false }).waitFor()
    assert.equal(state.members.some((m) => m.email === contractor), false)
    // 409 (last owner, already a member) and 403 (unverified inviter) are expected failed resources here.
    assertNoProblems(browser.problems.slice(start).filter((p) => !/status of (403|409) /.test(p)))
  })

  await test('api keys: create shows the key once with a copy button, revoke with a confirmation', async () => {
    const start = browser.problems.length
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API keys' }).click()
    await page.waitForURL('**/settings/api-keys')
    await page.locator('[data-testid="api-key-row"]:visible').first().waitFor()
    await screenshots(page, shots, 'api-keys')
    await assertNoSideScroll(page)
    const form = page.getByRole('form', { name: 'Create an API key' })
    await form.getByRole('button', { name: 'Create key' }).click()
    await form.getByText('Give the key a name.').waitFor()
    await form.getByLabel('Name').fill('Terraform provider')
    await form.getByRole('radio', { name: /Write/ }).check()
    const future = new Date(Date.now() + 90 * 86_400_000)
    await form.getByLabel('Expires on (optional)').fill(future.toISOString().slice(0, 10))
    await form.getByRole('button', { name: 'Create key' }).click()
    const notice = page.getByTestId('new-api-key')
    await notice.waitFor()
    assert.equal(await notice.getByLabel('New API key').inputValue(), fx.newApiKey)
    await notice.getByText('you will not see it again').waitFor()
    await page.locator('[data-testid="api-key-row"]:visible', { hasText: 'Terraform provider' }).waitFor()
    await screenshots(page, shots, 'api-keys-created')
    await assertNoSideScroll(page)
    await notice.getByRole('button', { name: 'Done' }).click()
    await notice.waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Revoke Old status script' }).locator('visible=true').click()
    await page.getByRole('alertdialog').waitFor()
    await screenshots(page, shots, 'api-keys-revoke', { fullPage: false })
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click()
    await page.locator('[data-testid="api-key-row"]:visible', { hasText: 'Old status script' }).waitFor({ state: 'detached' })
    assertNoProblems(browser.problems, start)
  })

  await test('audit log: rows, the before/after diff, filters in the URL, pages', async () => {
    const start = browser.problems.length
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Audit log' }).click()
    await page.waitForURL('**/audit-log')
    await page.locator('[data-testid="audit-row"]:visible').first().waitFor()
    assert.equal(await page.locator('[data-testid="audit-row"]:visible').count(), 20)
    await screenshots(page, shots, 'audit-log')
    await assertNoSideScroll(page)
    const row = page.locator('[data-testid="audit-row"]:visible', { hasText: 'endpoint.updated' })
    await row.getByRole('button', { name: /Show the changes of endpoint\.updated/ }).click()
    const details = page.locator('[data-testid="audit-details"]:visible')
    await details.waitFor()
    assert.equal(await details.locator('[data-testid="diff-row"][data-kind="changed"]').count(), 4)
    await details.getByRole('button', { name: /Show 1 unchanged field/ }).click()
    await details.getByText('Raw JSON').click()
    await screenshots(page, shots, 'audit-log-diff')
    await assertNoSideScroll(page)
    await details.getByRole('button', { name: 'Only this actor' }).click()
    await page.waitForURL(/actor=k1000000/)
    await page.getByText('1–1 of 1').waitFor()
    assert.equal(await page.locator('[data-testid="audit-row"]:visible').count(), 1)
    const filters = page.getByRole('form', { name: 'Filter the audit log' })
    await filters.getByRole('button', { name: 'Clear filters' }).click()
    await filters.getByLabel('Action').fill('member.role_changed')
    await filters.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL(/action=member\.role_changed/)
    await page.locator('[data-testid="audit-row"]:visible', { hasText: 'member.role_changed' }).waitFor()
    await screenshots(page, shots, 'audit-log-filtered')
    await filters.getByRole('button', { name: 'Clear filters' }).click()
    await page.waitForURL((url) => !url.search.includes('action='))
    await page.getByRole('navigation', { name: 'Audit log pages' }).getByRole('button', { name: 'Next' }).click()
    await page.waitForURL(/page=2/)
    await page.getByText(`21–${state.audit.length} of ${state.audit.length}`).waitFor()
    await screenshots(page, shots, 'audit-log-page-2')
    await assertNoSideScroll(page)
    assertNoProblems(browser.problems, start)
  })

  await test('status: incidents (open, update, resolve, report), maintenance (schedule, 7-day limit, edit, cancel)', async () => {
    const start = browser.problems.length
    await page.goto(`${baseUrl}/dashboard`)
    await openNav(page, 'Status')
    await page.waitForURL('**/incidents')
    await page.getByRole('heading', { name: 'Incidents', exact: true }).waitFor()
    const row = page.getByTestId('incident-row').filter({ hasText: 'Public API is not answering' })
    await row.getByRole('button', { name: /^Open / }).click()
    const detail = row.getByTestId('incident-detail')
    await detail.waitFor()
    await detail.getByText('Public API', { exact: true }).waitFor()
    await detail.getByLabel('Impact of Public API is not answering').selectOption('critical')
    await row.getByText('Critical impact').waitFor()
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshots(page, shots, 'incidents')
    await assertNoSideScroll(page)
    const update = detail.getByRole('form', { name: 'Add an update' })
    await update.getByLabel('Status').selectOption('monitoring')
    await update.getByLabel('Update message').fill('Connections are back; watching the error rate.')
    await update.getByRole('button', { name: 'Post update' }).click()
    await row.getByTestId('incident-update').filter({ hasText: 'watching the error rate' }).waitFor()
    await detail.getByRole('button', { name: 'Resolve' }).click()
    await row.getByTestId('incident-status').filter({ hasText: 'Resolved' }).waitFor()
    await screenshots(page, shots, 'incident-resolved')
    await page.getByRole('button', { name: 'Report an incident' }).click()
    const report = page.getByRole('form', { name: 'Report an incident' })
    await report.getByLabel('Title').fill('Login e-mails are delayed')
    await report.getByLabel('Impact').selectOption('minor')
    await report.getByLabel('Message').fill('Our mail provider reports a backlog.')
    await report.getByRole('checkbox', { name: /Marketing site/ }).check()
    await screenshots(page, shots, 'incident-report')
    await assertNoSideScroll(page)
    await report.getByRole('button', { name: 'Report incident' }).click()
    await page.getByTestId('incident-detail').filter({ hasText: 'Our mail provider reports a backlog.' }).waitFor()

    await page.getByRole('navigation', { name: 'Status' }).getByRole('link', { name: 'Maintenance' }).click()
    await page.waitForURL('**/maintenances')
    await page.getByTestId('maintenance-row').first().waitFor()
    const form = page.getByRole('form', { name: 'Schedule maintenance' })
    await form.getByLabel('Title').fill('Load balancer replacement')
    await form.getByLabel('Starts').fill('2099-05-01T22:00')
    await form.getByLabel('Ends').fill('2099-05-10T02:00')
    await form.getByRole('button', { name: 'Schedule' }).click()
    await form.getByText('A window lasts at most 7 days.').waitFor()
    await screenshots(page, shots, 'maintenance-invalid')
    await form.getByLabel('Ends').fill('2099-05-02T02:00')
    await form.getByRole('checkbox', { name: /Public API/ }).check()
    await form.getByRole('button', { name: 'Schedule' }).click()
    await page.getByTestId('maintenance-row').filter({ hasText: 'Load balancer replacement' }).waitFor()
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshots(page, shots, 'maintenances')
    await assertNoSideScroll(page)
    const first = page.getByTestId('maintenance-row').filter({ hasText: 'Database upgrade' })
    await first.getByRole('button', { name: 'Edit' }).click()
    const edit = page.getByRole('form', { name: 'Edit the maintenance window' })
    await edit.getByLabel('Title').fill('Database upgrade to PostgreSQL 17.2')
    await edit.getByRole('button', { name: 'Save window' }).click()
    await page.getByTestId('maintenance-row').filter({ hasText: 'PostgreSQL 17.2' }).waitFor()
    await page.getByTestId('maintenance-row').filter({ hasText: 'Load balancer replacement' }).getByRole('button', { name: 'Cancel window' }).click()
    await page.getByRole('alertdialog').waitFor()
    await screenshots(page, shots, 'maintenance-cancel', { fullPage: false })
    await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, cancel it' }).click()
    await page.getByTestId('maintenance-row').filter({ hasText: 'Load balancer replacement' }).waitFor({ state: 'detached' })
    // The 400 of the over-long window is expected.
    assertNoProblems(browser.problems.slice(start).filter((p) => !/status of 400 /.test(p)))
  })

  await test('status pages: list, create (duplicate_slug), edit, subscribers, the public link; a member reads', async () => {
    const start = browser.problems.length
    await page.getByRole('navigation', { name: 'Status' }).getByRole('link', { name: 'Status pages' }).click()
    await page.waitForURL('**/status-pages')
    await page.getByTestId('status-page-row').first().waitFor()
    const acme = page.getByTestId('status-page-row').filter({ hasText: 'Acme Cloud status' })
    await acme.getByRole('button', { name: 'Subscribers' }).click()
    await page.getByTestId('subscriber-row').first().waitFor()
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshots(page, shots, 'status-pages')
    await assertNoSideScroll(page)
    const form = page.getByRole('form', { name: 'Create a status page' })
    await form.getByLabel('Title').fill('Globex status')
    await form.getByLabel('Address').fill('globex')
    await form.getByRole('checkbox', { name: /Public API/ }).check()
    await form.getByRole('button', { name: 'Create page' }).click()
    await form.getByText(/This address is taken/).waitFor()
    await screenshots(page, shots, 'status-pages-duplicate')
    await form.getByLabel('Address').fill('globex-cloud')
    await form.getByRole('button', { name: 'Create page' }).click()
    await page.getByTestId('status-page-row').filter({ hasText: 'Globex status' }).waitFor()
    await page.getByTestId('status-page-row').filter({ hasText: 'Internal tools' }).getByRole('button', { name: 'Edit' }).click()
    const edit = page.getByRole('form', { name: 'Edit the status page' })
    await edit.getByText('Public: visible to anyone with the link').click()
    await edit.getByRole('button', { name: 'Save page' }).click()
    await page.getByRole('form', { name: 'Create a status page' }).waitFor()
    assert.equal(state.statusPages.find((p) => p.title === 'Internal tools').public, true)
    const link = acme.getByRole('link', { name: '/status/acme' })
    assert.equal(await link.getAttribute('href'), '/status/acme')

    state.role = 'member'
    await page.reload()
    await page.getByTestId('status-pages-read-only').waitFor()
    await page.getByTestId('status-page-row').first().waitFor()
    assert.equal(await page.getByRole('form', { name: 'Create a status page' }).count(), 0)
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshots(page, shots, 'status-pages-member')
    await assertNoSideScroll(page)
    state.role = 'owner'
    assertNoProblems(browser.problems.slice(start).filter((p) => !/status of 409 /.test(p)))
  })

  await test('team, API keys, audit log: a member reads the team and is told the rest is for owners and admins', async () => {
    const start = browser.problems.length
    state.role = 'member'
    await page.goto(`${baseUrl}/settings/team`)
    await page.getByTestId('team-read-only').waitFor()
    await page.locator('[data-testid="member-row"]:visible').first().waitFor()
    assert.equal(await page.getByRole('form', { name: 'Invite someone' }).count(), 0)
    assert.equal(await page.locator('select[aria-label^="Role of"]').count(), 0)
    const tabs = page.getByRole('navigation', { name: 'Settings' })
    assert.equal(await tabs.getByRole('link', { name: 'API keys' }).count(), 0)
    assert.equal(await tabs.getByRole('link', { name: 'Audit log' }).count(), 0)
    await screenshots(page, shots, 'team-member')
    await assertNoSideScroll(page)
    await page.goto(`${baseUrl}/settings/api-keys`)
    await page.getByTestId('api-keys-denied').waitFor()
    await screenshots(page, shots, 'api-keys-member')
    await page.goto(`${baseUrl}/audit-log`)
    await page.getByTestId('audit-denied').waitFor()
    await screenshots(page, shots, 'audit-log-member')
    await assertNoSideScroll(page)
    state.role = 'owner'
    assertNoProblems(browser.problems, start)
  })

  await test('logout returns to the sign-in page', async () => {
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByRole('heading', { name: 'Sign in to StatusWatch' }).waitFor()
  })
  await test('identity, signed out: sign-up notice, two-factor sign-in, reset and verification links', async () => {
    const start = browser.problems.length
    await page.goto(`${baseUrl}/register`)
    await page.getByLabel('Organisation name').fill('Initech')
    await page.getByLabel('Work e-mail').fill('peter@initech.example')
    await page.getByLabel('Password', { exact: true }).fill('Correct-Horse-9')
    await page.getByLabel('Confirm password').fill('Correct-Horse-9')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL('**/login?notice=registered')
    await page.getByTestId('login-notice').waitFor()
    await screenshots(page, shots, 'login-registered')

    state.twoFactorLogin = true
    await page.getByLabel('E-mail').fill('ops@acme.example')
    await page.getByLabel('Password').fill('Correct-Horse-9')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('radio', { name: 'Acme Robotics' }).click()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByLabel('Authentication code').fill('000000')
    await page.getByRole('button', { name: 'Verify and sign in' }).click()
    await page.getByText(/That code is not valid/).waitFor()
    await screenshots(page, shots, 'login-two-factor')
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click()
    await page.getByLabel('Recovery code').fill('k7m2q-x9p4d')
    await screenshots(page, shots, 'login-recovery-code')
    await page.getByRole('button', { name: 'Verify and sign in' }).click()
    await page.getByRole('heading', { name: 'Endpoints', exact: true }).waitFor()
    state.twoFactorLogin = false
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByRole('heading', { name: 'Sign in to StatusWatch' }).waitFor()

    await page.getByRole('link', { name: 'Forgot password?' }).click()
    await page.waitForURL('**/forgot-password')
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor()
    await screenshots(page, shots, 'forgot-password')
    await page.getByLabel('E-mail').fill('flood@acme.example')
    await page.getByRole('button', { name: 'Send reset link' }).click()
    await page.getByText('Try again in 30 minutes.', { exact: false }).waitFor()
    await page.getByLabel('E-mail').fill('ops@acme.example')
    await page.getByRole('button', { name: 'Send reset link' }).click()
    await page.getByTestId('reset-requested').waitFor()
    await screenshots(page, shots, 'forgot-password-sent')

    await page.goto(`${baseUrl}/reset-password?token=fresh`)
    await page.getByLabel('New password', { exact: true }).fill('short')
    await page.getByLabel('Confirm new password').fill('x')
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByText('Use at least 12 characters.').waitFor()
    await screenshots(page, shots, 'reset-password-errors')
    await page.getByLabel('New password', { exact: true }).fill('New-Correct-Horse-7')
    await page.getByLabel('Confirm new password').fill('New-Correct-Horse-7')
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByTestId('password-changed').waitFor()
    await screenshots(page, shots, 'reset-password-done')
    await page.getByRole('link', { name: 'Sign in' }).click()
    await page.getByTestId('login-notice').waitFor()
    await page.goto(`${baseUrl}/reset-password?token=expired`)
    await page.getByLabel('New password', { exact: true }).fill('New-Correct-Horse-7')
    await page.getByLabel('Confirm new password').fill('New-Correct-Horse-7')
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByTestId('reset-link-problem').waitFor()
    await screenshots(page, shots, 'reset-password-expired')

    await page.goto(`${baseUrl}/verify-email?token=expired`)
    await page.getByTestId('verify-link-problem').waitFor()
    await screenshots(page, shots, 'verify-email-expired')
    await page.goto(`${baseUrl}/verify-email?token=good`)
    await page.getByTestId('email-verified').waitFor()
    await screenshots(page, shots, 'verify-email-success-signed-out')
    // 400 (the bad tokens), 401 (the wrong code) and 429 (the flood) are expected failed resources here.
    assertNoProblems(browser.problems.slice(start).filter((p) => !/status of (400|401|429) /.test(p)))
  })
  await test('public status page: components with 90-day bars, incidents, maintenance, subscribe (202, 429), confirm, unsubscribe, unknown slug', async () => {
    const start = browser.problems.length
    await page.goto(`${baseUrl}/status/acme`)
    await page.getByRole('heading', { name: 'Acme Cloud status' }).waitFor()
    await page.getByTestId('public-component').first().waitFor()
    assert.equal(await page.getByTestId('public-component').first().locator('rect').count(), 90)
    await page.getByTestId('public-incident').first().waitFor()
    await page.getByTestId('public-maintenance').first().waitFor()
    await screenshots(page, shots, 'public-status')
    await assertNoSideScroll(page)
    const form = page.getByRole('form', { name: 'Subscribe' })
    await form.getByLabel('E-mail').fill('limited@example.com')
    await form.getByRole('button', { name: 'Subscribe' }).click()
    await page.getByText(/Too many requests for this address\. Try again in 30 minutes/).waitFor()
    await form.getByLabel('E-mail').fill('reader@example.com')
    await form.getByRole('button', { name: 'Subscribe' }).click()
    await page.getByTestId('subscribe-sent').waitFor()
    await screenshots(page, shots, 'public-status-subscribed')
    await page.goto(`${baseUrl}/status/acme/confirm?token=good`)
    await page.getByTestId('subscription-done').waitFor()
    await screenshots(page, shots, 'public-status-confirmed')
    await assertNoSideScroll(page)
    await page.goto(`${baseUrl}/status/acme/confirm?token=spent`)
    await page.getByText('This confirmation link cannot be used').waitFor()
    await page.goto(`${baseUrl}/status/acme/unsubscribe?token=good`)
    await page.getByRole('button', { name: 'Unsubscribe' }).click()
    await page.getByTestId('subscription-done').waitFor()
    await screenshots(page, shots, 'public-status-unsubscribed')
    await page.goto(`${baseUrl}/status/no-such-page`)
    await page.getByTestId('status-not-found').waitFor()
    await screenshots(page, shots, 'public-status-not-found')
    await assertNoSideScroll(page)
    // The 429, the spent token's 400 and the unknown slug's 404 are expected failed resources.
    assertNoProblems(browser.problems.slice(start).filter((p) => !/status of (400|404|429) /.test(p)))
  })

  await test('accept an invitation: the password policy, then sign-in with a notice; an expired link', async () => {
    const start = browser.problems.length
    await page.goto(`${baseUrl}/invitations/accept?token=good`)
    await page.getByRole('heading', { name: 'Join your team on StatusWatch' }).waitFor()
    await page.getByLabel('Password', { exact: true }).fill('short')
    await page.getByLabel('Confirm password').fill('x')
    await page.getByRole('button', { name: 'Accept and create account' }).click()
    await page.getByText('Use at least 12 characters.').waitFor()
    await screenshots(page, shots, 'invitation-accept-errors')
    await page.getByLabel('Password', { exact: true }).fill('Correct-Horse-9')
    await page.getByLabel('Confirm password').fill('Correct-Horse-9')
    await page.getByRole('button', { name: 'Accept and create account' }).click()
    await page.waitForURL('**/login?notice=invitation_accepted')
    await page.getByTestId('login-notice').filter({ hasText: 'Welcome to the team' }).waitFor()
    await screenshots(page, shots, 'login-invitation-accepted')
    await page.goto(`${baseUrl}/invitations/accept?token=expired`)
    await page.getByLabel('Password', { exact: true }).fill('Correct-Horse-9')
    await page.getByLabel('Confirm password').fill('Correct-Horse-9')
    await page.getByRole('button', { name: 'Accept and create account' }).click()
    await page.getByTestId('invitation-link-problem').waitFor()
    await screenshots(page, shots, 'invitation-expired')
    assertNoProblems(browser.problems.slice(start).filter((p) => !/status of 400 /.test(p)))
  })

  await test('staff console: sign-in, tenants (filters, suspend, reactivate), bank transfer (payment_conflict), reports, 401 back to sign-in', async () => {
    const start = browser.problems.length
    await page.goto(`${baseUrl}/staff/tenants`)
    await page.waitForURL('**/staff/login?redirect=**')
    await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor()
    await page.getByLabel('E-mail').fill('support@statuswatch.example')
    await page.getByLabel('Password').fill('wrong-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('Invalid e-mail or password.').waitFor()
    await screenshots(page, shots, 'staff-login')
    await page.getByLabel('Password').fill('Correct-Horse-9')
    await page.getByLabel('Authentication code').fill('123456')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/staff/tenants')
    await page.locator('[data-testid="tenant-row"]:visible').first().waitFor()
    assert.equal(await page.locator('[data-testid="tenant-row"]:visible').count(), state.staffTenants.length)
    // The tenant session and its store are untouched by the staff sign-in.
    assert.equal(await page.evaluate(() => localStorage.getItem('statuswatch.staff-session')), null)
    await screenshots(page, shots, 'staff-tenants')
    await assertNoSideScroll(page)

    await page.getByLabel('Status').selectOption('suspended')
    await page.waitForURL(/status=suspended/)
    await page.getByText('1–1 of 1').waitFor()
    assert.equal(await page.locator('[data-testid="tenant-row"]:visible').count(), 1)
    await page.getByRole('button', { name: /^Reactivate Umbrella/ }).locator('visible=true').click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Reactivate' }).click()
    await page.getByText(/is active again/).waitFor()
    await page.getByLabel('Status').selectOption('')
    await page.getByLabel('Search').fill('initech')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    await page.waitForURL(/q=initech/)
    await page.getByRole('button', { name: 'Suspend Initech' }).locator('visible=true').click()
    const dialog = page.getByRole('alertdialog')
    await dialog.getByRole('button', { name: 'Suspend' }).click()
    await dialog.getByText(/Say why/).waitFor()
    await dialog.getByLabel('Reason').fill('Invoices unpaid since March; card declined three times.')
    await screenshots(page, shots, 'staff-suspend', { fullPage: false })
    await dialog.getByRole('button', { name: 'Suspend' }).click()
    await page.getByText('Initech is suspended from its next request.').waitFor()
    await page.locator('[data-testid="suspension-reason"]:visible', { hasText: 'Invoices unpaid since March' }).waitFor()
    assert.equal(state.staffTenants.find((t) => t.name === 'Initech').account_status, 'suspended')

    await page.getByRole('link', { name: 'Record a bank transfer for Initech' }).locator('visible=true').click()
    await page.waitForURL('**/staff/bank-transfer?tenant_id=**')
    const form = page.getByRole('form', { name: 'Confirm a bank transfer' })
    assert.equal(await form.getByLabel('Tenant id').inputValue(), state.staffTenants.find((t) => t.name === 'Initech').id)
    await form.getByLabel('Payment reference').fill('SEPA-2026-03-0042')
    await form.getByLabel('Payer').fill('Initech Software GmbH')
    await form.getByLabel('Amount').fill('228.00')
    // Filled in from the plans: a transfer pays in the currency Pro is sold in.
    assert.equal(await form.getByLabel('Currency').inputValue(), 'USD')
    await form.getByRole('button', { name: 'Confirm payment' }).click()
    await page.getByTestId('bank-transfer-done').waitFor()
    await screenshots(page, shots, 'staff-bank-transfer-done')
    await assertNoSideScroll(page)
    const initech = state.staffTenants.find((t) => t.name === 'Initech').id
    const again = async (amount) => {
      await form.getByLabel('Tenant id').fill(initech)
      await form.getByLabel('Payment reference').fill('SEPA-2026-03-0042')
      await form.getByLabel('Payer').fill('Initech Software GmbH')
      await form.getByLabel('Amount').fill(amount)
      await form.getByRole('button', { name: 'Confirm payment' }).click()
    }
    await again('228.00')
    await page.getByTestId('bank-transfer-duplicate').waitFor()
    await screenshots(page, shots, 'staff-bank-transfer-duplicate')
    await again('19.00')
    await page.getByTestId('bank-transfer-conflict').waitFor()
    await screenshots(page, shots, 'staff-bank-transfer-conflict')
    await assertNoSideScroll(page)

    await page.locator('nav[aria-label="Staff"]:visible').getByRole('link', { name: 'Reports' }).click()
    await page.waitForURL('**/staff/reports')
    await page.getByTestId('mrr').waitFor()
    await page.locator('[data-testid="report-churn"] [data-testid="churn-row"]').first().waitFor()
    await page.getByRole('heading', { name: 'Tenants by plan' }).waitFor()
    await screenshots(page, shots, 'staff-reports')
    await assertNoSideScroll(page)
    const months = fx.revenueReport().months.map((m) => m.month)
    await page.getByLabel('From').fill(months[6])
    await page.getByLabel('To').fill(months[11])
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL(/from=\d{4}-\d{2}&to=\d{4}-\d{2}/)
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="revenue-row"]').length === 6)
    await screenshots(page, shots, 'staff-reports-range')

    // The staff token stops working (15 minutes, or revoked): the next call's 401 leads back to sign-in.
    state.staffTokenValid = false
    await page.locator('nav[aria-label="Staff"]:visible').getByRole('link', { name: 'Tenants' }).click()
    await page.waitForURL('**/staff/login?redirect=**')
    await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor()
    // 401 (wrong password, expired token) and 409 (the payment conflict) are expected failed resources here.
    assertNoProblems(browser.problems.slice(start).filter((p) => !/status of (401|409) /.test(p)))
  })
} finally {
  await browser.close()
  preview?.stop()
}

process.exit(summary())
