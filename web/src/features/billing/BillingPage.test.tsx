import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { meReply, mockApi, renderApp, signIn } from '@/test/renderApp'
import { invoice, noInvoices, plans, subscription } from '@/test/billing'
import { externalNavigation } from '@/lib/redirect'
import type { Me, Subscription } from '@/api/types'

const CHECKOUT = '/api/billing/create-checkout-session/'
const PORTAL = '/api/billing/create-portal-session/'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('BillingPage', () => {
  let mocks: ReturnType<typeof mockApi>
  let assign: ReturnType<typeof vi.spyOn>

  function setUp({
    sub = subscription(),
    me = meReply(),
    role = 'owner',
    invoices = noInvoices,
  }: { sub?: Subscription; me?: Me; role?: string; invoices?: unknown } = {}) {
    mocks.http.onGet('/api/auth/me/').reply(200, { ...me, user: { ...me.user, role } })
    mocks.http.onGet('/api/billing/plans/').reply(200, plans)
    mocks.http.onGet('/api/billing/subscription/').reply(200, sub)
    mocks.http.onGet('/api/billing/invoices/').reply(200, invoices)
  }

  beforeEach(() => {
    mocks = mockApi()
    signIn()
    assign = vi.spyOn(externalNavigation, 'assign').mockImplementation(() => {})
  })
  afterEach(() => mocks.restore())

  it('shows both plans side by side with the current one marked, and the test-mode banner', async () => {
    setUp()
    renderApp('/billing')

    const cards = await screen.findAllByTestId('plan-card')
    expect(cards.map((card) => card.getAttribute('data-plan'))).toEqual(['free', 'pro'])
    const [free, pro] = cards
    expect(free).toHaveTextContent('$0')
    expect(free).toHaveTextContent('Up to 3 endpoints')
    expect(free).toHaveTextContent('Checks as often as every 1 min')
    expect(free).toHaveTextContent('7 days of check history')
    expect(within(free).getByText('Current plan')).toBeInTheDocument()
    expect(pro).toHaveTextContent('$19 / month')
    expect(pro).toHaveTextContent('Unlimited endpoints')
    expect(pro).toHaveTextContent('every 30 s')
    expect(within(pro).queryByText('Current plan')).not.toBeInTheDocument()

    expect(screen.getByTestId('billing-test-mode')).toHaveTextContent('Test mode — no real charges')
    expect(screen.queryByTestId('billing-not-configured')).not.toBeInTheDocument()
    expect(screen.getByTestId('subscription-status')).toHaveTextContent('No subscription')
    expect(screen.queryByRole('button', { name: 'Manage subscription' })).not.toBeInTheDocument()
    expect(await screen.findByTestId('invoices-empty')).toHaveTextContent('No invoices yet')
  })

  it('upgrades through Stripe Checkout with a fresh Idempotency-Key per click', async () => {
    setUp()
    mocks.http
      .onPost(CHECKOUT)
      .replyOnce(503, { detail: 'Stripe is unavailable.', code: 'stripe_unavailable' })
      .onPost(CHECKOUT)
      .replyOnce(200, { url: 'https://checkout.stripe.com/c/pay/cs_test_1', session_id: 'cs_test_1' })
    renderApp('/billing')
    const user = userEvent.setup()

    await user.click(await screen.findByRole('button', { name: 'Upgrade to Pro' }))
    expect(await screen.findByTestId('billing-error')).toHaveTextContent(/Stripe, our payment provider, is not answering/)
    expect(assign).not.toHaveBeenCalled()

    await user.click(screen.getByRole('button', { name: 'Upgrade to Pro' }))
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://checkout.stripe.com/c/pay/cs_test_1'))
    expect(screen.queryByTestId('billing-error')).not.toBeInTheDocument()
    // On its way to Stripe: the button stays busy so a second click does nothing.
    expect(screen.getByRole('button', { name: /Opening Stripe Checkout/ })).toBeDisabled()

    const posts = mocks.http.history.post
    expect(posts).toHaveLength(2)
    expect(posts.map((r) => JSON.parse(r.data))).toEqual([{ plan: 'pro' }, { plan: 'pro' }])
    const keys = posts.map((r) => r.headers?.['Idempotency-Key'] as string)
    expect(keys[0]).toMatch(UUID)
    expect(keys[1]).toMatch(UUID)
    expect(keys[0]).not.toEqual(keys[1])
  })

  it.each([
    [403, 'permission_denied', 'Only members may not.', /Only the organisation's owner or an admin can change billing/],
    [409, 'already_subscribed', 'Already on pro.', /already on the Pro plan/],
    [502, 'stripe_error', 'No such price: price_x', /Stripe refused the request: No such price: price_x/],
    [503, 'billing_not_configured', 'Billing is not configured.', /Billing is not configured on this installation/],
    [503, 'stripe_unavailable', 'Stripe did not answer.', /not answering right now\. Nothing was charged/],
  ])('explains a %i %s from checkout', async (status, code, detail, message) => {
    setUp()
    mocks.http.onPost(CHECKOUT).reply(status, { detail, code })
    renderApp('/billing')
    const user = userEvent.setup()

    await user.click(await screen.findByRole('button', { name: 'Upgrade to Pro' }))
    expect(await screen.findByTestId('billing-error')).toHaveTextContent(message)
    expect(screen.getByTestId('billing-error')).toHaveAttribute('role', 'alert')
    expect(assign).not.toHaveBeenCalled()
  })

  it('never follows a checkout URL that is not http(s)', async () => {
    setUp()
    mocks.http.onPost(CHECKOUT).reply(200, { url: 'javascript:alert(1)', session_id: 'cs_1' })
    renderApp('/billing')
    const user = userEvent.setup()

    await user.click(await screen.findByRole('button', { name: 'Upgrade to Pro' }))
    expect(await screen.findByTestId('billing-error')).toHaveTextContent(/did not answer with a valid address/)
    expect(assign).not.toHaveBeenCalled()
  })

  it('disables Upgrade and says so when billing is not configured', async () => {
    setUp({ sub: subscription({ stripe_configured: false, test_mode: false }) })
    renderApp('/billing')

    expect(await screen.findByTestId('billing-not-configured')).toHaveTextContent('Billing is not configured')
    expect(await screen.findByRole('button', { name: 'Upgrade to Pro' })).toBeDisabled()
    expect(screen.getByText('Billing is not configured, so upgrades are unavailable.')).toBeInTheDocument()
    expect(screen.queryByTestId('billing-test-mode')).not.toBeInTheDocument()
  })

  it('offers Manage subscription only where it can work', async () => {
    setUp({ sub: subscription({ plan: 'pro', status: 'active', stripe_configured: false, test_mode: false }), role: 'owner' })
    const first = renderApp('/billing')
    await screen.findByTestId('billing-not-configured')
    expect(await screen.findByTestId('current-plan')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Manage subscription' })).not.toBeInTheDocument()
    first.unmount()

    mocks.http.reset()
    setUp({ sub: subscription({ plan: 'pro', status: 'active' }), role: 'member' })
    renderApp('/billing')
    await waitFor(() => expect(screen.getByRole('button', { name: 'Manage subscription' })).toBeDisabled())
    expect(screen.getByText('Only owners and admins can manage billing.')).toBeInTheDocument()
  })

  it('lets only owners and admins upgrade', async () => {
    setUp({ role: 'member' })
    renderApp('/billing')

    await waitFor(() => expect(screen.getByRole('button', { name: 'Upgrade to Pro' })).toBeDisabled())
    expect(screen.getByText('Only owners and admins can change the plan.')).toBeInTheDocument()
  })

  it('shows a Pro subscription: status, the cancellation date and Manage subscription through the portal', async () => {
    setUp({
      sub: subscription({ plan: 'pro', status: 'active', current_period_end: '2026-03-01T12:00:00Z', cancel_at_period_end: true }),
      me: meReply({ plan: 'pro', subscription_status: 'active', endpoint_limit: -1, endpoint_count: 12 }),
    })
    mocks.http.onPost(PORTAL).reply(200, { url: 'https://billing.stripe.com/p/session/bps_1' })
    renderApp('/billing')
    const user = userEvent.setup()

    const summary = await screen.findByTestId('current-plan')
    expect(within(summary).getByRole('heading', { name: 'Pro plan' })).toBeInTheDocument()
    expect(within(summary).getByTestId('subscription-status')).toHaveAttribute('data-status', 'active')
    expect(within(summary).getByTestId('subscription-status')).toHaveTextContent('Active')
    expect(within(summary).getByTestId('cancel-note')).toHaveTextContent('Cancels at period end on Mar 1, 2026')
    expect(await within(summary).findByText('12 endpoints, unlimited on your plan')).toBeInTheDocument()
    const pro = screen.getAllByTestId('plan-card')[1]
    expect(within(pro).getByText('Current plan')).toBeInTheDocument()
    expect(within(pro).getByRole('button', { name: 'Your current plan' })).toBeDisabled()
    expect(screen.queryByRole('button', { name: 'Upgrade to Pro' })).not.toBeInTheDocument()

    await user.click(within(summary).getByRole('button', { name: 'Manage subscription' }))
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://billing.stripe.com/p/session/bps_1'))
    expect(mocks.http.history.post[0].headers?.['Idempotency-Key']).toMatch(UUID)
  })

  it('warns about a failed payment and colours the status by severity', async () => {
    setUp({ sub: subscription({ plan: 'pro', status: 'past_due', current_period_end: '2026-03-01T12:00:00Z' }) })
    mocks.http.onPost(PORTAL).reply(404, { detail: 'No customer.', code: 'no_customer' })
    renderApp('/billing')
    const user = userEvent.setup()

    const banner = await screen.findByTestId('billing-past-due')
    expect(banner).toHaveTextContent('Your last payment failed')
    expect(screen.getByTestId('subscription-status')).toHaveTextContent('Past due')
    expect(screen.getByTestId('subscription-status').className).toMatch(/amber/)

    await user.click(within(banner).getByRole('button', { name: 'Update payment method' }))
    expect(await screen.findByTestId('billing-error')).toHaveTextContent(/no billing account for your organisation yet/)
  })

  it.each([
    ['active', 'Active', /emerald/],
    ['trialing', 'Trial', /emerald/],
    ['canceled', 'Cancelled', /red/],
    ['unpaid', 'Unpaid', /red/],
    ['free', 'No subscription', /slate/],
  ])('shows status %s as "%s"', async (status, label, colour) => {
    setUp({ sub: subscription({ plan: status === 'active' || status === 'trialing' ? 'pro' : 'free', status }) })
    renderApp('/billing')
    const pill = await screen.findByTestId('subscription-status')
    expect(pill).toHaveTextContent(label)
    expect(pill.className).toMatch(colour)
  })

  it('lists invoices with period, amount in their currency, status and links', async () => {
    setUp({
      sub: subscription({ plan: 'pro', status: 'active' }),
      invoices: {
        count: 2,
        next: null,
        previous: null,
        results: [
          invoice(),
          invoice({ id: 'in_2', number: 'SW-0002', status: 'open', amount_due: 2500, amount_paid: 0, currency: 'eur', hosted_invoice_url: '', invoice_pdf: null }),
        ],
      },
    })
    renderApp('/billing')

    const table = await screen.findByRole('table')
    const rows = within(table).getAllByTestId('invoice-row')
    expect(rows).toHaveLength(2)
    expect(rows[0]).toHaveTextContent('SW-0001')
    expect(rows[0]).toHaveTextContent('Jan 1 – Feb 1, 2026')
    expect(rows[0]).toHaveTextContent('$19.00')
    expect(within(rows[0]).getByTestId('invoice-status')).toHaveTextContent('Paid')
    expect(within(rows[0]).getByRole('link', { name: 'View invoice SW-0001' })).toHaveAttribute(
      'href',
      'https://invoice.stripe.com/i/acct_1/in_1',
    )
    expect(within(rows[0]).getByRole('link', { name: 'Download invoice SW-0001 as PDF' })).toHaveAttribute('target', '_blank')
    expect(rows[1]).toHaveTextContent('€25.00')
    expect(within(rows[1]).getByTestId('invoice-status')).toHaveTextContent('Open')
    expect(within(rows[1]).queryByRole('link')).not.toBeInTheDocument()
    expect(mocks.http.history.get.find((r) => r.url === '/api/billing/invoices/')?.params).toEqual({ page: 1, page_size: 10 })
  })

  it('keeps showing the plan from /me when the billing service is not deployed (404)', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ endpoint_count: 2 }))
    mocks.http.onGet('/api/billing/plans/').reply(404, { detail: 'Not found.', code: 'not_found' })
    mocks.http.onGet('/api/billing/subscription/').reply(404, { detail: 'Not found.', code: 'not_found' })
    renderApp('/billing')

    expect(await screen.findByTestId('billing-not-configured')).toBeInTheDocument()
    const summary = await screen.findByTestId('current-plan')
    expect(within(summary).getByRole('heading', { name: 'Free plan' })).toBeInTheDocument()
    expect(within(summary).getByText('2 of 3 endpoints used')).toBeInTheDocument()
    expect(screen.queryByTestId('invoices')).not.toBeInTheDocument()
  })
})
