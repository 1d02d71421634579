// Steps that the end-to-end flows share: each takes a Playwright page.

export const PASSWORD = 'E2e-Strong-Pass-1!'

export function uniqueId() {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`
}

export async function register(page, baseUrl, { organization, email, password = PASSWORD }) {
  await page.goto(`${baseUrl}/register`)
  await page.getByLabel('Organisation name').fill(organization)
  await page.getByLabel('Work e-mail').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByLabel('Confirm password').fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
  // Sign-up ends on the sign-in page, asking to confirm the e-mail; signing in works before that.
  await page.waitForURL('**/login?notice=registered')
  await page.getByTestId('login-notice').waitFor()
  await signIn(page, { email, password, organization })
}

/** Signs in from /login; when the e-mail opens several organisations, picks `organization`. */
export async function signIn(page, { email, password = PASSWORD, organization }) {
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  const picker = page.getByRole('radio', { name: organization, exact: true })
  await Promise.race([page.waitForURL('**/dashboard'), picker.waitFor()])
  if (!page.url().endsWith('/dashboard')) {
    await picker.click()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL('**/dashboard')
  }
  await dashboardReady(page)
}

export async function dashboardReady(page) {
  await page.getByRole('heading', { name: 'Endpoints', exact: true }).waitFor()
  await page.getByTestId('plan-badge').waitFor()
}

export async function logout(page) {
  await page.getByRole('button', { name: 'Log out' }).click()
  await page.waitForURL('**/login')
}

export async function addEndpoint(page, { url, name }) {
  const form = page.getByRole('form', { name: 'Add an endpoint' })
  await form.getByLabel('URL').fill(url)
  await form.getByLabel('Name (optional)').fill(name)
  await form.getByRole('button', { name: 'Add endpoint' }).click()
  await endpointRow(page, name).waitFor()
}

/** The visible row (table on wide screens, card on phones) of the endpoint called `name`. */
export function endpointRow(page, name) {
  return page.locator('[data-testid="endpoint-row"]:visible').filter({ hasText: name })
}

/** Waits, through the dashboard's own 10 s polling, until the endpoint's pill says `status`. */
export async function waitForStatus(page, name, status, timeoutMs) {
  await endpointRow(page, name)
    .locator(`[data-testid="status-pill"][data-status="${status}"]`)
    .waitFor({ timeout: timeoutMs })
}

/** Opens a page through the main navigation (the top row on wide screens, the second row on phones). */
export async function openFromNav(page, name) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click()
}

/** The header's alerts bell and its unread badge (absent when nothing is unread). */
export function alertsBell(page) {
  return page.getByTestId('alerts-bell')
}

/** Waits until the bell says `unread` (its accessible name and its badge). */
export async function waitForUnread(page, unread, timeoutMs = 20_000) {
  const name = unread === 0 ? 'Alerts, none unread' : `Alerts, ${unread} unread`
  await page.locator(`[data-testid="alerts-bell"][aria-label="${name}"]`).waitFor({ timeout: timeoutMs })
  const badge = alertsBell(page).getByTestId('alerts-badge')
  if (unread === 0) await badge.waitFor({ state: 'detached', timeout: timeoutMs })
  else await badge.filter({ hasText: String(unread) }).waitFor({ timeout: timeoutMs })
}

export async function notificationsReady(page) {
  await page.getByRole('heading', { name: 'Notifications', exact: true }).waitFor()
  await page.locator('[data-testid="channels-empty"], [data-testid="channel-row"]').first().waitFor()
  await page.locator('[data-testid="delivery-log-empty"], [data-testid="delivery-row"]:visible').first().waitFor()
}

export async function alertsReady(page) {
  await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor()
  await page.locator('[data-testid="alerts-empty"], [data-testid="alert-row"]').first().waitFor()
}

/** Adds a channel through the "Add a channel" form; returns once its row is listed. */
export async function addChannel(page, { kind, name, target }) {
  const form = page.getByRole('form', { name: 'Add a channel' })
  await form.getByLabel('Kind').selectOption(kind)
  await form.getByLabel('Name').fill(name)
  await form.getByLabel(kind === 'email' ? 'E-mail address' : kind === 'slack' ? 'Slack webhook URL' : 'Webhook URL').fill(target)
  await form.getByRole('button', { name: 'Add channel' }).click()
  await channelRow(page, name).waitFor()
}

export function channelRow(page, name) {
  return page.locator('[data-testid="channel-row"]').filter({ has: page.getByRole('heading', { name, exact: true }) })
}

/** The visible delivery-log rows (the table from 1024 px, stacked rows below) naming `text`. */
export function deliveryRows(page, text) {
  return page.locator('[data-testid="delivery-row"]:visible').filter({ hasText: text })
}

/** The public status page (/status/{slug}) once its answer is shown. */
export async function publicStatusReady(page) {
  await page.getByTestId('overall-status').waitFor()
  await page.getByRole('heading', { name: 'Components' }).waitFor()
}
