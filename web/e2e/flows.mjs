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
  await page.waitForURL('**/dashboard')
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
