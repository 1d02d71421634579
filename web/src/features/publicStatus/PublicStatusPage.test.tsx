import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { mockApi, renderApp } from '@/test/renderApp'
import { publicStatus } from '@/test/status'

const STATUS = '/api/public/status/acme/'
const SUBSCRIBE = '/api/public/status/acme/subscribe/'
const CONFIRM = '/api/public/subscriptions/confirm/'
const UNSUBSCRIBE = '/api/public/subscriptions/unsubscribe/'

describe('PublicStatusPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
  })
  afterEach(() => mocks.restore())

  it('shows the overall state, components with 90 daily bars, incidents with updates and maintenance, without login', async () => {
    mocks.http.onGet(STATUS).reply(200, publicStatus())
    renderApp('/status/acme')
    expect(await screen.findByRole('heading', { name: 'Acme status' }, { timeout: 10_000 })).toBeInTheDocument()
    expect(screen.getByTestId('overall-status')).toHaveTextContent('Degraded performance')
    const components = screen.getAllByTestId('public-component')
    expect(components).toHaveLength(2)
    expect(within(components[0]).getByText('Outage')).toBeInTheDocument()
    expect(within(components[1]).getByText('Operational')).toBeInTheDocument()
    expect(components[0].querySelectorAll('rect')).toHaveLength(90)
    expect(within(components[0]).getByRole('img')).toHaveAccessibleName(/API: .* uptime over the last 90 days/)
    const active = screen.getByRole('region', { name: 'Active incidents' })
    expect(within(active).getByText('API errors')).toBeInTheDocument()
    expect(within(active).getByText('Checks are failing: HTTP 503')).toBeInTheDocument()
    const past = screen.getByRole('region', { name: 'Past incidents (14 days)' })
    expect(within(past).getByText('Slow dashboard')).toBeInTheDocument()
    expect(within(past).getByText('Fixed.')).toBeInTheDocument()
    expect(screen.getByTestId('public-maintenance')).toHaveTextContent('Database upgrade')
    // No token is sent, and nothing asks for a session.
    expect(mocks.http.history.get[0].headers?.Authorization).toBeUndefined()
  })

  it('says "not found" for an unknown or private slug', async () => {
    mocks.http.onGet('/api/public/status/nope/').reply(404, { detail: 'Not found.', code: 'not_found' })
    renderApp('/status/nope')
    expect(await screen.findByTestId('status-not-found', {}, { timeout: 10_000 })).toHaveTextContent('Status page not found')
    expect(mocks.http.history.get).toHaveLength(1)
  })

  it('subscribes: 202 asks to check the inbox; 429 says to wait', async () => {
    mocks.http.onGet(STATUS).reply(200, publicStatus())
    mocks.http.onPost(SUBSCRIBE).replyOnce(429, { detail: 'Request was throttled.', code: 'rate_limited' }, { 'retry-after': '1800' })
    mocks.http.onPost(SUBSCRIBE).replyOnce(202, {})
    renderApp('/status/acme')
    const user = userEvent.setup()
    const form = await screen.findByRole('form', { name: 'Subscribe' }, { timeout: 10_000 })
    await user.click(within(form).getByRole('button', { name: 'Subscribe' }))
    expect(await within(form).findByText('Enter a valid e-mail address.')).toBeInTheDocument()
    await user.type(within(form).getByLabelText('E-mail'), 'reader@example.com')
    await user.click(within(form).getByRole('button', { name: 'Subscribe' }))
    expect(await screen.findByText(/Too many requests for this address\. Try again in 30 minutes/)).toBeInTheDocument()
    await user.click(within(form).getByRole('button', { name: 'Subscribe' }))
    expect(await screen.findByTestId('subscribe-sent')).toHaveTextContent('Check your inbox')
    expect(JSON.parse(mocks.http.history.post[1].data)).toEqual({ email: 'reader@example.com' })
  })

  it('confirms a subscription from the link once, with the token as written', async () => {
    mocks.http.onPost(CONFIRM).reply(200, {})
    renderApp('/status/acme/confirm?token=000123')
    expect(await screen.findByTestId('subscription-done', {}, { timeout: 10_000 })).toHaveTextContent('Subscription confirmed')
    await waitFor(() => expect(mocks.http.history.post).toHaveLength(1))
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({ token: '000123' })
  })

  it('an unusable confirmation link says so', async () => {
    mocks.http.onPost(CONFIRM).reply(400, { detail: 'Invalid token.', code: 'invalid_token' })
    renderApp('/status/acme/confirm?token=bad')
    expect(await screen.findByText('This confirmation link cannot be used', {}, { timeout: 10_000 })).toBeInTheDocument()
  })

  it('unsubscribes after a click (a mail scanner opening the link changes nothing)', async () => {
    mocks.http.onPost(UNSUBSCRIBE).reply(200, {})
    renderApp('/status/acme/unsubscribe?token=abc')
    const user = userEvent.setup()
    const button = await screen.findByRole('button', { name: 'Unsubscribe' }, { timeout: 10_000 })
    expect(mocks.http.history.post).toHaveLength(0)
    await user.click(button)
    expect(await screen.findByTestId('subscription-done')).toHaveTextContent('You are unsubscribed')
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({ token: 'abc' })
  })

  it('a link without a token is incomplete', async () => {
    renderApp('/status/acme/unsubscribe')
    expect(await screen.findByText('This link is incomplete', {}, { timeout: 10_000 })).toBeInTheDocument()
  })
})
