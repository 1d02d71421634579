import { StrictMode } from 'react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import { createMemoryHistory } from '@tanstack/react-router'
import { App } from '@/app/App'
import { createQueryClient } from '@/app/queryClient'
import { createAppRouter } from '@/app/router'
import userEvent from '@testing-library/user-event'
import { emptyPage, meReply, mockApi, renderApp, signIn } from '@/test/renderApp'

const PATH = '/api/auth/verify-email/'

describe('VerifyEmailPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
  })
  afterEach(() => mocks.restore())

  it('spends the token once on load and confirms, signed out', async () => {
    mocks.http.onPost(PATH).reply(200, { email_verified: true })
    const { router } = renderApp('/verify-email?token=abc.def-123')

    expect(await screen.findByTestId('email-verified')).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(1)
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({ token: 'abc.def-123' })
    expect(mocks.http.history.post[0].headers?.Authorization).toBeUndefined()
    await userEvent.setup().click(screen.getByRole('link', { name: 'Sign in' }))
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'))
  })

  it("sends the token once under React's strict mode too (effects run twice there)", async () => {
    mocks.http.onPost(PATH).reply(200, { email_verified: true })
    const queryClient = createQueryClient()
    const router = createAppRouter({ queryClient }, createMemoryHistory({ initialEntries: ['/verify-email?token=once'] }))
    render(
      <StrictMode>
        <App queryClient={queryClient} router={router} />
      </StrictMode>,
    )

    expect(await screen.findByTestId('email-verified')).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(1)
  })

  it('signed in: confirms, and the banner of the signed-in pages is gone afterwards', async () => {
    signIn()
    let verified = false
    mocks.http.onGet('/api/auth/me/').reply(() => [200, { ...meReply(), user: { ...meReply().user, email_verified: verified } }])
    mocks.http.onGet('/api/endpoints/').reply(200, emptyPage)
    mocks.http.onPost(PATH).reply(() => {
      verified = true
      return [200, { email_verified: true }]
    })
    const { router } = renderApp('/dashboard')
    expect(await screen.findByTestId('verify-email-banner')).toBeInTheDocument()

    await router.navigate({ href: '/verify-email?token=t1' })
    expect(await screen.findByTestId('email-verified')).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/verify-email')
    await userEvent.setup().click(screen.getByRole('link', { name: 'Go to the dashboard' }))

    expect(await screen.findByRole('heading', { name: 'Endpoints' })).toBeInTheDocument()
    await waitFor(() => expect(screen.queryByTestId('verify-email-banner')).not.toBeInTheDocument())
    expect(mocks.http.history.post.filter((r) => r.url === PATH)).toHaveLength(1)
  })

  it('explains an expired link and, signed out, says how to get a new one', async () => {
    mocks.http.onPost(PATH).reply(400, { detail: 'Token expired.', code: 'token_expired' })
    renderApp('/verify-email?token=old')

    expect(await screen.findByTestId('verify-link-problem')).toHaveAttribute('data-problem', 'expired')
    expect(screen.getByRole('heading', { name: 'This link has expired' })).toBeInTheDocument()
    expect(screen.getByText(/48 hours/)).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login?redirect=%2Fdashboard')
  })

  it('explains a used link and, signed in, sends a new one from the page', async () => {
    signIn()
    mocks.http.onPost(PATH).reply(400, { detail: 'Invalid token.', code: 'invalid_token' })
    mocks.http.onPost('/api/auth/verify-email/resend/').reply(202)
    renderApp('/verify-email?token=used')

    expect(await screen.findByTestId('verify-link-problem')).toHaveAttribute('data-problem', 'invalid')
    await userEvent.setup().click(screen.getByRole('button', { name: 'Send a new link' }))
    expect(await screen.findByTestId('verify-resend-result')).toHaveTextContent('A new link is on its way')
    expect(mocks.http.history.post[1].headers?.Authorization).toBe('Bearer access-1')
  })

  it('signed in, a used link of an already confirmed address says so (409 already_verified)', async () => {
    signIn()
    mocks.http.onPost(PATH).reply(400, { detail: 'Invalid token.', code: 'invalid_token' })
    mocks.http.onPost('/api/auth/verify-email/resend/').reply(409, { detail: 'Already verified.', code: 'already_verified' })
    renderApp('/verify-email?token=used')

    await userEvent.setup().click(await screen.findByRole('button', { name: 'Send a new link' }))
    expect(await screen.findByTestId('verify-resend-result')).toHaveTextContent('already confirmed')
  })

  it('says a link without a token is incomplete, and sends nothing', async () => {
    renderApp('/verify-email')
    expect(await screen.findByRole('heading', { name: 'This link is incomplete' })).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(0)
  })

  it('offers to try again when the server could not answer', async () => {
    mocks.http.onPost(PATH).replyOnce(503, { detail: 'A service is unavailable.', code: 'service_unavailable' })
    mocks.http.onPost(PATH).replyOnce(200, { email_verified: true })
    renderApp('/verify-email?token=t1')

    expect(await screen.findByRole('alert')).toHaveTextContent('A service is unavailable.')
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByTestId('email-verified')).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(2)
  })
})
