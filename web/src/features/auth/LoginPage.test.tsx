import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { emptyPage, meReply, mockApi, renderApp } from '@/test/renderApp'
import { useSession } from '@/stores/session'

const TENANTS = [
  { id: '1', name: 'Acme', schema: 't_acme' },
  { id: '2', name: 'Globex', schema: 't_globex' },
]

async function signInWith(email: string, password: string) {
  const user = userEvent.setup()
  await user.type(await screen.findByLabelText('E-mail'), email)
  await user.type(screen.getByLabelText('Password'), password)
  await user.click(screen.getByRole('button', { name: 'Sign in' }))
  return user
}

describe('LoginPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ name: 'Globex', schema: 't_globex' }))
    mocks.http.onGet('/api/endpoints/').reply(200, emptyPage)
  })
  afterEach(() => mocks.restore())

  it('asks which organisation when the e-mail belongs to several, then signs in to the chosen one', async () => {
    mocks.http.onPost('/api/auth/token/').reply((config) => {
      const body = JSON.parse(config.data)
      if (!body.tenant_schema) {
        return [200, { multiple_tenants: true, tenants: TENANTS, message: 'Choose an organisation to sign in to.' }]
      }
      const tenant = TENANTS.find((t) => t.schema === body.tenant_schema)
      return [200, { access: 'a2', refresh: 'r2', user: { id: 'u2', email: body.email, role: 'owner' }, tenant }]
    })
    const { router } = renderApp('/login')
    const user = await signInWith('me@example.com', 'Correct-Horse-9')

    expect(await screen.findByText(/open more than one organisation/)).toBeInTheDocument()
    const radios = screen.getAllByRole('radio')
    expect(radios).toHaveLength(2)
    await user.click(screen.getByRole('radio', { name: 'Globex' }))
    await user.click(screen.getByRole('button', { name: 'Continue' }))

    expect(await screen.findByRole('heading', { name: 'Endpoints' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/dashboard')
    expect(JSON.parse(mocks.http.history.post[1].data)).toEqual({
      email: 'me@example.com',
      password: 'Correct-Horse-9',
      tenant_schema: 't_globex',
    })
    expect(useSession.getState().tenant?.name).toBe('Globex')
  })

  it('goes back to an empty form with "Use a different e-mail"', async () => {
    mocks.http.onPost('/api/auth/token/').reply(200, { multiple_tenants: true, tenants: TENANTS, message: 'Pick one.' })
    renderApp('/login')
    const user = await signInWith('me@example.com', 'Correct-Horse-9')

    await user.click(await screen.findByRole('button', { name: 'Use a different e-mail' }))

    expect(screen.queryByRole('radio')).not.toBeInTheDocument()
    expect(screen.getByLabelText('E-mail')).toHaveValue('')
    expect(screen.getByLabelText('Password')).toHaveValue('')
  })

  it('says "Invalid e-mail or password" on a 401', async () => {
    mocks.http.onPost('/api/auth/token/').reply(401, { detail: 'No active account.', code: 'invalid_credentials' })
    renderApp('/login')
    await signInWith('me@example.com', 'wrong')

    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid e-mail or password')
    expect(useSession.getState().access).toBeNull()
  })

  it('returns to the page that asked for sign-in', async () => {
    mocks.http.onPost('/api/auth/token/').reply(200, {
      access: 'a',
      refresh: 'r',
      user: { id: 'u', email: 'me@example.com', role: 'owner' },
      tenant: TENANTS[0],
    })
    mocks.http.onGet('/api/billing/plans/').reply(503, { detail: 'Billing is not configured', code: 'billing_not_configured' })
    const { router } = renderApp('/login?redirect=%2Fbilling')
    await signInWith('me@example.com', 'Correct-Horse-9')

    expect(await screen.findByText('Billing is not configured')).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/billing')
  })

  describe('two-factor step', () => {
    const success = {
      access: 'a3',
      refresh: 'r3',
      user: { id: 'u3', email: 'me@example.com', role: 'owner' },
      tenant: TENANTS[0],
    }

    it('asks for a code after the password and signs in with it', async () => {
      mocks.http.onPost('/api/auth/token/').reply(200, { two_factor_required: true, challenge: 'ch-1' })
      mocks.http.onPost('/api/auth/token/2fa/').reply(200, success)
      const { router } = renderApp('/login')
      const user = await signInWith('me@example.com', 'Correct-Horse-9')

      expect(await screen.findByRole('heading', { name: 'Two-factor authentication' })).toBeInTheDocument()
      expect(screen.getByText('me@example.com')).toBeInTheDocument()
      await user.type(screen.getByLabelText('Authentication code'), '123 456')
      await user.click(screen.getByRole('button', { name: 'Verify and sign in' }))

      expect(await screen.findByRole('heading', { name: 'Endpoints' })).toBeInTheDocument()
      expect(router.state.location.pathname).toBe('/dashboard')
      expect(JSON.parse(mocks.http.history.post[1].data)).toEqual({ challenge: 'ch-1', code: '123456' })
      expect(mocks.http.history.post[1].headers?.Authorization).toBeUndefined()
      expect(useSession.getState()).toMatchObject({ access: 'a3', refresh: 'r3' })
    })

    it('checks the code has 6 digits before sending it, and takes a recovery code instead', async () => {
      mocks.http.onPost('/api/auth/token/').reply(200, { two_factor_required: true, challenge: 'ch-1' })
      mocks.http.onPost('/api/auth/token/2fa/').reply(200, success)
      renderApp('/login')
      const user = await signInWith('me@example.com', 'Correct-Horse-9')

      await user.type(await screen.findByLabelText('Authentication code'), '12345')
      await user.click(screen.getByRole('button', { name: 'Verify and sign in' }))
      expect(await screen.findByText('The code has 6 digits.')).toBeInTheDocument()
      expect(mocks.http.history.post).toHaveLength(1)

      await user.click(screen.getByRole('button', { name: 'Use a recovery code instead' }))
      await user.type(screen.getByLabelText('Recovery code'), 'abcd-efgh-ij')
      await user.click(screen.getByRole('button', { name: 'Verify and sign in' }))
      expect(await screen.findByRole('heading', { name: 'Endpoints' })).toBeInTheDocument()
      expect(JSON.parse(mocks.http.history.post[1].data)).toEqual({ challenge: 'ch-1', code: 'abcd-efgh-ij' })
    })

    it('stays on the code step after a wrong code (401 invalid_code)', async () => {
      mocks.http.onPost('/api/auth/token/').reply(200, { two_factor_required: true, challenge: 'ch-1' })
      mocks.http.onPost('/api/auth/token/2fa/').replyOnce(401, { detail: 'Invalid code.', code: 'invalid_code' })
      mocks.http.onPost('/api/auth/token/2fa/').replyOnce(200, success)
      renderApp('/login')
      const user = await signInWith('me@example.com', 'Correct-Horse-9')

      await user.type(await screen.findByLabelText('Authentication code'), '000000')
      await user.click(screen.getByRole('button', { name: 'Verify and sign in' }))

      await waitFor(() =>
        expect(screen.getByLabelText('Authentication code')).toHaveAccessibleDescription(/That code is not valid/),
      )
      expect(screen.getByLabelText('Authentication code')).toHaveValue('')
      expect(useSession.getState().access).toBeNull()

      await user.type(screen.getByLabelText('Authentication code'), '654321')
      await user.click(screen.getByRole('button', { name: 'Verify and sign in' }))
      expect(await screen.findByRole('heading', { name: 'Endpoints' })).toBeInTheDocument()
    })

    it('goes back to the password step when the challenge is spent (401 invalid_challenge)', async () => {
      mocks.http.onPost('/api/auth/token/').reply(200, { two_factor_required: true, challenge: 'ch-1' })
      mocks.http.onPost('/api/auth/token/2fa/').reply(401, { detail: 'Challenge expired.', code: 'invalid_challenge' })
      renderApp('/login')
      const user = await signInWith('me@example.com', 'Correct-Horse-9')

      await user.type(await screen.findByLabelText('Authentication code'), '111111')
      await user.click(screen.getByRole('button', { name: 'Verify and sign in' }))

      expect(await screen.findByRole('heading', { name: 'Sign in to StatusWatch' })).toBeInTheDocument()
      expect(screen.getByRole('alert')).toHaveTextContent(/Enter your password again/)
      expect(screen.getByLabelText('E-mail')).toHaveValue('me@example.com')
      expect(screen.getByLabelText('Password')).toHaveValue('')
    })

    it('asks for the code after the organisation is chosen', async () => {
      mocks.http.onPost('/api/auth/token/').reply((config) => {
        const body = JSON.parse(config.data)
        return body.tenant_schema
          ? [200, { two_factor_required: true, challenge: `ch-${body.tenant_schema}` }]
          : [200, { multiple_tenants: true, tenants: TENANTS, message: 'Pick one.' }]
      })
      mocks.http.onPost('/api/auth/token/2fa/').reply(200, { ...success, tenant: TENANTS[1] })
      renderApp('/login')
      const user = await signInWith('me@example.com', 'Correct-Horse-9')

      await user.click(await screen.findByRole('radio', { name: 'Globex' }))
      await user.click(screen.getByRole('button', { name: 'Continue' }))
      await user.type(await screen.findByLabelText('Authentication code'), '123456')
      await user.click(screen.getByRole('button', { name: 'Verify and sign in' }))

      expect(await screen.findByRole('heading', { name: 'Endpoints' })).toBeInTheDocument()
      expect(JSON.parse(mocks.http.history.post[2].data)).toEqual({ challenge: 'ch-t_globex', code: '123456' })
      expect(useSession.getState().tenant?.name).toBe('Globex')
    })

    it('"Back to sign-in" leaves the code step', async () => {
      mocks.http.onPost('/api/auth/token/').reply(200, { two_factor_required: true, challenge: 'ch-1' })
      renderApp('/login')
      const user = await signInWith('me@example.com', 'Correct-Horse-9')

      await user.click(await screen.findByRole('button', { name: 'Back to sign-in' }))
      expect(screen.getByRole('heading', { name: 'Sign in to StatusWatch' })).toBeInTheDocument()
      expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    })
  })

  it('links to the password reset page', async () => {
    const { router } = renderApp('/login')
    await userEvent.setup().click(await screen.findByRole('link', { name: 'Forgot password?' }))
    expect(await screen.findByRole('heading', { name: 'Reset your password' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/forgot-password')
  })

  it('says when to try again after too many failed sign-ins', async () => {
    mocks.http.onPost('/api/auth/token/').reply(429, { detail: 'Too many requests.', code: 'rate_limited' }, { 'Retry-After': '45' })
    renderApp('/login')
    await signInWith('me@example.com', 'Correct-Horse-9')
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many failed sign-ins. Try again in 45 seconds.')
  })

  it('shows the notice it was sent with, until the next attempt', async () => {
    mocks.http.onPost('/api/auth/token/').reply(401, { detail: 'No active account.', code: 'invalid_credentials' })
    renderApp('/login?notice=password_reset')
    expect(await screen.findByTestId('login-notice')).toHaveTextContent('Your password has been changed')
    await signInWith('me@example.com', 'wrong')
    await screen.findByText('Invalid e-mail or password')
    expect(screen.queryByTestId('login-notice')).not.toBeInTheDocument()
  })
})
