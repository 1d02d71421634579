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

function json(route, status, body) {
  return route.fulfill({ status, contentType: 'application/json', body: body === undefined ? '' : JSON.stringify(body) })
}

async function api(route) {
  const request = route.request()
  const url = new URL(request.url())
  const path = url.pathname
  const method = request.method()
  const body = request.postDataJSON?.() ?? null
  const answered = alertsApi(route, url, method, body) ?? identityApi(route, url, method, body)
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

    await openNav(page, 'Security')
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
} finally {
  await browser.close()
  preview?.stop()
}

process.exit(summary())
