import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { mockApi, renderApp } from '@/test/renderApp'

async function requestFor(email: string) {
  const user = userEvent.setup()
  if (email) await user.type(await screen.findByLabelText('E-mail'), email)
  await user.click(await screen.findByRole('button', { name: 'Send reset link' }))
  return user
}

describe('ForgotPasswordPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
  })
  afterEach(() => mocks.restore())

  it('checks the address before sending anything', async () => {
    renderApp('/forgot-password')
    await requestFor('')
    expect(await screen.findByText('Enter your e-mail address.')).toBeInTheDocument()
    await requestFor('not-an-address')
    expect(await screen.findByText('Enter a valid e-mail address.')).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(0)
  })

  it('answers the same neutral message on 202, without a session', async () => {
    mocks.http.onPost('/api/auth/password-reset/').reply(202)
    renderApp('/forgot-password')
    const user = await requestFor('someone@example.com')

    const sent = await screen.findByTestId('reset-requested')
    expect(sent).toHaveTextContent('If an account exists for someone@example.com, we sent it a link')
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({ email: 'someone@example.com' })
    expect(mocks.http.history.post[0].headers?.Authorization).toBeUndefined()

    await user.click(screen.getByRole('button', { name: 'Use another address' }))
    expect(screen.getByRole('button', { name: 'Send reset link' })).toBeInTheDocument()
  })

  it('says when to try again after too many requests (429)', async () => {
    mocks.http
      .onPost('/api/auth/password-reset/')
      .reply(429, { detail: 'Request was throttled.', code: 'rate_limited' }, { 'Retry-After': '3600' })
    renderApp('/forgot-password')
    await requestFor('someone@example.com')

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many reset requests from this network. Try again in 60 minutes.',
    )
    expect(screen.queryByTestId('reset-requested')).not.toBeInTheDocument()
  })

  it('is reached from the sign-in page and links back to it', async () => {
    const { router } = renderApp('/forgot-password')
    await userEvent.setup().click(await screen.findByRole('link', { name: 'Back to sign-in' }))
    expect(await screen.findByRole('heading', { name: 'Sign in to StatusWatch' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/login')
  })
})
