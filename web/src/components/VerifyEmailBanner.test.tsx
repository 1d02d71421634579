import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { emptyPage, meReply, mockApi, renderApp, signIn } from '@/test/renderApp'

const RESEND = '/api/auth/verify-email/resend/'

function meWith(emailVerified: boolean | undefined) {
  const reply = meReply()
  return { ...reply, user: { ...reply.user, email_verified: emailVerified } }
}

describe('VerifyEmailBanner', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    signIn()
    mocks.http.onGet('/api/endpoints/').reply(200, emptyPage)
  })
  afterEach(() => mocks.restore())

  it('shows on the signed-in pages while the e-mail is unverified, and resends (202)', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meWith(false))
    mocks.http.onPost(RESEND).reply(202)
    renderApp('/dashboard')

    const banner = await screen.findByTestId('verify-email-banner')
    expect(banner).toHaveTextContent('Confirm your e-mail address')
    expect(banner).toHaveTextContent('owner@example.com')
    await userEvent.setup().click(screen.getByRole('button', { name: 'Resend e-mail' }))

    expect(await screen.findByText(/A new link is on its way/)).toBeInTheDocument()
    expect(mocks.http.history.post[0].url).toBe(RESEND)
    expect(mocks.http.history.post[0].headers?.Authorization).toBe('Bearer access-1')
  })

  it('is not shown once verified, nor when /me does not say', async () => {
    mocks.http.onGet('/api/auth/me/').replyOnce(200, meWith(true))
    mocks.http.onGet('/api/auth/me/').reply(200, meWith(undefined))
    const first = renderApp('/dashboard')
    expect(await screen.findByRole('heading', { name: 'Endpoints' })).toBeInTheDocument()
    await waitFor(() => expect(mocks.http.history.get.some((r) => r.url === '/api/auth/me/')).toBe(true))
    expect(screen.queryByTestId('verify-email-banner')).not.toBeInTheDocument()
    first.unmount()

    renderApp('/dashboard')
    expect(await screen.findByRole('heading', { name: 'Endpoints' })).toBeInTheDocument()
    expect(screen.queryByTestId('verify-email-banner')).not.toBeInTheDocument()
  })

  it('reads /me again on 409 already_verified, and goes away', async () => {
    mocks.http.onGet('/api/auth/me/').replyOnce(200, meWith(false))
    mocks.http.onGet('/api/auth/me/').reply(200, meWith(true))
    mocks.http.onPost(RESEND).reply(409, { detail: 'Already verified.', code: 'already_verified' })
    renderApp('/dashboard')

    await userEvent.setup().click(await screen.findByRole('button', { name: 'Resend e-mail' }))
    await waitFor(() => expect(screen.queryByTestId('verify-email-banner')).not.toBeInTheDocument())
    expect(mocks.http.history.get.filter((r) => r.url === '/api/auth/me/').length).toBeGreaterThanOrEqual(2)
  })

  it('says when to try again on 429, from Retry-After', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meWith(false))
    mocks.http.onPost(RESEND).reply(429, { detail: 'Throttled.', code: 'rate_limited' }, { 'Retry-After': '1740' })
    renderApp('/dashboard')

    await userEvent.setup().click(await screen.findByRole('button', { name: 'Resend e-mail' }))
    expect(await screen.findByTestId('verify-email-resend-result')).toHaveTextContent(
      'Too many e-mails were sent. Try again in 29 minutes.',
    )
  })
})
