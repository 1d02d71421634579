import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { meReply, mockApi, renderApp, signIn } from '@/test/renderApp'
import { endpoint } from '@/test/endpoints'
import { plans } from '@/test/billing'

const checks = [
  { checked_at: '2026-01-01T00:01:00Z', ok: true, status_code: 200, latency_ms: 130, dns_ms: 5, connect_ms: 10, tls_ms: 20, ttfb_ms: 100, error: null },
  { checked_at: '2026-01-01T00:00:00Z', ok: false, status_code: null, latency_ms: null, dns_ms: null, connect_ms: null, tls_ms: null, ttfb_ms: null, error: 'Timed out' },
]

describe('EndpointPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    signIn()
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ endpoint_count: 1 }))
    mocks.http.onGet('/api/billing/plans/').reply(200, plans)
    mocks.http.onGet('/api/endpoints/e1/checks/').reply(200, checks)
    mocks.http.onGet('/api/endpoints/e1/uptime/').reply(200, {
      uptime_24h: 99.5, uptime_7d: 99.9, uptime_30d: 100, latency_p50_ms: 120, latency_p95_ms: 300,
    })
  })
  afterEach(() => mocks.restore())

  it('shows the chart, uptime windows and recent checks', async () => {
    mocks.http.onGet('/api/endpoints/e1/').reply(200, endpoint())
    renderApp('/endpoints/e1')

    expect(await screen.findByRole('heading', { name: 'Marketing site' })).toBeInTheDocument()
    expect(await screen.findByRole('img', { name: /Latency of the last 2 checks/ })).toBeInTheDocument()
    expect(screen.getByTestId('uptime-uptime_7d')).toHaveTextContent('99.90%')
    // Each check appears once in the wide table and once in the phone list (CSS picks one).
    expect(screen.getByRole('table').querySelectorAll('[data-testid="check-row"]')).toHaveLength(2)
    expect(mocks.http.history.get.find((r) => r.url === '/api/endpoints/e1/checks/')?.params).toEqual({ limit: 100 })
  })

  it('pauses and resumes with PATCH {paused}', async () => {
    let current = endpoint()
    mocks.http.onGet('/api/endpoints/e1/').reply(() => [200, current])
    mocks.http.onPatch('/api/endpoints/e1/').reply((config) => {
      const paused = JSON.parse(config.data).paused as boolean
      current = endpoint({ status: paused ? 'paused' : 'pending', paused })
      return [200, current]
    })
    renderApp('/endpoints/e1')
    const user = userEvent.setup()

    await user.click(await screen.findByRole('button', { name: 'Pause' }))
    await user.click(await screen.findByRole('button', { name: 'Resume' }))
    await screen.findByRole('button', { name: 'Pause' })

    expect(mocks.http.history.patch.map((r) => JSON.parse(r.data))).toEqual([{ paused: true }, { paused: false }])
  })

  it('saves only the changed settings', async () => {
    mocks.http.onGet('/api/endpoints/e1/').reply(200, endpoint())
    mocks.http.onPatch('/api/endpoints/e1/').reply(200, endpoint({ name: 'Home page' }))
    renderApp('/endpoints/e1')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Edit endpoint' })
    await user.clear(within(form).getByLabelText('Name'))
    await user.type(within(form).getByLabelText('Name'), 'Home page')
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))

    await waitFor(() => expect(mocks.http.history.patch).toHaveLength(1))
    expect(JSON.parse(mocks.http.history.patch[0].data)).toEqual({ name: 'Home page' })
  })

  it('says so when the endpoint does not exist', async () => {
    mocks.http.onGet('/api/endpoints/e1/').reply(404, { detail: 'Not found.', code: 'not_found' })
    renderApp('/endpoints/e1')
    expect(await screen.findByText('Endpoint not found')).toBeInTheDocument()
  })

  it("hints the plan's shortest interval from the plans API", async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ plan: 'pro', endpoint_limit: -1, endpoint_count: 1 }))
    mocks.http.onGet('/api/billing/plans/').reply(200, [plans[0], { ...plans[1], min_interval_seconds: 15 }])
    mocks.http.onGet('/api/endpoints/e1/').reply(200, endpoint())
    renderApp('/endpoints/e1')

    const form = await screen.findByRole('form', { name: 'Edit endpoint' })
    const interval = within(form).getByLabelText('Check interval (seconds)')
    await waitFor(() => expect(interval).toHaveAccessibleDescription('Your plan allows 15 s or more.'))
    expect(interval).toHaveAttribute('min', '15')
  })

  it('rejects an interval under the plan minimum before calling the API', async () => {
    mocks.http.onGet('/api/endpoints/e1/').reply(200, endpoint())
    renderApp('/endpoints/e1')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Edit endpoint' })
    const interval = within(form).getByLabelText('Check interval (seconds)')
    await waitFor(() => expect(interval).toHaveAccessibleDescription('Your plan allows 60 s or more.'))
    await user.clear(interval)
    await user.type(interval, '30')
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))

    expect(await within(form).findByText('Your plan checks at most every 60 seconds.')).toBeInTheDocument()
    expect(mocks.http.history.patch).toHaveLength(0)
  })

  it('without the plans, omits the hint and lets the server judge the interval', async () => {
    mocks.http.onGet('/api/billing/plans/').reply(503, { detail: 'Billing is not configured.', code: 'billing_not_configured' })
    mocks.http.onGet('/api/endpoints/e1/').reply(200, endpoint())
    mocks.http.onPatch('/api/endpoints/e1/').reply(400, {
      detail: 'Invalid input.',
      code: 'invalid',
      errors: { interval_seconds: ['The Free plan checks at most every 60 seconds.'] },
    })
    renderApp('/endpoints/e1')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Edit endpoint' })
    const interval = within(form).getByLabelText('Check interval (seconds)')
    await waitFor(() => expect(mocks.http.history.get.some((r) => r.url === '/api/billing/plans/')).toBe(true))
    expect(interval).not.toHaveAttribute('min')
    expect(form).not.toHaveTextContent('Your plan allows')
    await user.clear(interval)
    await user.type(interval, '30')
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))

    await waitFor(() => expect(interval).toHaveAccessibleDescription('The Free plan checks at most every 60 seconds.'))
    expect(JSON.parse(mocks.http.history.patch[0].data)).toEqual({ interval_seconds: 30 })
  })
})
