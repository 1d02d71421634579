import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { meReply, mockApi, renderApp, signIn } from '@/test/renderApp'
import { plans, subscription } from '@/test/billing'
import { successPolling } from './BillingSuccessPage'

describe('BillingSuccessPage', () => {
  let mocks: ReturnType<typeof mockApi>
  const saved = { ...successPolling }
  beforeEach(() => {
    mocks = mockApi()
    signIn()
    mocks.http.onGet('/api/billing/plans/').reply(200, plans)
    Object.assign(successPolling, { intervalMs: 40, durationMs: 5_000 })
  })
  afterEach(() => {
    mocks.restore()
    Object.assign(successPolling, saved)
  })

  it('says the payment was received, then follows the plan until Stripe confirms it', async () => {
    let confirmed = false
    mocks.http.onGet('/api/billing/subscription/').reply(() => [200, subscription(confirmed ? { plan: 'pro', status: 'active' } : {})])
    mocks.http
      .onGet('/api/auth/me/')
      .reply(() => [200, meReply(confirmed ? { plan: 'pro', subscription_status: 'active', endpoint_limit: -1 } : {})])
    renderApp('/billing/success?session_id=cs_test_a1B2')

    const card = await screen.findByTestId('billing-success')
    expect(card).toHaveTextContent('Payment received')
    expect(card).toHaveTextContent('Your plan updates as soon as Stripe confirms')
    expect(card).toHaveTextContent('cs_test_a1B2')
    expect(await screen.findByTestId('plan-badge')).toHaveTextContent(/^Free/)

    // A few polls go by before the webhook lands.
    await waitFor(() => expect(mocks.http.history.get.filter((r) => r.url === '/api/billing/subscription/').length).toBeGreaterThan(2))
    confirmed = true

    expect(await screen.findByRole('heading', { name: 'You are on the Pro plan' })).toBeInTheDocument()
    expect(screen.getByTestId('billing-success')).toHaveTextContent(
      'Unlimited endpoints, checks every 30 s and 90 days of check history are yours.',
    )
    await waitFor(() => expect(screen.getByTestId('plan-badge')).toHaveTextContent(/^Pro/))
    expect(within(screen.getByTestId('billing-success')).getByRole('link', { name: 'Back to billing' })).toHaveAttribute('href', '/billing')

    // Confirmed: polling stops.
    const polls = mocks.http.history.get.length
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(mocks.http.history.get.length).toBe(polls)
  })

  it('stops polling after a while and offers to check again', async () => {
    successPolling.durationMs = 150
    mocks.http.onGet('/api/billing/subscription/').reply(200, subscription())
    mocks.http.onGet('/api/auth/me/').reply(200, meReply())
    renderApp('/billing/success?session_id=cs_x')
    const user = userEvent.setup()

    expect(await screen.findByRole('heading', { name: /waiting for Stripe/ })).toBeInTheDocument()
    const polls = mocks.http.history.get.length
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(mocks.http.history.get.length).toBe(polls)

    await user.click(screen.getByRole('button', { name: 'Check again' }))
    await waitFor(() => expect(mocks.http.history.get.length).toBeGreaterThan(polls))
  })

  it('describes Pro from the plans API, and without it names no figures', async () => {
    mocks.http.onGet('/api/billing/plans/').reply(200, [plans[0], { ...plans[1], name: 'Pro', min_interval_seconds: 10, retention_days: 30 }])
    mocks.http.onGet('/api/billing/subscription/').reply(200, subscription({ plan: 'pro', status: 'active' }))
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ plan: 'pro', subscription_status: 'active', endpoint_limit: -1 }))
    const first = renderApp('/billing/success')
    const card = await screen.findByTestId('billing-success')
    await waitFor(() => expect(card).toHaveTextContent('Unlimited endpoints, checks every 10 s and 30 days of check history are yours.'))
    first.unmount()

    mocks.http.onGet('/api/billing/plans/').reply(503, { detail: 'Billing is not configured.', code: 'billing_not_configured' })
    renderApp('/billing/success')
    expect(await screen.findByRole('heading', { name: 'You are on the Pro plan' })).toBeInTheDocument()
    await waitFor(() => expect(mocks.http.history.get.filter((r) => r.url === '/api/billing/plans/')).toHaveLength(2))
    const fallback = screen.getByTestId('billing-success')
    expect(within(fallback).getByText('Payment received and confirmed by Stripe.')).toBeInTheDocument()
    expect(fallback).not.toHaveTextContent(/endpoints|checks every|days/)
  })

  it('shows no reference for a session id that is not one', async () => {
    mocks.http.onGet('/api/billing/subscription/').reply(200, subscription())
    mocks.http.onGet('/api/auth/me/').reply(200, meReply())
    renderApp('/billing/success?session_id=%3Cscript%3E')
    expect(await screen.findByTestId('billing-success')).not.toHaveTextContent('Reference')
  })
})

describe('BillingCancelPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    signIn()
  })
  afterEach(() => mocks.restore())

  it('says nothing was charged and links back to billing', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meReply())
    renderApp('/billing/cancel')

    const card = await screen.findByTestId('billing-cancel')
    expect(within(card).getByRole('heading', { name: 'Checkout cancelled' })).toBeInTheDocument()
    expect(card).toHaveTextContent('Nothing was charged.')
    await waitFor(() => expect(card).toHaveTextContent('stays on the Free plan'))
    expect(within(card).getByRole('link', { name: 'Back to billing' })).toHaveAttribute('href', '/billing')
  })
})
