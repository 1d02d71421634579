import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { meReply, mockApi, renderApp, signIn } from '@/test/renderApp'
import { endpoint, page } from '@/test/endpoints'
import { noInvoices, plans, subscription } from '@/test/billing'
import type { BillingPlan } from '@/api/types'

/** Figures unlike today's, so nothing hardcoded in the app can match them by chance. */
const otherPlans: BillingPlan[] = [
  { ...plans[0], min_interval_seconds: 120 },
  { ...plans[1], name: 'Business', min_interval_seconds: 15, retention_days: 45 },
]
const billingDown = { detail: 'Billing is not configured.', code: 'billing_not_configured' }

describe('DashboardPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    signIn()
    mocks.http.onGet('/api/billing/plans/').reply(200, plans)
  })
  afterEach(() => mocks.restore())

  it('lists endpoints with a status pill, latency and uptime', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ endpoint_count: 2 }))
    mocks.http.onGet('/api/endpoints/').reply(200, page([endpoint(), endpoint({ id: 'e2', name: 'API', status: 'down', uptime_24h: 93.4 })]))
    renderApp('/dashboard')

    const table = await screen.findByRole('table')
    expect(within(table).getAllByTestId('status-pill').map((pill) => pill.textContent)).toEqual(['Up', 'Down'])
    expect(within(table).getAllByText('120 ms')).toHaveLength(2)
    expect(within(table).getByText('93.4%')).toBeInTheDocument()
    expect(mocks.http.history.get.find((r) => r.url === '/api/endpoints/')?.params).toEqual({ page: 1, page_size: 20 })
    expect(screen.getByText('2 of 3 endpoints used')).toBeInTheDocument()
    expect(screen.queryByTestId('upgrade-prompt')).not.toBeInTheDocument()
  })

  it('disables the add form with an upgrade prompt at the plan limit', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ endpoint_count: 3 }))
    mocks.http.onGet('/api/endpoints/').reply(200, page([endpoint(), endpoint({ id: 'e2' }), endpoint({ id: 'e3' })]))
    renderApp('/dashboard')

    const prompt = await screen.findByTestId('upgrade-prompt')
    expect(within(prompt).getByRole('link', { name: 'Upgrade' })).toHaveAttribute('href', '/billing')
    expect(screen.getByRole('button', { name: 'Add endpoint' })).toBeDisabled()
    expect(screen.getByLabelText('URL')).toBeDisabled()
  })

  it('treats a null endpoint limit as unlimited', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ plan: 'pro', endpoint_limit: null, endpoint_count: 50 }))
    mocks.http.onGet('/api/endpoints/').reply(200, page([endpoint()], 50))
    renderApp('/dashboard')

    expect(await screen.findByText(/unlimited on your plan/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Add endpoint' })).toBeEnabled()
  })

  it('shows the upgrade prompt when the API answers 403 plan_limit_reached', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ endpoint_count: 1 }))
    mocks.http.onGet('/api/endpoints/').reply(200, page([endpoint()]))
    mocks.http.onPost('/api/endpoints/').reply(403, { detail: 'Your plan allows 3 endpoints.', code: 'plan_limit_reached' })
    renderApp('/dashboard')
    const user = userEvent.setup()

    await user.type(await screen.findByLabelText('URL'), 'https://new.example.com/')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))

    expect(await screen.findByTestId('upgrade-prompt')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Add endpoint' })).toBeDisabled()
  })

  it('adds an endpoint and shows API field errors next to the URL', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meReply())
    mocks.http.onGet('/api/endpoints/').reply(200, page([]))
    mocks.http
      .onPost('/api/endpoints/')
      .replyOnce(400, { detail: 'Invalid input.', code: 'invalid', errors: { url: ['Private addresses cannot be monitored.'] } })
      .onPost('/api/endpoints/')
      .replyOnce(201, endpoint({ status: 'pending' }))
    renderApp('/dashboard')
    const user = userEvent.setup()

    await user.type(await screen.findByLabelText('URL'), 'http://10.0.0.1/')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    await waitFor(() =>
      expect(screen.getByLabelText('URL')).toHaveAccessibleDescription('Private addresses cannot be monitored.'),
    )

    await user.clear(screen.getByLabelText('URL'))
    await user.type(screen.getByLabelText('URL'), 'https://www.example.com/')
    await user.type(screen.getByLabelText('Name (optional)'), 'Marketing site')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))

    expect(await screen.findByText(/Its first check runs now/)).toBeInTheDocument()
    expect(JSON.parse(mocks.http.history.post[1].data)).toEqual({
      url: 'https://www.example.com/',
      name: 'Marketing site',
      interval_seconds: 60,
      // Empty region fields: every region with a live checker, failing in a majority.
      regions: null,
      min_failing_regions: null,
    })
  })

  it('deletes an endpoint only after confirming', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ endpoint_count: 1 }))
    mocks.http.onGet('/api/endpoints/').reply(200, page([endpoint()]))
    mocks.http.onDelete('/api/endpoints/e1/').reply(204)
    renderApp('/dashboard')
    const user = userEvent.setup()

    const table = await screen.findByRole('table')
    await user.click(within(table).getByRole('button', { name: 'Delete Marketing site' }))
    const dialog = await screen.findByRole('alertdialog')
    expect(dialog).toHaveTextContent('Delete this endpoint?')
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(mocks.http.history.delete).toHaveLength(0)

    await user.click(within(table).getByRole('button', { name: 'Delete Marketing site' }))
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete' }))
    await waitFor(() => expect(mocks.http.history.delete).toHaveLength(1))
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument())
  })

  it('on Pro: badge "Pro", no limit prompt however many endpoints', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ plan: 'pro', subscription_status: 'active', endpoint_limit: -1, endpoint_count: 25 }))
    mocks.http.onGet('/api/endpoints/').reply(200, page([endpoint()], 25))
    renderApp('/dashboard')

    expect(await screen.findByText(/unlimited on your plan/)).toBeInTheDocument()
    expect(screen.getByTestId('plan-badge')).toHaveTextContent(/^Pro/)
    expect(screen.queryByTestId('upgrade-prompt')).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Add endpoint' })).toBeEnabled()
  })

  it('after a downgrade, says endpoints over the limit are paused and marks them', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ endpoint_count: 5 }))
    mocks.http.onGet('/api/endpoints/').reply(
      200,
      page(
        [
          endpoint({ id: 'e5', name: 'Newest', status: 'paused', paused: true, paused_by_plan: true }),
          endpoint({ id: 'e4', name: 'Mine', status: 'paused', paused: true, paused_by_plan: false }),
          endpoint({ id: 'e1' }),
        ],
        5,
      ),
    )
    renderApp('/dashboard')

    const prompt = await screen.findByTestId('upgrade-prompt')
    expect(prompt).toHaveTextContent('You have 5 endpoints; your plan monitors up to 3')
    expect(prompt).toHaveTextContent('Nothing was deleted')
    expect(within(prompt).getByRole('link', { name: 'Upgrade' })).toHaveAttribute('href', '/billing')
    const table = await screen.findByRole('table')
    const rows = within(table).getAllByTestId('endpoint-row')
    expect(within(rows[0]).getByTestId('status-pill')).toHaveTextContent('Paused')
    expect(within(rows[0]).getByTestId('paused-by-plan')).toHaveTextContent('Over plan limit')
    expect(rows[0]).toHaveAttribute('data-paused', 'true')
    expect(within(rows[1]).queryByTestId('paused-by-plan')).not.toBeInTheDocument()
  })

  it('takes the upgrade prompt\'s figures from the plans API', async () => {
    mocks.http.onGet('/api/billing/plans/').reply(200, otherPlans)
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ endpoint_count: 3 }))
    mocks.http.onGet('/api/endpoints/').reply(200, page([endpoint(), endpoint({ id: 'e2' }), endpoint({ id: 'e3' })]))
    renderApp('/dashboard')

    const prompt = await screen.findByTestId('upgrade-prompt')
    await waitFor(() =>
      expect(prompt).toHaveTextContent('Upgrade to Business for unlimited endpoints, checks every 15 s and 45 days of check history.'),
    )
    expect(prompt).not.toHaveTextContent(/30/)
  })

  it("checks the interval against the tenant's plan from the plans API", async () => {
    mocks.http.onGet('/api/billing/plans/').reply(200, otherPlans)
    mocks.http.onGet('/api/auth/me/').reply(200, meReply())
    mocks.http.onGet('/api/endpoints/').reply(200, page([]))
    renderApp('/dashboard')
    const user = userEvent.setup()

    const interval = await screen.findByLabelText('Interval (s)')
    // The untouched default rises to the plan's minimum once the plans are in.
    await waitFor(() => expect(interval).toHaveValue(120))
    expect(interval).toHaveAttribute('min', '120')

    await user.type(screen.getByLabelText('URL'), 'https://new.example.com/')
    await user.clear(interval)
    await user.type(interval, '90')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))

    expect(await screen.findByText('Your plan checks at most every 120 seconds.')).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(0)
  })

  it('without the plans, names no figures and leaves the interval to the server', async () => {
    mocks.http.onGet('/api/billing/plans/').reply(503, billingDown)
    mocks.http.onGet('/api/auth/me/').reply(200, meReply())
    mocks.http.onGet('/api/endpoints/').reply(200, page([]))
    mocks.http.onPost('/api/endpoints/').reply(400, {
      detail: 'Invalid input.',
      code: 'invalid',
      errors: { interval_seconds: ['The Free plan checks at most every 60 seconds.'] },
    })
    renderApp('/dashboard')
    const user = userEvent.setup()

    const interval = await screen.findByLabelText('Interval (s)')
    await waitFor(() => expect(mocks.http.history.get.some((r) => r.url === '/api/billing/plans/')).toBe(true))
    expect(interval).not.toHaveAttribute('min')
    await user.type(screen.getByLabelText('URL'), 'https://new.example.com/')
    await user.clear(interval)
    await user.type(interval, '5')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))

    await waitFor(() => expect(interval).toHaveAccessibleDescription('The Free plan checks at most every 60 seconds.'))
    expect(JSON.parse(mocks.http.history.post[0].data)).toMatchObject({ interval_seconds: 5 })
  })

  it('without the plans, the upgrade prompt still links to billing but states no limits of Pro', async () => {
    mocks.http.onGet('/api/billing/plans/').reply(503, billingDown)
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ endpoint_count: 3 }))
    mocks.http.onGet('/api/endpoints/').reply(200, page([endpoint(), endpoint({ id: 'e2' }), endpoint({ id: 'e3' })]))
    renderApp('/dashboard')

    const prompt = await screen.findByTestId('upgrade-prompt')
    await waitFor(() => expect(mocks.http.history.get.some((r) => r.url === '/api/billing/plans/')).toBe(true))
    expect(prompt).toHaveTextContent('Your plan monitors up to 3 endpoints. Upgrade to monitor more.')
    expect(prompt).not.toHaveTextContent(/unlimited|checks every|days/i)
    expect(within(prompt).getByRole('link', { name: 'Upgrade' })).toHaveAttribute('href', '/billing')
  })

  it('fetches the plans once for the whole app, without credentials', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meReply())
    mocks.http.onGet('/api/endpoints/').reply(200, page([]))
    mocks.http.onGet('/api/billing/subscription/').reply(200, subscription())
    mocks.http.onGet('/api/billing/invoices/').reply(200, noInvoices)
    const { router } = renderApp('/dashboard')

    await waitFor(() => expect(screen.getByLabelText('Interval (s)')).toHaveAttribute('min', '60'))
    await router.navigate({ to: '/billing' })
    expect(await screen.findAllByTestId('plan-card')).toHaveLength(2)
    await router.navigate({ to: '/dashboard' })
    await screen.findByLabelText('Interval (s)')

    const requests = mocks.http.history.get.filter((r) => r.url === '/api/billing/plans/')
    expect(requests).toHaveLength(1)
    expect(requests[0].headers?.Authorization).toBeUndefined()
  })
})
