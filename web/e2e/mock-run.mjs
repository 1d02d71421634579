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

const state = { limit: null, plan: 'pro', plansAvailable: true, subscription: null, endpoints: [...fx.endpoints] }

function json(route, status, body) {
  return route.fulfill({ status, contentType: 'application/json', body: body === undefined ? '' : JSON.stringify(body) })
}

async function api(route) {
  const request = route.request()
  const path = new URL(request.url()).pathname
  const method = request.method()
  const body = request.postDataJSON?.() ?? null
  if (path === '/api/auth/token/' && method === 'POST') {
    if (!body.tenant_schema) return json(route, 200, { multiple_tenants: true, tenants: fx.tenants, message: 'This e-mail belongs to more than one organisation. Choose one.' })
    const tenant = fx.tenants.find((t) => t.schema === body.tenant_schema)
    return json(route, 200, { access: 'access-token', refresh: 'refresh-token', user: fx.user, tenant })
  }
  if (path === '/api/auth/logout/') return json(route, 200, {})
  if (path === '/api/auth/me/') return json(route, 200, fx.me(state.plan, state.endpoints.length, state.limit))
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

  await test('logout returns to the sign-in page', async () => {
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByRole('heading', { name: 'Sign in to StatusWatch' }).waitFor()
  })
} finally {
  await browser.close()
  preview?.stop()
}

process.exit(summary())
